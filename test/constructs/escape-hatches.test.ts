import { CinderCsiProps, CloudConfigMode, MountPropagation, NodeDnsPolicy, UnsatisfiableConstraintAction } from '../../lib';
import { containerOf, daemonSetOf, deploymentOf, errorOf, objectsOf, VALID_GLOBAL } from './synth';

/*
 * The pod-level escape hatches: what a user adds (environment, volumes, security-context keys, DNS policy, spread
 * constraints, leader-election timings, a preStop hook) reaches exactly the containers and pods it is meant for.
 */

const CA_BUNDLE: CinderCsiProps = {
  cloudConfig: { mode: CloudConfigMode.SECRET, global: { ...VALID_GLOBAL, caFile: '/etc/openstack-ca/ca.crt' } },
  controller: {
    extraVolumes: [{ name: 'openstack-ca', secret: { secretName: 'openstack-ca' } }],
    extraVolumeMounts: [{ name: 'openstack-ca', mountPath: '/etc/openstack-ca', readOnly: true }],
  },
  node: {
    extraVolumes: [{ name: 'openstack-ca', secret: { secretName: 'openstack-ca' } }],
    extraVolumeMounts: [{ name: 'openstack-ca', mountPath: '/etc/openstack-ca', readOnly: true }],
  },
};

describe('extra volumes: a CA bundle for cloudConfig.global.caFile', () => {
  const objects = objectsOf(CA_BUNDLE);

  test.each([['controller', deploymentOf(objects)], ['node', daemonSetOf(objects)]] as const)(
    'the %s pods carry the volume and the driver mounts it read-only at the caFile directory, after its own mounts',
    (_component, workload) => {
      const spec = workload.spec.template.spec;
      expect(spec.volumes.at(-1)).toEqual({ name: 'openstack-ca', secret: { secretName: 'openstack-ca' } });
      const mounts = containerOf(workload, 'cinder-csi-plugin').volumeMounts;
      expect(mounts.at(-1)).toEqual({ name: 'openstack-ca', mountPath: '/etc/openstack-ca', readOnly: true });
      expect(mounts.length).toBeGreaterThan(1);
    },
  );

  test('only the driver containers mount it', () => {
    for (const workload of [deploymentOf(objects), daemonSetOf(objects)]) {
      const mounting = workload.spec.template.spec.containers
        .filter((c: any) => (c.volumeMounts ?? []).some((m: any) => m.name === 'openstack-ca'))
        .map((c: any) => c.name);
      expect(mounting).toEqual(['cinder-csi-plugin']);
    }
  });

  test('cloud.conf names the mounted file', () => {
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'cinder-csi-cloud-config')!;
    expect(secret.stringData['cloud.conf']).toContain('ca-file = "/etc/openstack-ca/ca.crt"');
  });

  test('two extra volumes with one name are refused naming the second', () => {
    const twice = [{ name: 'ca', configMap: { name: 'a' } }, { name: 'ca', configMap: { name: 'b' } }];
    expect(errorOf(() => objectsOf({ controller: { extraVolumes: twice } }))).toMatch(/controller\.extraVolumes\[1\]\.name: must be unique/);
    expect(errorOf(() => objectsOf({ node: { extraVolumes: twice } }))).toMatch(/node\.extraVolumes\[1\]\.name: must be unique/);
  });

  test('a mount propagation is passed as given', () => {
    const ds = daemonSetOf(objectsOf({ node: { extraVolumeMounts: [{ name: 'x', mountPath: '/x', mountPropagation: MountPropagation.HOST_TO_CONTAINER }] } }));
    expect(containerOf(ds, 'cinder-csi-plugin').volumeMounts.at(-1)).toEqual({ name: 'x', mountPath: '/x', mountPropagation: 'HostToContainer' });
  });
});

