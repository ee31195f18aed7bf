import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { MAX_NODE_VOLUME_ATTACH_LIMIT } from '../../driver/src/config/attach-limit';
import { loadCloudConfig, parseCloudConfigText } from '../../driver/src/config/cloud-config';
import { PARAM_FORCE_CREATE } from '../../driver/src/controller/snapshots';
import { CinderIdentityService } from '../../driver/src/identity/identity-service';
import { MetadataProvider } from '../../driver/src/metadata/metadata-provider';
import type { Mounter } from '../../driver/src/mounter/mounter';
import { resolveNodeServiceConfig } from '../../driver/src/node/node-config';
import { DriverOptions, parseOptions } from '../../driver/src/options';
import { ControllerHarness, failure, mountCap } from '../../driver/test/controller/harness';
import { CloudConfigMode, DRIVER_VERSION, defaultValues } from '../../lib';
import valuesSchema from '../../lib/generated/values.schema.json';
import {
  containerOf, daemonSetOf, deploymentOf, EVERYTHING_ON, K8sObject, objectsOf, ofKind, one, VALID_GLOBAL,
} from './synth';

/*
 * Item by item, the chart says what the driver and the sidecars do: each test renders the objects for one
 * setting and drives the real driver code (option parser, cloud.conf parser, controller over gRPC against the
 * OpenStack emulator, metadata look-up) with what was rendered.
 */

const ROOT = join(__dirname, '../..');
/** gRPC status FAILED_PRECONDITION (the root package does not depend on @grpc/grpc-js). */
const FAILED_PRECONDITION = 9;
const driverArgs = (workload: K8sObject): string[] => containerOf(workload, 'cinder-csi-plugin').args;
const nodeOptions = (objects: readonly K8sObject[]): DriverOptions => parseOptions(driverArgs(daemonSetOf(objects)), DRIVER_VERSION);
interface SchemaNode { readonly properties?: Record<string, SchemaNode>; readonly description?: string; readonly maximum?: number }
/** The values schema node at a dotted key. */
function schemaAt(key: string): SchemaNode {
  let node = valuesSchema as SchemaNode;
  for (const part of key.split('.')) {
    const child = node.properties?.[part];
    if (child === undefined) throw new Error(`no values key ${key}`);
    node = child;
  }
  return node;
}
const gates = (workload: K8sObject, container: string): string[] =>
  containerOf(workload, container).args.filter((a: string) => a.startsWith('--feature-gates'));

