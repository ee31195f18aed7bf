import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runTool } from '../../src/mounter/run-tool';
import { ZONE_TOPOLOGY_KEY } from '../../src/topology-key';
import { mountCapability } from '../helpers/capabilities';
import { connectCsi, type CsiClient } from '../helpers/csi-client';
import { LoopFixture, type LoopDevice } from '../mounter/loop-fixture';
import { buildImage, type ImageFile, imageFiles, imageSize, podman, sizeBreakdown, toolsTheDriverRuns } from './image-support';

/**
 * The driver's container image, built from driver/Dockerfile unchanged (scripts/image/build.sh: buildah, stand-in
 * base images made from the Debian mirror and npm packages; reused while its inputs are unchanged), then inspected
 * and run with podman: what it contains, its size, and the node plugin in it staging and publishing a real loop
 * device. Needs root.
 */

const MB = 1_000_000;
const MiB = 1024 * 1024;
const SIZE_LIMIT = 200 * MB;
const PACKAGE_VERSION = (require('../../package.json') as { version: string }).version;

/** How each tool the driver runs says its version (a run of it proves it and its libraries are in the image). */
const VERSION_PROBES: Readonly<Record<string, readonly string[]>> = {
  blkid: ['-V'],
  dumpe2fs: ['-V'],
  e2fsck: ['-V'],
  mcopy: ['--version'],
  'mkfs.ext3': ['-V'],
  'mkfs.ext4': ['-V'],
  'mkfs.xfs': ['-V'],
  mount: ['-V'],
  resize2fs: ['-P', '/dev/null'],
  udevadm: ['--version'],
  umount: ['-V'],
  xfs_growfs: ['-V'],
  xfs_info: ['-V'],
  xorriso: ['-version'],
};

let image: string;
let files: ImageFile[];

beforeAll(async () => {
  image = await buildImage();
  files = await imageFiles(image);
  const size = await imageSize(image);
  const parts = Object.entries(sizeBreakdown(files)).map(([part, bytes]) => `${part} ${(bytes / MB).toFixed(1)} MB`);
  process.stdout.write(`[image] ${image}: ${(size / MB).toFixed(1)} MB uncompressed (limit ${SIZE_LIMIT / MB} MB); ${parts.join(', ')}\n`);
}, 45 * 60_000);

describe('the driver image (driver/Dockerfile)', () => {
  test('is at most 200 MB uncompressed', async () => {
    expect(await imageSize(image)).toBeLessThanOrEqual(SIZE_LIMIT);
  });

  test('holds the driver as one bundle (scripts/bundle.js) with its license notices, and nothing else of it', () => {
    const driverFiles = files.filter((f) => f.type === 'file' && f.path.startsWith('opt/cinder-csi/')).map((f) => f.path).sort();
    expect(driverFiles).toEqual([
      'opt/cinder-csi/bundle/THIRD-PARTY-NOTICES.txt',
      'opt/cinder-csi/bundle/driver.js',
      'opt/cinder-csi/bundle/driver.js.cache',
      'opt/cinder-csi/bundle/main.js',
      'opt/cinder-csi/package.json',
    ]);
    expect(files.some((f) => f.path === 'usr/local/bin/node')).toBe(true);
  });

  // The bundle itself can only hold src/ and production dependencies: scripts/bundle.js refuses anything else.
  test('holds no emulator, trial, test code, TypeScript source, source map or node_modules', () => {
    const forbidden = files.filter((f) =>
      /(^|\/)(emulator|test-support|test|tests|__tests__)(\/|$)/.test(f.path)
      || /(^|\/)trial\.js$/.test(f.path)
      || /\.(ts|mts|cts|map)$/.test(f.path)
      || /^opt\/cinder-csi\/node_modules(\/|$)/.test(f.path));
    expect(forbidden.map((f) => f.path)).toEqual([]);
  });

  test('runs as uid 1000 unless told otherwise', async () => {
    const { stdout } = await podman(['image', 'inspect', '--format', '{{.Config.User}}', image]);
    expect(stdout.trim()).toBe('1000:1000');
  });

  test('--version prints the driver version', async () => {
    const { stdout } = await podman(['run', '--rm', '--network', 'host', image, '--version']);
    expect(stdout).toBe(`${PACKAGE_VERSION}\n`);
  });

  test('its node accepts the code cache built for the bundle, with the ENTRYPOINT as it is', async () => {
    const { stderr } = await podman(['run', '--rm', '--network', 'host', '--env', 'CINDER_CSI_CODE_CACHE=check', image, '--version']);
    expect(stderr).toBe('accepted\n');
  });

  test('its node, with the ENTRYPOINT\'s flags, has no global fetch, FormData, Request or Response (axios would load undici)', async () => {
    const { stdout: entrypoint } = await podman(['image', 'inspect', '--format', '{{json .Config.Entrypoint}}', image]);
    const flags = (JSON.parse(entrypoint) as string[]).filter((a) => a.startsWith('--'));
    expect(flags).toContain('--no-experimental-fetch');
    const script = "console.log([typeof fetch, typeof FormData, typeof Request, typeof Response, process.moduleLoadList.some((m) => m.includes('undici'))].join(' '))";
    const { stdout } = await podman(['run', '--rm', '--network', 'host', '--entrypoint', 'node', image, ...flags, '-e', script]);
    expect(stdout).toBe('undefined undefined undefined undefined false\n');
  });

  test('every tool the driver runs is in it and starts', async () => {
    const tools = await toolsTheDriverRuns();
    expect(tools).toEqual(expect.arrayContaining(['mount', 'umount', 'blkid', 'mkfs.ext4', 'mkfs.xfs', 'resize2fs', 'xfs_growfs']));
    expect(tools.filter((t) => VERSION_PROBES[t] === undefined)).toEqual([]);
    // One container runs them all. 126/127: not found, not executable, or a shared library missing (the loader's
    // status); anything else means the program started (resize2fs has no version flag: -P on /dev/null exits 1).
    const script = tools
      .map((t) => `out=$(${t} ${VERSION_PROBES[t].join(' ')} 2>&1); s=$?; if [ $s -eq 126 ] || [ $s -eq 127 ]; then echo "${t} cannot run ($s): $out"; else echo "${t} runs"; fi`)
      .join('\n');
    const { stdout } = await podman(['run', '--rm', '--network', 'host', '--entrypoint', 'sh', image, '-c', script]);
    expect(stdout.trim().split('\n')).toEqual(tools.map((t) => `${t} runs`));
  });
});