describe('proxy and extra environment', () => {
  const driverEnv = (props: CinderCsiProps): { controller: unknown; node: unknown } => {
    const objects = objectsOf(props);
    return {
      controller: containerOf(deploymentOf(objects), 'cinder-csi-plugin').env,
      node: containerOf(daemonSetOf(objects), 'cinder-csi-plugin').env,
    };
  };

  test('no env at all by default', () => {
    expect(driverEnv({})).toEqual({ controller: undefined, node: undefined });
  });

  test('each proxy field that is set becomes its variable in both driver containers, in a fixed order', () => {
    const env = [
      { name: 'HTTPS_PROXY', value: 'http://proxy.example:3128' },
      { name: 'NO_PROXY', value: 'keystone.internal,.svc' },
    ];
    expect(driverEnv({ global: { proxy: { httpsProxy: 'http://proxy.example:3128', noProxy: 'keystone.internal,.svc' } } }))
      .toEqual({ controller: env, node: env });
  });

  test('no sidecar gets proxy variables: they talk to the Kubernetes API only', () => {
    const objects = objectsOf({ global: { proxy: { httpProxy: 'http://p:1', httpsProxy: 'http://p:1', noProxy: 'x' } } });
    for (const workload of [deploymentOf(objects), daemonSetOf(objects)]) {
      const withEnv = workload.spec.template.spec.containers.filter((c: any) => c.env !== undefined).map((c: any) => c.name);
      expect(withEnv).toEqual(['cinder-csi-plugin']);
    }
  });

  test('extraEnv follows the proxy variables; envFrom is passed as given; each component gets its own', () => {
    const objects = objectsOf({
      global: { proxy: { httpProxy: 'http://p:1' } },
      controller: {
        extraEnv: [{ name: 'OS_DEBUG', value: '1' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
        envFrom: [{ secretRef: { name: 'extra' }, prefix: 'X_' }],
      },
      node: { envFrom: [{ configMapRef: { name: 'node-env', optional: true } }] },
    });
    const controller = containerOf(deploymentOf(objects), 'cinder-csi-plugin');
    expect(controller.env).toEqual([
      { name: 'HTTP_PROXY', value: 'http://p:1' },
      { name: 'OS_DEBUG', value: '1' },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
    ]);
    expect(controller.envFrom).toEqual([{ secretRef: { name: 'extra' }, prefix: 'X_' }]);
    const node = containerOf(daemonSetOf(objects), 'cinder-csi-plugin');
    expect(node.env).toEqual([{ name: 'HTTP_PROXY', value: 'http://p:1' }]);
    expect(node.envFrom).toEqual([{ configMapRef: { name: 'node-env', optional: true } }]);
  });

  test('a bad variable name or proxy URL is refused naming the field', () => {
    expect(errorOf(() => objectsOf({ controller: { extraEnv: [{ name: '1ABC', value: 'x' }] } }))).toContain('controller.extraEnv');
    expect(errorOf(() => objectsOf({ global: { proxy: { httpsProxy: 'proxy:3128' } } }))).toContain('global.proxy.httpsProxy');
  });
});

describe('security-context overrides are merged key by key over the chart\'s', () => {
  test('controller: a pod key replaces ours, the others stay', () => {
    const spec = deploymentOf(objectsOf({ controller: { podSecurityContext: { runAsUser: 1001, seLinuxOptions: { type: 'spc_t' } } } })).spec.template.spec;
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 1001, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' },
      seLinuxOptions: { type: 'spc_t' },
    });
  });

  test('controller: a container key reaches every container; a capabilities value replaces ours whole', () => {
    const deployment = deploymentOf(objectsOf({ controller: { securityContext: { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, runAsUser: 1001 } } }));
    for (const c of deployment.spec.template.spec.containers) {
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, runAsUser: 1001,
      });
    }
  });

  test('node: the driver stays privileged and root under an SELinux override; the sidecars stay restricted', () => {
    const ds = daemonSetOf(objectsOf({ node: { securityContext: { seLinuxOptions: { type: 'spc_t' } }, podSecurityContext: { fsGroup: 0 } } }));
    expect(ds.spec.template.spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' }, fsGroup: 0 });
    expect(containerOf(ds, 'cinder-csi-plugin').securityContext).toEqual({
      privileged: true, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, runAsUser: 0, runAsGroup: 0, seLinuxOptions: { type: 'spc_t' },
    });
    expect(containerOf(ds, 'node-driver-registrar').securityContext).toEqual({
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seLinuxOptions: { type: 'spc_t' },
    });
  });

  test('a security context that is not a map is refused naming the field', () => {
    expect(errorOf(() => objectsOf({ node: { securityContext: 'privileged' as never } }))).toContain('node.securityContext');
  });
});

