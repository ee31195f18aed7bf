import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ControllerRpcType__Output, NodeRpcType__Output } from '../../src/grpc/csi-types';
import { DriverUnderTest } from './driver-under-test';
import { NodeBookkeeping } from './node-support';
import { Cleanup, mountCapability, outcome } from './spec-support';

/** How a write to a published directory ends: "ok" or the errno code (EROFS for a read-only mount). */
async function writeOutcome(dir: string): Promise<string> {
  try {
    await fs.writeFile(path.join(dir, 'probe.txt'), 'x');
    return 'ok';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

describe('CSI conformance: Node publishing by access mode and readonly flag', () => {
  let driver: DriverUnderTest;
  const cleanup = new Cleanup(() => driver);
  const book = new NodeBookkeeping(() => driver, cleanup);
  let controllerCaps: ControllerRpcType__Output[];
  let nodeCaps: NodeRpcType__Output[];
  beforeAll(async () => {
    driver = await DriverUnderTest.start();
    controllerCaps = (await driver.controller.controllerGetCapabilities({})).capabilities.map((c) => c.rpc?.type ?? 'UNKNOWN');
    nodeCaps = (await driver.node.nodeGetCapabilities({})).capabilities.map((c) => c.rpc?.type ?? 'UNKNOWN');
  });
  afterEach(async () => book.run());
  afterAll(async () => driver?.close());

  // spec.md NodePublishVolumeRequest.readonly: "Indicates SP MUST publish the volume in readonly mode."
  it('publishes read-only when readonly is set: writes fail with EROFS while the staged volume stays writable', async () => {
    const cap = mountCapability();
    const volume = await book.attach(cap);
    const staging = await book.stage(volume, cap);
    const target = await book.publish(volume, cap, staging, undefined, true);
    expect(await writeOutcome(target)).toBe('EROFS');
    expect(await writeOutcome(staging)).toBe('ok');
  });

  // spec.md AccessMode SINGLE_NODE_READER_ONLY: "Can only be published once as readonly on a single node".
  it('publishes a SINGLE_NODE_READER_ONLY volume read-only even without the readonly flag', async () => {
    const writer = mountCapability('SINGLE_NODE_WRITER');
    const reader = mountCapability('SINGLE_NODE_READER_ONLY');
    const volume = await book.attach(writer);
    // Format it once as a writer, as a CO would before handing it to readers.
    const formatStaging = await book.stage(volume, writer);
    await driver.node.nodeUnstageVolume({ volumeId: volume.volumeId, stagingTargetPath: formatStaging });
    const staging = await book.stage(volume, reader, formatStaging);
    const target = await book.publish(volume, reader, staging, undefined, false);
    expect(await writeOutcome(target)).toBe('EROFS');
  });

  // spec.md NodePublishVolume, second table (plugins with the SINGLE_NODE_MULTI_WRITER capability):
  // SINGLE_NODE_MULTI_WRITER published at a second target_path on the same node → OK.
  it('with SINGLE_NODE_MULTI_WRITER, publishes a multi-writer volume at a second target on the node', async () => {
    if (!controllerCaps.includes('SINGLE_NODE_MULTI_WRITER') || !nodeCaps.includes('SINGLE_NODE_MULTI_WRITER')) return;
    const multi = mountCapability('SINGLE_NODE_MULTI_WRITER');
    const a = await book.attach(multi);
    const stagingA = await book.stage(a, multi);
    await book.publish(a, multi, stagingA, await driver.targetPath(a.volumeId, 'pod-1'));
    const second = await driver.targetPath(a.volumeId, 'pod-2');
    await book.publish(a, multi, stagingA, second);
    expect(await writeOutcome(second)).toBe('ok');
  });

  // spec.md AccessMode SINGLE_NODE_SINGLE_WRITER: "Can only be published once as read/write at a single workload on
  // a single node"; NodePublishVolume second table: a second target_path → FAILED_PRECONDITION (a SHOULD row).
  it('with SINGLE_NODE_MULTI_WRITER, refuses a second target for a SINGLE_NODE_SINGLE_WRITER volume', async () => {
    if (!controllerCaps.includes('SINGLE_NODE_MULTI_WRITER') || !nodeCaps.includes('SINGLE_NODE_MULTI_WRITER')) return;
    const single = mountCapability('SINGLE_NODE_SINGLE_WRITER');
    const b = await book.attach(single);
    const stagingB = await book.stage(b, single);
    await book.publish(b, single, stagingB, await driver.targetPath(b.volumeId, 'pod-1'));
    const other = await driver.targetPath(b.volumeId, 'pod-2');
    book.track({ volumeId: b.volumeId, targetPath: other });
    const call = driver.node.nodePublishVolume({
      volumeId: b.volumeId,
      publishContext: b.publishContext,
      stagingTargetPath: stagingB,
      targetPath: other,
      volumeCapability: single,
      readonly: false,
    });
    expect(await outcome(call)).toBe('FAILED_PRECONDITION');
  });
});
