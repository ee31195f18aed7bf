import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { NodeRpcType__Output } from '../../src/grpc/csi-types';
import type { NodeClient } from '../helpers/csi-client';
import { DriverUnderTest } from './driver-under-test';
import { blockPaths, exists, NodeBookkeeping } from './node-support';
import { blockCapability, Cleanup, GiB, MISSING_VOLUME_ID, mountCapability, outcome } from './spec-support';

// spec.md Topology: key name <= 63, alphanumeric at both ends, '-', '_', '.' between; optional prefix <= 63,
// lower-case DNS notation; each value <= 63, alphanumeric at both ends with '-', '_', '.' between.
const TOPOLOGY_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const TOPOLOGY_PREFIX = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/;

describe('CSI conformance: Node service', () => {
  let driver: DriverUnderTest;
  const cleanup = new Cleanup(() => driver);
  const book = new NodeBookkeeping(() => driver, cleanup);
  let capabilities: NodeRpcType__Output[];
  beforeAll(async () => {
    driver = await DriverUnderTest.start();
    capabilities = (await driver.node.nodeGetCapabilities({})).capabilities.map((c) => c.rpc?.type ?? 'UNKNOWN');
  });
  afterEach(async () => book.run());
  afterAll(async () => driver?.close());

  const n = (): NodeClient => driver.node;

  describe('NodeGetCapabilities', () => {
    // spec.md NodeGetCapabilities: "A Node Plugin MUST implement this RPC call."
    it('lists only known capabilities, each once', () => {
      expect(capabilities).not.toContain('UNKNOWN');
      expect(new Set(capabilities).size).toBe(capabilities.length);
    });

    // spec.md: NodeStage/Unstage MUST be implemented with STAGE_UNSTAGE_VOLUME, NodeGetVolumeStats with
    // GET_VOLUME_STATS or VOLUME_CONDITION, NodeExpandVolume with EXPAND_VOLUME; NodeUnpublishVolume always.
    it('implements the RPC of every capability it advertises', async () => {
      const calls: Array<[NodeRpcType__Output | 'always', () => Promise<unknown>]> = [
        ['STAGE_UNSTAGE_VOLUME', () => n().nodeStageVolume({})],
        ['STAGE_UNSTAGE_VOLUME', () => n().nodeUnstageVolume({})],
        ['GET_VOLUME_STATS', () => n().nodeGetVolumeStats({})],
        ['VOLUME_CONDITION', () => n().nodeGetVolumeStats({})],
        ['EXPAND_VOLUME', () => n().nodeExpandVolume({})],
        ['always', () => n().nodePublishVolume({})],
        ['always', () => n().nodeUnpublishVolume({})],
      ];
      for (const [capability, call] of calls) {
        if (capability === 'always' || capabilities.includes(capability)) expect(await outcome(call())).not.toBe('UNIMPLEMENTED');
      }
    });
  });

  describe('NodeGetInfo', () => {
    // spec.md NodeGetInfoResponse.node_id: REQUIRED, <= 256 bytes, and what ControllerPublishVolume takes; here
    // the Nova instance id from the metadata service.
    it('reports the instance id as a non-empty node_id of at most 256 bytes', async () => {
      const info = await n().nodeGetInfo({});
      expect(info.nodeId).not.toBe('');
      expect(Buffer.byteLength(info.nodeId)).toBeLessThanOrEqual(256);
      expect(info.nodeId).toBe(driver.server.id);
    });

    // spec.md NodeGetInfo: "The CO MAY call this RPC more than once for a given node"; node_id "SHALL be used by the
    // CO in subsequent calls", so it must not change between calls.
    it('answers the same on every call', async () => {
      const [a, b] = [await n().nodeGetInfo({}), await n().nodeGetInfo({})];
      expect(b).toEqual(a);
    });

    // spec.md NodeGetInfoResponse.max_volumes_per_node: "The plugin MUST NOT set negative values"; zero would
    // leave the decision to the CO, while a Nova server has a finite number of disk slots.
    it('reports a positive max_volumes_per_node', async () => {
      expect((await n().nodeGetInfo({})).maxVolumesPerNode).toBeGreaterThan(0);
    });

    // spec.md NodeGetInfoResponse.accessible_topology and the Topology key/value format rules.
    it('reports the node zone as a well-formed accessible_topology', async () => {
      const topology = (await n().nodeGetInfo({})).accessibleTopology;
      expect(topology).not.toBeNull();
      const segments = Object.entries(topology!.segments);
      expect(segments.length).toBeGreaterThan(0);
      const prefixes = new Set<string>();
      for (const [key, value] of segments) {
        const slash = key.lastIndexOf('/');
        const name = slash < 0 ? key : key.slice(slash + 1);
        expect(name).toMatch(TOPOLOGY_NAME);
        if (slash >= 0) {
          expect(key.slice(0, slash)).toMatch(TOPOLOGY_PREFIX);
          prefixes.add(key.slice(0, slash));
        }
        expect(value).toMatch(TOPOLOGY_NAME);
      }
      // "If a key prefix is specified, it MUST be identical across all topology keys returned by the SP."
      expect(prefixes.size).toBeLessThanOrEqual(1);
      expect(Object.values(topology!.segments)).toContain(driver.server.availabilityZone);
    });
  });

  describe('NodeStageVolume', () => {
    // spec.md NodeStageVolumeRequest: volume_id, staging_target_path, volume_capability are REQUIRED.
    it('rejects a request missing volume_id, staging_target_path or volume_capability with INVALID_ARGUMENT', async () => {
      const staging = await driver.stagingPath('any');
      const full = { volumeId: MISSING_VOLUME_ID, stagingTargetPath: staging, volumeCapability: mountCapability() };
      expect(await outcome(n().nodeStageVolume({ ...full, volumeId: '' }))).toBe('INVALID_ARGUMENT');
      expect(await outcome(n().nodeStageVolume({ ...full, stagingTargetPath: '' }))).toBe('INVALID_ARGUMENT');
      expect(await outcome(n().nodeStageVolume({ ...full, volumeCapability: null }))).toBe('INVALID_ARGUMENT');
      expect(await outcome(n().nodeStageVolume({ ...full, volumeCapability: { mount: {} } }))).toBe('INVALID_ARGUMENT');
    });

    // spec.md NodeStageVolume Errors: "Volume does not exist | 5 NOT_FOUND" — from the node's point of view, a
    // volume that is not attached here. The driver waits a bounded time for the device first.
    it('answers NOT_FOUND for a volume that is not attached to this node', async () => {
      // Two different volumes, so that the calls may run side by side (ABORTED is allowed for one volume).
      const [mountId, blockId] = [MISSING_VOLUME_ID, MISSING_VOLUME_ID.replace(/dead$/, 'feed')];
      const [mount, block] = await Promise.all([
        outcome(n().nodeStageVolume({ volumeId: mountId, stagingTargetPath: await driver.stagingPath(mountId), volumeCapability: mountCapability() })),
        outcome(n().nodeStageVolume({ volumeId: blockId, stagingTargetPath: await driver.stagingPath(blockId), volumeCapability: blockCapability() })),
      ]);
      expect([mount, block]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    }, 120_000);

    // spec.md NodeStageVolume: "This operation MUST be idempotent. If the volume ... is already staged to the
    // staging_target_path, and is identical to the specified volume_capability the Plugin MUST reply 0 OK."
    it('stages the volume and answers OK again when repeated', async () => {
      const cap = mountCapability();
      const volume = await book.attach(cap);
      const staging = await book.stage(volume, cap);
      await book.stage(volume, cap, staging);
      const stats = await n().nodeGetVolumeStats({ volumeId: volume.volumeId, volumePath: staging });
      expect(stats.usage.find((u) => u.unit === 'BYTES')?.total).toBeGreaterThan(0);
    });

    // spec.md NodeStageVolume Errors: "Volume published but is incompatible | 6 ALREADY_EXISTS" — already staged
    // at staging_target_path with a different volume_capability.
    it('answers ALREADY_EXISTS when staged at the path with an incompatible capability', async () => {
      const volume = await book.attach(mountCapability());
      const staging = await book.stage(volume, mountCapability('SINGLE_NODE_WRITER', 'ext4'));
      const call = n().nodeStageVolume({
        volumeId: volume.volumeId,
        publishContext: volume.publishContext,
        stagingTargetPath: staging,
        volumeCapability: mountCapability('SINGLE_NODE_WRITER', 'xfs'),
      });
      expect(await outcome(call)).toBe('ALREADY_EXISTS');
    });

    // spec.md NodeStageVolume Errors: "Exceeds capabilities | 9 FAILED_PRECONDITION" (the CO has specified
    // capabilities not supported by the volume): a volume that already holds ext4 cannot be used as xfs, and its
    // data must survive the attempt.
    it('answers FAILED_PRECONDITION for a filesystem type the volume does not hold, keeping its data', async () => {
      const ext4 = mountCapability('SINGLE_NODE_WRITER', 'ext4');
      const volume = await book.attach(ext4);
      const staging = await book.stage(volume, ext4);
      await fs.writeFile(path.join(staging, 'keep.txt'), 'data');
      await n().nodeUnstageVolume({ volumeId: volume.volumeId, stagingTargetPath: staging });
      await fs.mkdir(staging, { recursive: true });
      const asXfs = n().nodeStageVolume({
        volumeId: volume.volumeId,
        publishContext: volume.publishContext,
        stagingTargetPath: staging,
        volumeCapability: mountCapability('SINGLE_NODE_WRITER', 'xfs'),
      });
      expect(await outcome(asXfs)).toBe('FAILED_PRECONDITION');
      await book.stage(volume, ext4, staging);
      expect(await fs.readFile(path.join(staging, 'keep.txt'), 'utf8')).toBe('data');
    });

    // spec.md NodeStage/NodePublish/NodeUnpublish/NodeUnstage: each "MUST be idempotent", for block volumes too.
    it('stages, publishes, unpublishes and unstages a block volume, each call answering OK when repeated', async () => {
      const cap = blockCapability();
      const volume = await book.attach(cap);
      const { staging, target } = await blockPaths(driver, volume.volumeId);
      await book.stage(volume, cap, staging);
      await book.stage(volume, cap, staging);
      await book.publish(volume, cap, staging, target);
      await book.publish(volume, cap, staging, target);
      expect((await fs.stat(target)).isBlockDevice()).toBe(true);
      for (let i = 0; i < 2; i++) expect(await outcome(n().nodeUnpublishVolume({ volumeId: volume.volumeId, targetPath: target }))).toBe('OK');
      expect(await exists(target)).toBe(false);
      for (let i = 0; i < 2; i++) {
        expect(await outcome(n().nodeUnstageVolume({ volumeId: volume.volumeId, stagingTargetPath: staging }))).toBe('OK');
      }
      expect(driver.leftovers().mounts).toEqual([]);
    });
  });

  describe('NodeUnstageVolume', () => {
    // spec.md NodeUnstageVolumeRequest: volume_id and staging_target_path are REQUIRED.
    it('rejects a request missing volume_id or staging_target_path with INVALID_ARGUMENT', async () => {
      const staging = await driver.stagingPath('any');
      expect(await outcome(n().nodeUnstageVolume({ stagingTargetPath: staging }))).toBe('INVALID_ARGUMENT');
      expect(await outcome(n().nodeUnstageVolume({ volumeId: MISSING_VOLUME_ID }))).toBe('INVALID_ARGUMENT');
    });

    // spec.md NodeUnstageVolume: "If the volume corresponding to the volume_id is not staged to the
    // staging_target_path, the Plugin MUST reply 0 OK."
    it('answers OK for a volume that was never staged', async () => {
      const staging = await driver.stagingPath(MISSING_VOLUME_ID);
      expect(await outcome(n().nodeUnstageVolume({ volumeId: MISSING_VOLUME_ID, stagingTargetPath: staging }))).toBe('OK');
    });

    // spec.md NodeUnstageVolume: "This RPC MUST undo the work by the corresponding NodeStageVolume" and "MUST be
    // idempotent".
    it('unstages and answers OK again when repeated', async () => {
      const cap = mountCapability();
      const volume = await book.attach(cap);
      const staging = await book.stage(volume, cap);
      expect(driver.leftovers().mounts).toContain(staging);
      expect(await outcome(n().nodeUnstageVolume({ volumeId: volume.volumeId, stagingTargetPath: staging }))).toBe('OK');
      expect(driver.leftovers().mounts).not.toContain(staging);
      expect(await outcome(n().nodeUnstageVolume({ volumeId: volume.volumeId, stagingTargetPath: staging }))).toBe('OK');
    });
  });

  describe('NodePublishVolume', () => {
    // spec.md NodePublishVolumeRequest: volume_id, target_path and volume_capability are REQUIRED.
    it('rejects a request missing volume_id, target_path or volume_capability with INVALID_ARGUMENT', async () => {
      const staging = await driver.stagingPath('any');
      const target = await driver.targetPath('any');
      const full = { volumeId: MISSING_VOLUME_ID, stagingTargetPath: staging, targetPath: target, volumeCapability: mountCapability(), readonly: false };
      expect(await outcome(n().nodePublishVolume({ ...full, volumeId: '' }))).toBe('INVALID_ARGUMENT');
      expect(await outcome(n().nodePublishVolume({ ...full, targetPath: '' }))).toBe('INVALID_ARGUMENT');
      expect(await outcome(n().nodePublishVolume({ ...full, volumeCapability: null }))).toBe('INVALID_ARGUMENT');
    });

    // spec.md NodePublishVolume Errors: "Staging target path not set | 9 FAILED_PRECONDITION — Indicates that
    // STAGE_UNSTAGE_VOLUME capability is set but no staging_target_path was set."
    it('answers FAILED_PRECONDITION when staging_target_path is not set', async () => {
      const cap = mountCapability();
      const volume = await book.attach(cap);
      await book.stage(volume, cap);
      const target = await driver.targetPath(volume.volumeId);
      book.track({ volumeId: volume.volumeId, targetPath: target });
      const call = n().nodePublishVolume({ volumeId: volume.volumeId, targetPath: target, volumeCapability: cap, readonly: false });
      expect(await outcome(call)).toBe('FAILED_PRECONDITION');
    });

    // spec.md NodePublishVolume Errors: "Volume does not exist | 5 NOT_FOUND" — here: no device for it on this
    // node, nothing staged.
    it('answers NOT_FOUND for a volume that does not exist', async () => {
      const staging = await driver.stagingPath(MISSING_VOLUME_ID);
      const target = await driver.targetPath(MISSING_VOLUME_ID);
      book.track({ volumeId: MISSING_VOLUME_ID, targetPath: target });
      const call = n().nodePublishVolume({
        volumeId: MISSING_VOLUME_ID,
        stagingTargetPath: staging,
        targetPath: target,
        volumeCapability: mountCapability(),
        readonly: false,
      });
      expect(await outcome(call)).toBe('NOT_FOUND');
    }, 120_000);

    // spec.md NodePublishVolume: "This operation MUST be idempotent" (same target, compatible arguments: 0 OK);
    // Errors: "Volume published but is incompatible | 6 ALREADY_EXISTS" (same target_path, other readonly flag).
    it('publishes, answers OK when repeated, and ALREADY_EXISTS for the same target with another readonly flag', async () => {
      const cap = mountCapability();
      const volume = await book.attach(cap);
      const staging = await book.stage(volume, cap);
      const target = await book.publish(volume, cap, staging);
      await book.publish(volume, cap, staging, target);
      expect(driver.leftovers().mounts).toContain(target);
      const readonly = n().nodePublishVolume({
        volumeId: volume.volumeId,
        publishContext: volume.publishContext,
        stagingTargetPath: staging,
        targetPath: target,
        volumeCapability: cap,
        readonly: true,
      });
      expect(await outcome(readonly)).toBe('ALREADY_EXISTS');
    });
  });

  describe('NodeUnpublishVolume', () => {
    // spec.md NodeUnpublishVolumeRequest: volume_id and target_path are REQUIRED.
    it('rejects a request missing volume_id or target_path with INVALID_ARGUMENT', async () => {
      const target = await driver.targetPath('any');
      expect(await outcome(n().nodeUnpublishVolume({ targetPath: target }))).toBe('INVALID_ARGUMENT');
      expect(await outcome(n().nodeUnpublishVolume({ volumeId: MISSING_VOLUME_ID }))).toBe('INVALID_ARGUMENT');
    });

    // spec.md NodeUnpublishVolume: "This operation MUST be idempotent" — nothing published there is not an error.
    it('answers OK for a target that was never published', async () => {
      const target = await driver.targetPath(MISSING_VOLUME_ID);
      expect(await outcome(n().nodeUnpublishVolume({ volumeId: MISSING_VOLUME_ID, targetPath: target }))).toBe('OK');
    });

    // spec.md NodeUnpublishVolumeRequest.target_path: "The SP MUST delete the file or directory it created at this
    // path."
    it('unmounts, removes the target it created, and answers OK again when repeated', async () => {
      const cap = mountCapability();
      const volume = await book.attach(cap);
      const staging = await book.stage(volume, cap);
      const target = await book.publish(volume, cap, staging);
      expect(await outcome(n().nodeUnpublishVolume({ volumeId: volume.volumeId, targetPath: target }))).toBe('OK');
      expect(driver.leftovers().mounts).not.toContain(target);
      expect(await exists(target)).toBe(false);
      expect(await outcome(n().nodeUnpublishVolume({ volumeId: volume.volumeId, targetPath: target }))).toBe('OK');
    });
  });

  describe('NodeGetVolumeStats', () => {
    // spec.md NodeGetVolumeStatsRequest: volume_id and volume_path are REQUIRED.
    it('rejects a request missing volume_id or volume_path with INVALID_ARGUMENT', async () => {
      expect(await outcome(n().nodeGetVolumeStats({ volumePath: driver.kubeletDir }))).toBe('INVALID_ARGUMENT');
      expect(await outcome(n().nodeGetVolumeStats({ volumeId: MISSING_VOLUME_ID }))).toBe('INVALID_ARGUMENT');
    });

    // spec.md NodeGetVolumeStats Errors: "Volume does not exist | 5 NOT_FOUND ... on specified volume_path".
    it('answers NOT_FOUND for a volume_path that does not exist', async () => {
      const missing = path.join(driver.kubeletDir, 'pods', 'no-pod', 'volumes', 'kubernetes.io~csi', 'x', 'mount');
      expect(await outcome(n().nodeGetVolumeStats({ volumeId: MISSING_VOLUME_ID, volumePath: missing }))).toBe('NOT_FOUND');
      // A relative path, as csi-sanity sends ("some/path"): no volume can be there either.
      expect(await outcome(n().nodeGetVolumeStats({ volumeId: MISSING_VOLUME_ID, volumePath: 'some/path' }))).toBe('NOT_FOUND');
    });

    // spec.md VolumeUsage: total and unit REQUIRED, no negative values; NodeGetVolumeStatsResponse.volume_condition
    // "MUST be specified if the VOLUME_CONDITION node capability is supported".
    it('reports byte and inode usage of a published filesystem, and its condition', async () => {
      const cap = mountCapability();
      const volume = await book.attach(cap);
      const staging = await book.stage(volume, cap);
      const target = await book.publish(volume, cap, staging);
      const stats = await n().nodeGetVolumeStats({ volumeId: volume.volumeId, volumePath: target, stagingTargetPath: staging });
      const bytes = stats.usage.find((u) => u.unit === 'BYTES');
      expect(bytes?.unit).toBe('BYTES');
      expect(bytes!.total).toBeGreaterThan(0.9 * GiB);
      expect(bytes!.total).toBeLessThanOrEqual(GiB);
      for (const u of stats.usage) {
        expect(u.unit).not.toBe('UNKNOWN');
        for (const v of [u.total, u.used, u.available]) expect(v).toBeGreaterThanOrEqual(0);
        expect(u.used + u.available).toBeLessThanOrEqual(u.total);
      }
      if (capabilities.includes('VOLUME_CONDITION')) {
        expect(stats.volumeCondition).not.toBeNull();
        expect(stats.volumeCondition!.abnormal).toBe(false);
        expect(stats.volumeCondition!.message).not.toBe('');
      }
    });
  });

  describe('NodeExpandVolume', () => {
    // spec.md NodeExpandVolumeRequest: volume_id and volume_path are REQUIRED.
    it('rejects a request missing volume_id or volume_path with INVALID_ARGUMENT', async () => {
      expect(await outcome(n().nodeExpandVolume({ volumePath: driver.kubeletDir }))).toBe('INVALID_ARGUMENT');
      expect(await outcome(n().nodeExpandVolume({ volumeId: MISSING_VOLUME_ID }))).toBe('INVALID_ARGUMENT');
    });

    // spec.md NodeExpandVolume Errors: "Volume does not exist | 5 NOT_FOUND".
    it('answers NOT_FOUND for a volume_path that does not exist', async () => {
      const missing = path.join(driver.kubeletDir, 'pods', 'no-pod', 'volumes', 'kubernetes.io~csi', 'x', 'mount');
      expect(await outcome(n().nodeExpandVolume({ volumeId: MISSING_VOLUME_ID, volumePath: missing }))).toBe('NOT_FOUND');
      // A relative path, as csi-sanity sends ("some/path"): no volume can be there either.
      expect(await outcome(n().nodeExpandVolume({ volumeId: MISSING_VOLUME_ID, volumePath: 'some/path' }))).toBe('NOT_FOUND');
    });

    // spec.md ControllerExpandVolume + NodeExpandVolume (ONLINE): after the controller grew a published volume and
    // asked for node expansion, NodeExpandVolume grows the filesystem; it "MUST be idempotent".
    // xfs, because it grows online without CAP_SYS_RESOURCE (which ext4's online resize needs and some machines,
    // like containers, lack); the requirement under test is the RPC contract, not a filesystem.
    it('grows the filesystem of a published volume after ControllerExpandVolume, idempotently', async () => {
      const cap = mountCapability('SINGLE_NODE_WRITER', 'xfs');
      const volume = await book.attach(cap);
      const staging = await book.stage(volume, cap);
      const target = await book.publish(volume, cap, staging);
      const expanded = await driver.controller.controllerExpandVolume({
        volumeId: volume.volumeId,
        capacityRange: { requiredBytes: 2 * GiB },
        volumeCapability: cap,
      });
      expect(expanded.nodeExpansionRequired).toBe(true);
      const request = { volumeId: volume.volumeId, volumePath: target, stagingTargetPath: staging, volumeCapability: cap, capacityRange: { requiredBytes: 2 * GiB } };
      const res = await n().nodeExpandVolume(request);
      expect(res.capacityBytes).toBe(2 * GiB);
      const stats = await n().nodeGetVolumeStats({ volumeId: volume.volumeId, volumePath: target });
      expect(stats.usage.find((u) => u.unit === 'BYTES')!.total).toBeGreaterThan(1.5 * GiB);
      expect(await outcome(n().nodeExpandVolume(request))).toBe('OK');
    });
  });
});