describe('node DNS policy', () => {
  const dnsPolicy = (props: CinderCsiProps): unknown => daemonSetOf(objectsOf(props)).spec.template.spec.dnsPolicy;

  test('by default: Kubernetes\' default on the pod network, ClusterFirstWithHostNet on the host network', () => {
    expect(dnsPolicy({})).toBeUndefined();
    expect(dnsPolicy({ node: { hostNetwork: true } })).toBe('ClusterFirstWithHostNet');
  });

  test('a chosen policy wins on either network', () => {
    expect(dnsPolicy({ node: { dnsPolicy: NodeDnsPolicy.DEFAULT } })).toBe('Default');
    expect(dnsPolicy({ node: { hostNetwork: true, dnsPolicy: NodeDnsPolicy.CLUSTER_FIRST } })).toBe('ClusterFirst');
  });

  test('an unknown policy is refused naming the field', () => {
    expect(errorOf(() => objectsOf({ node: { dnsPolicy: 'ClusterFirstWithHostNetwork' as NodeDnsPolicy } }))).toContain('node.dnsPolicy');
  });
});

describe('controller topology spread constraints', () => {
  test('absent by default', () => {
    expect(deploymentOf(objectsOf()).spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });

  test('a constraint without labelSelector counts the controller pods; one with a labelSelector keeps it', () => {
    const deployment = deploymentOf(objectsOf({
      controller: {
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: UnsatisfiableConstraintAction.SCHEDULE_ANYWAY },
          { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: UnsatisfiableConstraintAction.DO_NOT_SCHEDULE, labelSelector: { matchLabels: { app: 'x' } } },
        ],
      },
    }));
    expect(deployment.spec.template.spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: deployment.spec.selector.matchLabels } },
      { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'x' } } },
    ]);
  });

  test('a constraint without whenUnsatisfiable is refused naming the field', () => {
    expect(errorOf(() => objectsOf({ controller: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone' } as never] } })))
      .toContain('controller.topologySpreadConstraints');
  });
});

describe('leader election timings', () => {
  const SIDECARS = ['csi-provisioner', 'csi-attacher', 'csi-resizer', 'csi-snapshotter'];

  test('every leader-elected sidecar gets the sidecars\' own defaults, explicitly', () => {
    const deployment = deploymentOf(objectsOf({ snapshots: { enabled: true } }));
    for (const name of SIDECARS) {
      expect(containerOf(deployment, name).args).toEqual(expect.arrayContaining([
        '--leader-election-lease-duration=15s', '--leader-election-renew-deadline=10s', '--leader-election-retry-period=5s',
      ]));
    }
  });

  test('tuned timings reach every leader-elected sidecar and no other container', () => {
    const deployment = deploymentOf(objectsOf({ snapshots: { enabled: true }, controller: { leaderElection: { leaseDuration: '1m', renewDeadline: '40s', retryPeriod: '10s' } } }));
    const tuned = deployment.spec.template.spec.containers
      .filter((c: any) => c.args.includes('--leader-election-lease-duration=1m') && c.args.includes('--leader-election-renew-deadline=40s') && c.args.includes('--leader-election-retry-period=10s'))
      .map((c: any) => c.name);
    expect(tuned).toEqual(SIDECARS);
  });

  test('a duration that is not one is refused naming the field', () => {
    expect(errorOf(() => objectsOf({ controller: { leaderElection: { leaseDuration: '15' } } }))).toContain('controller.leaderElection.leaseDuration');
  });
});

describe('node preStop hook', () => {
  test('none by default', () => {
    expect(containerOf(daemonSetOf(objectsOf()), 'cinder-csi-plugin').lifecycle).toBeUndefined();
  });

  test('a command becomes the driver container\'s preStop exec, and no other container\'s', () => {
    const ds = daemonSetOf(objectsOf({ node: { preStop: { command: ['node', '-e', 'setTimeout(() => {}, 15000)'] } } }));
    expect(containerOf(ds, 'cinder-csi-plugin').lifecycle).toEqual({ preStop: { exec: { command: ['node', '-e', 'setTimeout(() => {}, 15000)'] } } });
    expect(ds.spec.template.spec.containers.filter((c: any) => c.lifecycle !== undefined).map((c: any) => c.name)).toEqual(['cinder-csi-plugin']);
  });
});