describe('VolumeAttributesClass support, end to end', () => {
  const on = objectsOf({ volumeAttributesClasses: { enabled: true, classes: [{ name: 'cinder-multiattach', parameters: { type: 'multiattach' } }] } });

  // VolumeAttributesClass is GA in csi-provisioner v6 and csi-resizer v2 (always on): no gate, and their read access
  // is granted whether or not this chart creates classes, because a claim may name a class created elsewhere.
  test.each([true, false])('enabled: %s: no feature gate; the resizer watches classes, the provisioner reads them', (enabled) => {
    const objects = objectsOf({ volumeAttributesClasses: { enabled } });
    expect(gates(deploymentOf(objects), 'csi-provisioner')).toEqual([]);
    expect(gates(deploymentOf(objects), 'csi-resizer')).toEqual([]);
    expect(one(objects, 'ClusterRole', 'cinder-csi-kube-system-resizer').rules).toContainEqual({
      apiGroups: ['storage.k8s.io'], resources: ['volumeattributesclasses'], verbs: ['get', 'list', 'watch'],
    });
    expect(one(objects, 'ClusterRole', 'cinder-csi-kube-system-provisioner').rules).toContainEqual({
      apiGroups: ['storage.k8s.io'], resources: ['volumeattributesclasses'], verbs: ['get'],
    });
    expect(JSON.stringify(one(objects, 'ClusterRole', 'cinder-csi-kube-system-attacher').rules)).not.toContain('volumeattributesclasses');
  });

  test('disabled (the default): no class, even with classes listed', () => {
    const off = objectsOf({ volumeAttributesClasses: { classes: [{ name: 'x', parameters: { type: 'multiattach' } }] } });
    expect(ofKind(off, 'VolumeAttributesClass')).toEqual([]);
  });

  test('the classes are storage.k8s.io/v1 objects of this driver whose parameters the driver\'s ControllerModifyVolume applies', async () => {
    const [vac] = ofKind(on, 'VolumeAttributesClass');
    expect(vac).toMatchObject({ apiVersion: 'storage.k8s.io/v1', driverName: 'cinder.csi.openstack.org', parameters: { type: 'multiattach' } });
    const h = await ControllerHarness.start();
    try {
      const caps = await h.controller.controllerGetCapabilities({});
      expect(caps.capabilities.map((c) => c.rpc?.type)).toContain('MODIFY_VOLUME');
      const id = (await h.controller.createVolume({ name: 'vac-1', volumeCapabilities: [mountCap()] })).volume!.volumeId;
      // What csi-resizer sends when a claim names the class: the class's parameters as mutable_parameters.
      await h.controller.controllerModifyVolume({ volumeId: id, mutableParameters: vac!.parameters });
      expect(h.emu.volumes().find((v) => v.id === id)).toMatchObject({ volumeType: 'multiattach' });
      // What csi-provisioner sends for a new claim that names the class.
      const created = await h.controller.createVolume({ name: 'vac-2', volumeCapabilities: [mountCap()], mutableParameters: vac!.parameters });
      expect(h.emu.volumes().find((v) => v.id === created.volume!.volumeId)).toMatchObject({ volumeType: 'multiattach' });
    } finally {
      await h.close();
    }
  });

  test('the docs of the value name the sidecar major versions deployed, which read storage.k8s.io/v1', () => {
    const enabled = schemaAt('volumeAttributesClasses.enabled').description ?? '';
    const d = defaultValues().controller;
    expect(enabled).toContain(`csi-provisioner ${d.provisioner.image.tag.split('.')[0]}`);
    expect(enabled).toContain(`csi-resizer ${d.resizer.image.tag.split('.')[0]}`);
    expect(enabled).toContain('storage.k8s.io/v1');
    const readme = readFileSync(join(ROOT, 'charts/cinder-csi/README.md'), 'utf8');
    expect(readme).toContain(`**Kubernetes >= 1.34.** The csi-provisioner ${d.provisioner.image.tag.split('.')[0]} and csi-resizer ${d.resizer.image.tag.split('.')[0]} `);
  });
});

