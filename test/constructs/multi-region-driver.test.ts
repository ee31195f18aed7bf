import type { Emulator } from '../../driver/test-support/emulator';
import { mountCapability } from '../../driver/test/helpers/capabilities';
import type { CsiClient } from '../../driver/test/helpers/csi-client';
import { GiB } from '../../driver/test/helpers/sizes';
import { startTwoRegions, type TwoRegions } from '../../driver/test/helpers/two-regions';
import { eventually } from '../../driver/test/helpers/waiting';
import { containerOf, deploymentOf, K8sObject, objectsOf, one } from './synth';

/*
 * The chart's multi-region objects drive the real controller against two emulated regions: the controller runs
 * with the --cloud-name flags the Deployment carries, and every call gets the secrets a sidecar would read: the
 * Secret its class's `csi.storage.k8s.io/<kind>-secret-name`/`-namespace` parameters name (which the chart's Role
 * must let it get). Each volume and snapshot must land in the region of its class, and only there.
 */
const objects = objectsOf({
  cloudConfig: { cloudNames: ['region-one', 'region-two'] },
  storageClasses: [{ name: 'cinder-one', cloud: 'region-one' }, { name: 'cinder-two', cloud: 'region-two' }],
  snapshots: { enabled: true, classes: [{ name: 'snap-two', cloud: 'region-two' }] },
});

const SIDECAR_PREFIX = 'csi.storage.k8s.io/';

/** What a sidecar passes as the request's secrets for `kind`: the data of the Secret the class names, which it may get. */
function secretsOf(cls: K8sObject, kind: string): Record<string, string> {
  const name: string = cls.parameters[`${SIDECAR_PREFIX}${kind}-secret-name`];
  const namespace: string = cls.parameters[`${SIDECAR_PREFIX}${kind}-secret-namespace`];
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === name && o.metadata.namespace === namespace);
  if (secret === undefined) throw new Error(`${cls.kind}/${cls.metadata.name}: no Secret ${namespace}/${name} in the render`);
  const role = one(objects, 'Role', 'cinder-csi-cloud-secrets');
  expect(role.metadata.namespace).toBe(namespace);
  expect(role.rules).toContainEqual(expect.objectContaining({ resources: ['secrets'], verbs: ['get'], resourceNames: expect.arrayContaining([name]) }));
  return secret.stringData;
}

/** The class's parameters as the provisioner passes them to the driver: without its own `csi.storage.k8s.io/` keys. */
const driverParameters = (cls: K8sObject): Record<string, string> =>
  Object.fromEntries(Object.entries(cls.parameters as Record<string, string>).filter(([k]) => !k.startsWith(SIDECAR_PREFIX)));

describe('the chart\'s multi-region objects route the real controller to the right emulated region', () => {
  let regions: TwoRegions;
  let one_: Emulator;
  let two: Emulator;
  let client: CsiClient;

  beforeAll(async () => {
    const cloudNameArgs = (containerOf(deploymentOf(objects), 'cinder-csi-plugin').args as string[]).filter((a) => a.startsWith('--cloud-name='));
    expect(cloudNameArgs).toEqual(['--cloud-name=region-one', '--cloud-name=region-two']);
    regions = await startTwoRegions(cloudNameArgs, 'regions');
    ({ one: one_, two, client } = regions);
  }, 60_000);

  afterAll(async () => {
    await regions?.close();
  });

  it('creates, attaches, expands and snapshots each class\'s volumes in its region', async () => {
    const scOne = one(objects, 'StorageClass', 'cinder-one');
    const scTwo = one(objects, 'StorageClass', 'cinder-two');
    const create = (name: string, sc: K8sObject) => client.controller.createVolume(
      { name, capacityRange: { requiredBytes: GiB }, volumeCapabilities: [mountCapability()], parameters: driverParameters(sc), secrets: secretsOf(sc, 'provisioner') },
      { deadlineMs: 30_000 },
    );
    const a = (await create('pvc-a', scOne)).volume!.volumeId;
    const b = (await create('pvc-b', scTwo)).volume!.volumeId;
    expect(one_.volumes().map((v) => v.name)).toEqual(['pvc-a']);
    expect(two.volumes().map((v) => v.name)).toEqual(['pvc-b']);

    const server = two.addServer({ name: 'node-in-two' });
    await client.controller.controllerPublishVolume(
      { volumeId: b, nodeId: server.id, volumeCapability: mountCapability(), secrets: secretsOf(scTwo, 'controller-publish') }, { deadlineMs: 30_000 },
    );
    expect(two.volumes().find((v) => v.id === b)?.attachments.map((x) => x.serverId)).toEqual([server.id]);
    await client.controller.controllerUnpublishVolume({ volumeId: b, nodeId: server.id, secrets: secretsOf(scTwo, 'controller-publish') }, { deadlineMs: 30_000 });

    await client.controller.controllerExpandVolume(
      { volumeId: a, capacityRange: { requiredBytes: 2 * GiB }, secrets: secretsOf(scOne, 'controller-expand') }, { deadlineMs: 30_000 },
    );
    expect(one_.volumes().find((v) => v.id === a)?.size).toBe(2);

    const snapClass = one(objects, 'VolumeSnapshotClass', 'snap-two');
    const snap = await client.controller.createSnapshot({ name: 'snap-b', sourceVolumeId: b, secrets: secretsOf(snapClass, 'snapshotter') }, { deadlineMs: 30_000 });
    expect(two.snapshots().map((s) => s.id)).toEqual([snap.snapshot!.snapshotId]);
    expect(one_.snapshots()).toEqual([]);

    await client.controller.deleteSnapshot({ snapshotId: snap.snapshot!.snapshotId, secrets: secretsOf(snapClass, 'snapshotter') }, { deadlineMs: 30_000 });
    await client.controller.deleteVolume({ volumeId: b, secrets: secretsOf(scTwo, 'provisioner') }, { deadlineMs: 30_000 });
    await client.controller.deleteVolume({ volumeId: a, secrets: secretsOf(scOne, 'provisioner') }, { deadlineMs: 30_000 });
    await eventually('both regions to be empty', async () => one_.volumes().length === 0 && two.volumes().length === 0);
  }, 60_000);
});