describe('the node plugin in the image, privileged, on real loop devices', () => {
  const container = `cinder-csi-image-test-${randomUUID().slice(0, 8)}`;
  let fixture: LoopFixture;
  let client: CsiClient | undefined;
  let kubeletDir: string;
  let byIdDir: string;
  const loops: LoopDevice[] = [];

  beforeAll(async () => {
    fixture = await LoopFixture.create('image');
    // Mounts the plugin makes inside its container reach the host only through a shared mount (kubelet's dir is one
    // on a real node); here the fixture dir becomes one, and the container gets it with rshared propagation.
    await runTool('mount', ['--bind', fixture.dir, fixture.dir]);
    await runTool('mount', ['--make-rshared', fixture.dir]);
    kubeletDir = await fixture.mkdir('kubelet');
    byIdDir = await fixture.mkdir('by-id');
    const socketDir = await fixture.mkdir('csi');
    // As the chart's node DaemonSet runs it: root, privileged, /dev from the host, the kubelet dir shared.
    await podman([
      'run', '--detach', '--name', container, '--network', 'host', '--privileged', '--user', '0',
      '-v', '/dev:/dev', '-v', `${fixture.dir}:${fixture.dir}:rshared`,
      image,
      `--endpoint=unix://${socketDir}/csi.sock`,
      '--provide-controller-service=false',
      '--node-id=node-in-image',
      '--availability-zone=nova',
      `--kubelet-dir=${kubeletDir}`,
      `--by-id-dir=${byIdDir}`,
      // Never asked (the node id and zone are given); a closed loopback port if it were.
      '--metadata-url=http://127.0.0.1:1',
    ]);
    client = await connectCsi(path.join(socketDir, 'csi.sock'), { waitMs: 60_000 });
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await podman(['rm', '--force', '--time', '5', container]).catch(() => undefined);
    await fixture.cleanup();
  });

  /** A blank "Cinder volume": a sparse loop device, linked into by-id as virtio-blk names it (the plugin finds it so). */
  async function attachVolume(sizeBytes: number): Promise<{ volumeId: string; loop: LoopDevice; staging: string; target: string }> {
    const volumeId = randomUUID();
    const loop = await fixture.attach(sizeBytes, volumeId);
    loops.push(loop);
    await fs.symlink(loop.device, path.join(byIdDir, `virtio-${volumeId.slice(0, 20)}`));
    const staging = path.join(kubeletDir, 'plugins', 'kubernetes.io', 'csi', 'cinder.csi.openstack.org', volumeId, 'globalmount');
    await fs.mkdir(staging, { recursive: true });
    const target = path.join(kubeletDir, 'pods', 'pod-a', 'volumes', 'kubernetes.io~csi', volumeId, 'mount');
    return { volumeId, loop, staging, target };
  }

  function csi(): CsiClient {
    if (client === undefined) throw new Error('the node plugin is not connected');
    return client;
  }

  test('reports the node id and zone it was given', async () => {
    expect(await csi().node.nodeGetInfo({})).toEqual(expect.objectContaining({
      nodeId: 'node-in-image',
      accessibleTopology: { segments: expect.objectContaining({ [ZONE_TOPOLOGY_KEY]: 'nova' }) },
    }));
  });

  test('ext4: stages, publishes, unpublishes and unstages; the host sees the mounts and the data', async () => {
    const { node } = csi();
    const { volumeId, loop, staging, target } = await attachVolume(64 * MiB);
    const volumeCapability = mountCapability('SINGLE_NODE_WRITER', 'ext4');

    await node.nodeStageVolume({ volumeId, stagingTargetPath: staging, volumeCapability, publishContext: {} });
    expect(await mountOf(staging)).toEqual({ source: loop.device, fstype: 'ext4' });
    await node.nodePublishVolume({ volumeId, stagingTargetPath: staging, targetPath: target, volumeCapability, readonly: false });
    expect(await mountOf(target)).toEqual({ source: loop.device, fstype: 'ext4' });

    // Written through the pod's mount on the host, read through the staging mount: one file system.
    await fs.writeFile(path.join(target, 'hello.txt'), 'written on the host\n');
    expect(await fs.readFile(path.join(staging, 'hello.txt'), 'utf8')).toBe('written on the host\n');

    await node.nodeUnpublishVolume({ volumeId, targetPath: target });
    expect(await mountOf(target)).toBeUndefined();
    await node.nodeUnstageVolume({ volumeId, stagingTargetPath: staging });
    expect(await mountOf(staging)).toBeUndefined();
  });

  test('xfs: stages, publishes and grows online to the grown device (mkfs.xfs, xfs_growfs in the image)', async () => {
    const { node } = csi();
    const { volumeId, loop, staging, target } = await attachVolume(320 * MiB);
    const volumeCapability = mountCapability('SINGLE_NODE_WRITER', 'xfs');
    await node.nodeStageVolume({ volumeId, stagingTargetPath: staging, volumeCapability, publishContext: {} });
    await node.nodePublishVolume({ volumeId, stagingTargetPath: staging, targetPath: target, volumeCapability, readonly: false });
    expect(await mountOf(target)).toEqual({ source: loop.device, fstype: 'xfs' });

    const before = await filesystemBytes(target);
    await fixture.grow(loop, 640 * MiB);
    const grown = await node.nodeExpandVolume({ volumeId, volumePath: target, capacityRange: { requiredBytes: 640 * MiB } });
    expect(Number(grown.capacityBytes)).toBe(640 * MiB);
    expect(await filesystemBytes(target)).toBeGreaterThan(before + 300 * MiB);

    await node.nodeUnpublishVolume({ volumeId, targetPath: target });
    await node.nodeUnstageVolume({ volumeId, stagingTargetPath: staging });
    expect(await mountOf(staging)).toBeUndefined();
  });

  test('stops cleanly on SIGTERM; no container, mount or loop device is left', async () => {
    csi().close();
    client = undefined;
    await podman(['stop', '--time', '30', container]);
    const { stdout: exitCode } = await podman(['inspect', '--format', '{{.State.ExitCode}}', container]);
    expect(exitCode.trim()).toBe('0');
    await podman(['rm', container]);
    const { stdout: left } = await podman(['ps', '--all', '--quiet', '--filter', `name=${container}`]);
    expect(left.trim()).toBe('');
    // Only the fixture's own shared bind mount of its dir is left; after it and the test's loop devices, nothing.
    expect(await fixture.leftoverMounts()).toEqual([fixture.dir]);
    for (const loop of loops) await runTool('losetup', ['--detach', loop.device]);
    await runTool('umount', [fixture.dir]);
    expect(await fixture.leftoverMounts()).toEqual([]);
    expect(await fixture.leftoverLoops()).toEqual([]);
  });
});

/** The host's view of a mount point (findmnt), or undefined when nothing is mounted there. */
async function mountOf(target: string): Promise<{ source: string; fstype: string } | undefined> {
  const found = await runTool('findmnt', ['--json', '--output', 'SOURCE,FSTYPE', '--mountpoint', target]).catch(() => undefined);
  if (found === undefined) return undefined;
  const [fs0] = (JSON.parse(found.stdout) as { filesystems: { source: string; fstype: string }[] }).filesystems;
  return { source: fs0.source, fstype: fs0.fstype };
}

/** The size of the file system mounted at a path, as df reports it. */
async function filesystemBytes(target: string): Promise<number> {
  const stats = await fs.statfs(target);
  return stats.blocks * stats.bsize;
}
