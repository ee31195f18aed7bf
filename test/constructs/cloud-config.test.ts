import { CloudConfigMode } from '../../lib';
import { containerOf, daemonSetOf, deploymentOf, K8sObject, objectsOf, one, ofKind, VALID_GLOBAL } from './synth';

const SECRET = CloudConfigMode.SECRET;

const confOf = (secret: K8sObject): string => secret.stringData['cloud.conf'];

describe('cloud configuration, mode secret', () => {
  test('writes only the keys that are set, in [Global]/[BlockStorage]/[Metadata] with upstream key names', () => {
    const objects = objectsOf({
      cloudConfig: {
        mode: SECRET,
        global: {
          authUrl: 'https://keystone.example:5000/v3', region: 'RegionOne', username: 'svc', password: 'pw',
          userDomainName: 'Default', projectId: 'p-1', projectDomainName: 'Default', caFile: '/etc/ssl/ca.pem', tlsInsecure: true,
        },
        blockStorage: { nodeVolumeAttachLimit: 1000, rescanOnResize: true, ignoreVolumeAz: true },
        metadata: { searchOrder: 'metadataService' },
      },
    });
    expect(confOf(one(objects, 'Secret', 'cinder-csi-cloud-config'))).toBe([
      '[Global]',
      'auth-url = "https://keystone.example:5000/v3"',
      'region = "RegionOne"',
      'username = "svc"',
      'password = "pw"',
      'user-domain-name = "Default"',
      'project-id = "p-1"',
      'project-domain-name = "Default"',
      'ca-file = "/etc/ssl/ca.pem"',
      'tls-insecure = true',
      '[BlockStorage]',
      'node-volume-attach-limit = 1000',
      'rescan-on-resize = true',
      'ignore-volume-az = true',
      '[Metadata]',
      'search-order = "metadataService"',
      '',
    ].join('\n'));
  });

  test('application credentials and trusts use their upstream keys', () => {
    const conf = confOf(one(objectsOf({
      cloudConfig: { mode: SECRET, global: { authUrl: 'https://k/v3', applicationCredentialId: 'ac-id', applicationCredentialSecret: 's', trustId: 't-1', interface: 'internal' } },
    }), 'Secret', 'cinder-csi-cloud-config'));
    expect(conf).toBe('[Global]\nauth-url = "https://k/v3"\napplication-credential-id = "ac-id"\napplication-credential-secret = "s"\ntrust-id = "t-1"\ninterface = "internal"\n');
  });

  test('quotes and backslashes are escaped gcfg-style; #, ;, =, <>& and unicode are kept as they are', () => {
    const password = 'a"b\\c#d;e=f<g>&h ü€';
    const conf = confOf(one(objectsOf({ cloudConfig: { mode: SECRET, global: { ...VALID_GLOBAL, password } } }), 'Secret', 'cinder-csi-cloud-config'));
    expect(conf).toContain('password = "a\\"b\\\\c#d;e=f<g>&h ü€"\n');
  });

  test('the node Secret holds no [Global] section, so node pods never see credentials', () => {
    const objects = objectsOf({
      cloudConfig: { mode: SECRET, global: VALID_GLOBAL, blockStorage: { rescanOnResize: true } },
    });
    const nodeConf = confOf(one(objects, 'Secret', 'cinder-csi-node-cloud-config'));
    expect(nodeConf).toBe('[BlockStorage]\nrescan-on-resize = true\n');
    const volume = daemonSetOf(objects).spec.template.spec.volumes.find((v: any) => v.name === 'cloud-config');
    expect(volume.secret.secretName).toBe('cinder-csi-node-cloud-config');
    const controllerVolume = deploymentOf(objects).spec.template.spec.volumes.find((v: any) => v.name === 'cloud-config');
    expect(controllerVolume.secret).toEqual({
      secretName: 'cinder-csi-cloud-config', items: [{ key: 'cloud.conf', path: 'cloud.conf' }], defaultMode: 0o440,
    });
  });

  test('without node settings there is no node Secret and the node pods mount no cloud.conf', () => {
    const objects = objectsOf({ cloudConfig: { mode: SECRET, global: VALID_GLOBAL } });
    expect(ofKind(objects, 'Secret').map((s) => s.metadata.name)).toEqual(['cinder-csi-cloud-config']);
    const ds = daemonSetOf(objects);
    expect(ds.spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('cloud-config');
    expect(containerOf(ds, 'cinder-csi-plugin').args.join(' ')).not.toContain('--cloud-config');
  });

  test('both driver containers read /etc/cinder-csi/cloud.conf when the node has settings', () => {
    const objects = objectsOf({ cloudConfig: { mode: SECRET, global: VALID_GLOBAL, metadata: { searchOrder: 'configDrive' } } });
    for (const workload of [deploymentOf(objects), daemonSetOf(objects)]) {
      const driver = containerOf(workload, 'cinder-csi-plugin');
      expect(driver.args).toContain('--cloud-config=/etc/cinder-csi/cloud.conf');
      expect(driver.volumeMounts).toContainEqual({ name: 'cloud-config', mountPath: '/etc/cinder-csi', readOnly: true });
    }
  });

  test('the node volume attach limit also reaches the node service as a flag', () => {
    const ds = daemonSetOf(objectsOf({ cloudConfig: { blockStorage: { nodeVolumeAttachLimit: 26 } } }));
    expect(containerOf(ds, 'cinder-csi-plugin').args).toContain('--max-volumes-per-node=26');
    expect(containerOf(daemonSetOf(objectsOf()), 'cinder-csi-plugin').args.join(' ')).not.toContain('--max-volumes-per-node');
  });
});

describe('cloud configuration, mode existingSecret', () => {
  const props = { cloudConfig: { mode: CloudConfigMode.EXISTING_SECRET, existingSecret: { name: 'openstack', key: 'cloud-config' } } };

  test('creates no Secret and mounts the named key of the existing Secret into the controller', () => {
    const objects = objectsOf(props);
    expect(ofKind(objects, 'Secret')).toEqual([]);
    const volume = deploymentOf(objects).spec.template.spec.volumes.find((v: any) => v.name === 'cloud-config');
    expect(volume.secret).toEqual({ secretName: 'openstack', items: [{ key: 'cloud-config', path: 'cloud.conf' }], defaultMode: 0o440 });
  });

  test('does not mount the credentials into the node pods unless mountOnNode is set', () => {
    const ds = daemonSetOf(objectsOf(props));
    expect(ds.spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('cloud-config');
    const driver = containerOf(ds, 'cinder-csi-plugin');
    expect(driver.args.join(' ')).not.toContain('--cloud-config');
    expect(driver.volumeMounts.map((m: any) => m.name)).not.toContain('cloud-config');

    const mounted = daemonSetOf(objectsOf({ cloudConfig: { ...props.cloudConfig, existingSecret: { ...props.cloudConfig.existingSecret, mountOnNode: true } } }));
    expect(mounted.spec.template.spec.volumes.find((v: any) => v.name === 'cloud-config').secret.secretName).toBe('openstack');
    expect(containerOf(mounted, 'cinder-csi-plugin').args).toContain('--cloud-config=/etc/cinder-csi/cloud.conf');
  });
});

describe('cloud configuration, mode hostPath', () => {
  test('mounts the host file read-only at the cloud.conf path in both plugins and creates no Secret', () => {
    const objects = objectsOf({ cloudConfig: { mode: CloudConfigMode.HOST_PATH, hostPath: { path: '/etc/openstack/cloud.conf' } } });
    expect(ofKind(objects, 'Secret')).toEqual([]);
    for (const workload of [deploymentOf(objects), daemonSetOf(objects)]) {
      const spec = workload.spec.template.spec;
      expect(spec.volumes.find((v: any) => v.name === 'cloud-config')).toEqual({
        name: 'cloud-config', hostPath: { path: '/etc/openstack/cloud.conf', type: 'File' },
      });
      expect(containerOf(workload, 'cinder-csi-plugin').volumeMounts).toContainEqual({
        name: 'cloud-config', mountPath: '/etc/cinder-csi/cloud.conf', readOnly: true,
      });
    }
  });
});
