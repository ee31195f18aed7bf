import * as path from 'node:path';
import { status } from '@grpc/grpc-js';
import type { Emulator } from '../../test-support/emulator';
import { runDriver, StartupError } from '../../src/main';
import type { CsiClient } from '../helpers/csi-client';
import { eventually } from '../helpers/waiting';
import { GiB } from '../helpers/sizes';
import { mountCapability } from '../helpers/capabilities';
import { startTwoRegions, type TwoRegions } from '../helpers/two-regions';
import { failure } from './harness';

/**
 * Upstream's multi-region layout against two emulators (regions "one" and "two", each its own Keystone, Cinder and
 * Nova): one controller with --cloud-name for each, every call routed by its `cloud` secret.
 */
describe('one controller serving two regions (--cloud-name, [Global "name"])', () => {
  let regions: TwoRegions;
  let one: Emulator;
  let two: Emulator;
  let client: CsiClient;
  let conf: string;
  let dir: string;
  const inOne = { cloud: 'region-one' };
  const inTwo = { cloud: 'region-two' };

  beforeAll(async () => {
    regions = await startTwoRegions(['--cloud-name=region-one', '--cloud-name="region-two"'], 'multi');
    ({ one, two, client, conf, dir } = regions);
  }, 60_000);

  afterAll(async () => {
    await regions?.close();
  });

  const create = (name: string, secrets: Record<string, string>) =>
    client.controller.createVolume({ name, capacityRange: { requiredBytes: GiB }, volumeCapabilities: [mountCapability()], secrets }, { deadlineMs: 30_000 });

  it('creates, snapshots, attaches and deletes in the region the cloud secret names, and only there', async () => {
    const a = (await create('pvc-in-one', inOne)).volume!.volumeId;
    const b = (await create('pvc-in-two', inTwo)).volume!.volumeId;
    expect(one.volumes().map((v) => v.name)).toEqual(['pvc-in-one']);
    expect(two.volumes().map((v) => v.name)).toEqual(['pvc-in-two']);

    const snap = await client.controller.createSnapshot({ name: 'snap-in-two', sourceVolumeId: b, secrets: inTwo }, { deadlineMs: 30_000 });
    expect(two.snapshots().map((s) => s.id)).toEqual([snap.snapshot!.snapshotId]);
    expect(one.snapshots()).toEqual([]);
    // The same volume id asked of the other region is that region's NOT_FOUND.
    expect((await failure(client.controller.createSnapshot({ name: 'snap-wrong', sourceVolumeId: b, secrets: inOne }))).code).toBe(status.NOT_FOUND);

    const server = two.addServer({ name: 'node-in-two' });
    await client.controller.controllerPublishVolume({ volumeId: b, nodeId: server.id, volumeCapability: mountCapability(), secrets: inTwo }, { deadlineMs: 30_000 });
    expect(two.volumes().find((v) => v.id === b)?.attachments.map((x) => x.serverId)).toEqual([server.id]);
    await client.controller.controllerUnpublishVolume({ volumeId: b, nodeId: server.id, secrets: inTwo }, { deadlineMs: 30_000 });

    await client.controller.deleteSnapshot({ snapshotId: snap.snapshot!.snapshotId, secrets: inTwo }, { deadlineMs: 30_000 });
    await client.controller.deleteVolume({ volumeId: b, secrets: inTwo }, { deadlineMs: 30_000 });
    await client.controller.deleteVolume({ volumeId: a, secrets: inOne }, { deadlineMs: 30_000 });
    await eventually('both regions to be empty', async () => one.volumes().length === 0 && two.volumes().length === 0);
  });

  it('a call naming no cloud, or one not served, is INVALID_ARGUMENT naming the secret and the clouds served', async () => {
    expect(await failure(create('pvc-nowhere', {}))).toEqual({
      code: status.INVALID_ARGUMENT,
      message: 'secrets.cloud: expected one of this controller\'s clouds: region-one, region-two; none given, and the default [Global] cloud is not served',
    });
    expect(await failure(client.controller.deleteVolume({ volumeId: 'x', secrets: { cloud: 'region-3' } }))).toEqual({
      code: status.INVALID_ARGUMENT,
      message: 'secrets.cloud: expected one of this controller\'s clouds: region-one, region-two; "region-3" is not served (no --cloud-name region-3)',
    });
    expect(one.volumes().concat(two.volumes())).toEqual([]);
  });

  it('ListVolumes pages through both regions in --cloud-name order; ControllerGetVolume finds a volume in either', async () => {
    const ids = [
      (await create('pvc-l1', inOne)).volume!.volumeId,
      (await create('pvc-l2', inOne)).volume!.volumeId,
      (await create('pvc-l3', inTwo)).volume!.volumeId,
    ];
    try {
      const seen: string[] = [];
      const tokens: string[] = [];
      let token = '';
      do {
        const page = await client.controller.listVolumes({ maxEntries: 1, startingToken: token });
        seen.push(...page.entries.map((e) => e.volume!.volumeId));
        token = page.nextToken;
        tokens.push(token);
      } while (token !== '' && tokens.length < 10);
      // Region one's volumes first, then region two's; every token names the region it continues in.
      expect(seen).toHaveLength(3);
      expect(seen.slice(0, 2).sort()).toEqual(ids.slice(0, 2).sort());
      expect(seen[2]).toBe(ids[2]);
      expect(tokens[tokens.length - 1]).toBe('');
      expect(tokens.slice(0, -1).every((t) => /^[01]:/.test(t))).toBe(true);
      expect(tokens.some((t) => t.startsWith('1:'))).toBe(true);
      expect((await failure(client.controller.listVolumes({ startingToken: '7:' }))).code).toBe(status.ABORTED);
      expect((await failure(client.controller.listVolumes({ startingToken: 'v1.abc' }))).code).toBe(status.ABORTED);

      const fromTwo = await client.controller.controllerGetVolume({ volumeId: ids[2] });
      expect(fromTwo.volume?.volumeId).toBe(ids[2]);
      expect((await failure(client.controller.controllerGetVolume({ volumeId: '00000000-0000-0000-0000-000000000000' }))).code).toBe(status.NOT_FOUND);
    } finally {
      await client.controller.deleteVolume({ volumeId: ids[0]!, secrets: inOne });
      await client.controller.deleteVolume({ volumeId: ids[1]!, secrets: inOne });
      await client.controller.deleteVolume({ volumeId: ids[2]!, secrets: inTwo });
    }
  });

  it('refuses to start with a --cloud-name that has no sub-section, naming it', async () => {
    await expect(
      runDriver(['--endpoint', path.join(dir, 'x.sock'), '--cloud-config', conf, '--cloud-name=region-one', '--cloud-name=region-3', '--provide-node-service=false'], {
        logDestination: { write: () => undefined },
      }),
    ).rejects.toEqual(
      new StartupError(`cloud config ${conf}: --cloud-name region-3 has no [Global "region-3"] section (the sub-sections are "region-one", "region-two")`, 1),
    );
  });
});