describe('snapshots.classes[].forceCreate means what it says', () => {
  const classOf = (forceCreate?: boolean): K8sObject => one(objectsOf({
    snapshots: { enabled: true, classes: [{ name: 'snap', ...(forceCreate === undefined ? {} : { forceCreate }) }] },
  }), 'VolumeSnapshotClass');

  test('default and false: in-use volumes are refused by the driver; true: snapshotted', async () => {
    const byDefault = classOf().parameters ?? {};
    const off = classOf(false).parameters ?? {};
    const on = classOf(true).parameters ?? {};
    expect(on).toEqual({ [PARAM_FORCE_CREATE]: 'true' });
    const h = await ControllerHarness.start();
    try {
      const node = h.emu.addServer().id;
      const id = (await h.controller.createVolume({ name: 'snap-src', volumeCapabilities: [mountCap()] })).volume!.volumeId;
      await h.controller.controllerPublishVolume({ volumeId: id, nodeId: node, volumeCapability: mountCap() });
      for (const [name, parameters] of [['default', byDefault], ['false', off]] as const) {
        const refused = await failure(h.controller.createSnapshot({ name: `snap-${name}`, sourceVolumeId: id, parameters }));
        expect({ name, code: refused.code }).toEqual({ name, code: FAILED_PRECONDITION });
        expect(refused.message).toContain(PARAM_FORCE_CREATE);
      }
      const forced = await h.controller.createSnapshot({ name: 'snap-forced', sourceVolumeId: id, parameters: on });
      expect(forced.snapshot!.readyToUse).toBe(true);
      // A detached volume needs no force: the default class snapshots it.
      await h.controller.controllerUnpublishVolume({ volumeId: id, nodeId: node });
      expect((await h.controller.createSnapshot({ name: 'snap-detached', sourceVolumeId: id, parameters: byDefault })).snapshot!.readyToUse).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('topology.enabled only switches the driver\'s topology', () => {
  test.each([true, false])('enabled=%s: no Topology gate on the provisioner (GA); the driver advertises topology exactly when on', async (enabled) => {
    const objects = objectsOf({ topology: { enabled } });
    expect(gates(deploymentOf(objects), 'csi-provisioner')).toEqual([]);
    for (const workload of [deploymentOf(objects), daemonSetOf(objects)]) {
      const options = parseOptions(driverArgs(workload), DRIVER_VERSION);
      expect(options.withTopology).toBe(enabled);
      const identity = new CinderIdentityService({ driverName: options.driverName, vendorVersion: DRIVER_VERSION, withTopology: options.withTopology });
      const { capabilities } = await identity.getPluginCapabilities();
      expect((capabilities ?? []).some((c) => c.service?.type === 'VOLUME_ACCESSIBILITY_CONSTRAINTS')).toBe(enabled);
    }
  });
});

describe('the node attach limit has one maximum', () => {
  test('the values schema takes its maximum from the driver', () => {
    expect(schemaAt('cloudConfig.blockStorage.nodeVolumeAttachLimit').maximum).toBe(MAX_NODE_VOLUME_ATTACH_LIMIT);
    expect(MAX_NODE_VOLUME_ATTACH_LIMIT).toBe(4096);
  });

  test('the maximum the chart accepts reaches the driver as a flag and in cloud.conf, and the driver accepts both', () => {
    const objects = objectsOf({
      cloudConfig: { mode: CloudConfigMode.SECRET, global: VALID_GLOBAL, blockStorage: { nodeVolumeAttachLimit: MAX_NODE_VOLUME_ATTACH_LIMIT } },
    });
    expect(nodeOptions(objects).maxVolumesPerNode).toBe(MAX_NODE_VOLUME_ATTACH_LIMIT);
    const nodeConf = one(objects, 'Secret', 'cinder-csi-node-cloud-config').stringData['cloud.conf'];
    expect(parseCloudConfigText(nodeConf, { requireCredentials: false }).blockStorage.nodeVolumeAttachLimit).toBe(MAX_NODE_VOLUME_ATTACH_LIMIT);
    expect(() => parseOptions(['--max-volumes-per-node=4097'], DRIVER_VERSION)).toThrow(/from 1 to 4096/);
    expect(() => objectsOf({ cloudConfig: { blockStorage: { nodeVolumeAttachLimit: MAX_NODE_VOLUME_ATTACH_LIMIT + 1 } } }))
      .toThrow(`cloudConfig.blockStorage.nodeVolumeAttachLimit: must be <= ${MAX_NODE_VOLUME_ATTACH_LIMIT}`);
  });
});

describe('the node plugin reaches the instance metadata', () => {
  test('node.hostNetwork puts the node pods on the host network with cluster DNS; the controller stays on the pod network', () => {
    const objects = objectsOf({ node: { hostNetwork: true } });
    const spec = daemonSetOf(objects).spec.template.spec;
    expect(spec.hostNetwork).toBe(true);
    expect(spec.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(deploymentOf(objects).spec.template.spec.hostNetwork).toBeUndefined();
  });

  const uuid = '9f2c3c1e-0d5e-4b59-9a39-3d1f2a7e6b01';
  const nodeConfigOf = (objects: readonly K8sObject[]) => {
    const options = nodeOptions(objects);
    // The node gets no cloud.conf by default: the driver's defaults apply, as at start-up.
    const cloudConfig = loadCloudConfig(options.cloudConfigPaths, { requireCredentials: false });
    return resolveNodeServiceConfig({
      metadata: {
        searchOrder: cloudConfig.metadata.searchOrder,
        metadataUrl: options.metadataUrl,
        configDriveDir: options.configDriveDir,
        requestTimeoutMs: 1000,
      },
    }).metadata;
  };
  const noMounter = {} as unknown as Mounter;

  test('the config drive comes first: with one present the metadata URL is never asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cinder-csi-cfgdrive-'));
    try {
      mkdirSync(join(dir, 'openstack/latest'), { recursive: true });
      writeFileSync(join(dir, 'openstack/latest/meta_data.json'), JSON.stringify({ uuid, availability_zone: 'az-1' }));
      const objects = objectsOf({ node: { metadataUrl: 'http://127.0.0.1:9', driver: { extraArgs: [`--config-drive-dir=${dir}`] } } });
      const config = nodeConfigOf(objects);
      expect(config.searchOrder).toEqual(['configDrive', 'metadataService']);
      expect(config.metadataUrl).toBe('http://127.0.0.1:9');
      await expect(new MetadataProvider(noMounter, config).get()).resolves.toEqual({ uuid, availabilityZone: 'az-1' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('node.metadataUrl reaches the driver as --metadata-url, which it reads when there is no config drive', async () => {
    const h = await ControllerHarness.start();
    try {
      const server = h.emu.addServer({ availabilityZone: 'nova' });
      h.emu.setMetadataServer(server.id);
      const objects = objectsOf({ node: { metadataUrl: h.emu.metadataUrl, driver: { extraArgs: ['--config-drive-dir=/nonexistent/config-drive'] } } });
      expect(driverArgs(daemonSetOf(objects))).toContain(`--metadata-url=${h.emu.metadataUrl}`);
      const found = await new MetadataProvider(noMounter, nodeConfigOf(objects)).get();
      expect(found.uuid.replace(/-/g, '')).toBe(server.id.replace(/-/g, ''));
    } finally {
      await h.close();
    }
  });
});

describe('dist/ is a default that deploys', () => {
  const text = readFileSync(join(ROOT, 'dist/cinder-csi.yaml'), 'utf8');
  const objects = parseAllDocuments(text).map((d) => d.toJSON() as K8sObject).filter((o) => o !== null);

  test('no empty cloud.conf: the controller mounts the existing Secret openstack-cloud-config, and the file says how to create it', () => {
    expect(ofKind(objects, 'Secret')).toEqual([]);
    const volume = deploymentOf(objects).spec.template.spec.volumes.find((v: { name: string }) => v.name === 'cloud-config');
    expect(volume.secret).toMatchObject({ secretName: 'openstack-cloud-config', items: [{ key: 'cloud.conf', path: 'cloud.conf' }] });
    expect(text).toContain('kubectl create secret generic openstack-cloud-config --namespace kube-system --from-file=cloud.conf=./cloud.conf');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('kubectl create secret generic openstack-cloud-config --namespace kube-system --from-file=cloud.conf=');
  });

  test('a cloud.conf put in that Secret is what the controller reads, and the driver accepts a complete one', () => {
    const args = driverArgs(deploymentOf(objects));
    const options = parseOptions(args, DRIVER_VERSION);
    expect(options.cloudConfigPaths).toEqual(['/etc/cinder-csi/cloud.conf']);
    const conf = one(objectsOf({ cloudConfig: { mode: CloudConfigMode.SECRET, global: VALID_GLOBAL } }), 'Secret', 'cinder-csi-cloud-config').stringData['cloud.conf'];
    expect(() => parseCloudConfigText(conf, { requireCredentials: true })).not.toThrow();
  });

  test('the chart\'s values.yaml default is the same mode', () => {
    const values = parseYaml(readFileSync(join(ROOT, 'charts/cinder-csi/values.yaml'), 'utf8')) as { cloudConfig: { mode: string; existingSecret: { name: string } } };
    expect(values.cloudConfig.mode).toBe('existingSecret');
    expect(values.cloudConfig.existingSecret.name).toBe('openstack-cloud-config');
  });
});

test('EVERYTHING_ON is a configuration the driver accepts as a controller', () => {
  const conf = one(objectsOf(EVERYTHING_ON), 'Secret', 'cinder-csi-cloud-config').stringData['cloud.conf'];
  expect(() => parseCloudConfigText(conf, { requireCredentials: true })).not.toThrow();
});
