import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER_METADATA_KEY } from '../../../driver/src/controller/deps';
import { driverCommand } from '../../../driver/test/helpers/driver-process';
import { adminCloudConf, OpenStackAdmin } from '../../../driver/test/openstack/openstack-admin';
import { type CloudSnapshot, type CloudVolume, type DriverCloud, globalSectionAsValues, type WorldVolumeTypes } from './cloud';
import { ManagedProcess } from './processes';

type Json = Record<string, unknown>;

function asVolume(v: Json): CloudVolume {
  const attachments = (v.attachments as { server_id: string; device?: string }[] | undefined) ?? [];
  return {
    id: String(v.id),
    name: String(v.name ?? ''),
    size: Number(v.size),
    status: String(v.status),
    volumeType: String(v.volume_type),
    availabilityZone: String(v.availability_zone),
    metadata: (v.metadata as Record<string, string> | undefined) ?? {},
    snapshotId: (v.snapshot_id as string | null | undefined) ?? null,
    attachments: attachments.map((a) => ({ serverId: a.server_id, device: a.device })),
  };
}

function asSnapshot(s: Json): CloudSnapshot {
  return { id: String(s.id), volumeId: String(s.volume_id), name: String(s.name ?? ''), status: String(s.status) };
}

/**
 * The driver (controller and node services on one socket, as in the emulated world) in front of the REAL Keystone,
 * Cinder and Nova of driver/test/openstack/harness, logged in as the harness admin. The node is a Nova server (fake
 * compute) booted for the run: its id is the driver's `--node-id`, Cinder's availability zone its
 * `--availability-zone`. The driver's `--cluster` is the run's tag, so every volume and snapshot it creates carries the
 * tag in its metadata: that, not the project's contents, is what `leftovers()` reports and `stop()` deletes.
 */
export class OpenStackCloud implements DriverCloud {
  readonly label = 'real Keystone, Cinder and Nova';
  // localfs and localfs-gold are two types of one backend: Cinder retypes between them in place
  // (driver/test/openstack/README.md: fake ↔ localfs needs a migration that fails).
  readonly volumeTypes: WorldVolumeTypes = { storageClass: 'localfs', modified: 'localfs-gold' };
  private stopped: Promise<void> | undefined;

  private constructor(
    private readonly admin: OpenStackAdmin,
    private readonly proc: ManagedProcess,
    private readonly cloudConf: string,
    /** Every name and the `--cluster` of this run start with it. */
    readonly tag: string,
    readonly server: { serverId: string; bootVolumeId: string },
    readonly socket: string,
  ) {}

  /** `driverArgs` come before the world's own flags (the run's `--cluster` always wins). */
  static async start(dir: string, logDir: string, driverArgs: readonly string[] = []): Promise<OpenStackCloud> {
    mkdirSync(dir, { recursive: true });
    const tag = `e2e-cluster-${process.pid}-${Date.now().toString(36)}`;
    const admin = await OpenStackAdmin.login();
    const zone = await admin.volumeZone();
    const server = await admin.bootServer(`${tag}-node`);
    try {
      const cloudConf = join(dir, 'cloud.conf');
      writeFileSync(cloudConf, adminCloudConf(), { mode: 0o600 });
      const socket = join(dir, 'csi.sock');
      const { command, args } = driverCommand([
        `--endpoint=unix://${socket}`,
        `--cloud-config=${cloudConf}`,
        `--kubelet-dir=${join(dir, 'kubelet')}`,
        ...driverArgs,
        `--node-id=${server.serverId}`,
        `--availability-zone=${zone}`,
        `--cluster=${tag}`,
      ]);
      const proc = new ManagedProcess('driver', command, args, logDir);
      try {
        await proc.waitUntil('serving', async () => proc.output().includes('cinder-csi-plugin started'), 60_000);
      } catch (e) {
        await proc.stop();
        throw e;
      }
      return new OpenStackCloud(admin, proc, cloudConf, tag, server, socket);
    } catch (e) {
      await admin.deleteServer(server.serverId, server.bootVolumeId);
      throw e;
    }
  }

  async volume(id: string): Promise<CloudVolume | undefined> {
    const v = await this.admin.volume(id);
    return v && asVolume(v);
  }

  async snapshot(id: string): Promise<CloudSnapshot | undefined> {
    const s = await this.admin.snapshot(id);
    return s && asSnapshot(s);
  }

  /** Volumes and snapshots with this run's `--cluster` in their metadata, and snapshots of those volumes. */
  async leftovers(): Promise<{ volumes: CloudVolume[]; snapshots: CloudSnapshot[] }> {
    const ours = (x: Json): boolean => (x.metadata as Record<string, string> | undefined)?.[CLUSTER_METADATA_KEY] === this.tag;
    const volumes = (await this.admin.volumes()).filter(ours);
    const volumeIds = new Set(volumes.map((v) => String(v.id)));
    const snapshots = (await this.admin.snapshots()).filter((s) => ours(s) || volumeIds.has(String(s.volume_id)));
    return { volumes: volumes.map(asVolume), snapshots: snapshots.map(asSnapshot) };
  }

  /**
   * Everything of this run still in Nova and Cinder, as `kind/id` strings: the node's server, the volumes and
   * snapshots the driver made, and any volume or snapshot named with the run's tag (the server's boot volume).
   */
  async remains(): Promise<string[]> {
    const { volumes, snapshots } = await this.leftovers();
    const named = (x: Json): boolean => String(x.name ?? '').startsWith(this.tag);
    const ids = new Set([...volumes.map((v) => `volume/${v.id}`), ...snapshots.map((s) => `snapshot/${s.id}`)]);
    for (const v of (await this.admin.volumes()).filter(named)) ids.add(`volume/${String(v.id)}`);
    for (const s of (await this.admin.snapshots()).filter(named)) ids.add(`snapshot/${String(s.id)}`);
    for (const s of await this.admin.serversNamed(this.tag)) ids.add(`server/${String(s.id)}`);
    return [...ids].sort();
  }

  cloudConfigGlobal(): Record<string, string> {
    return globalSectionAsValues(this.cloudConf);
  }

  logs(): string {
    return this.proc.output();
  }

  /**
   * Stops the driver, deletes the node's server (Nova detaches what is still attached) and its boot volume, then
   * whatever the run's volumes and snapshots a failed test left (only those: `OpenStackAdmin.deleteCreated`).
   */
  stop(): Promise<void> {
    return (this.stopped ??= (async () => {
      await this.proc.stop(30_000);
      await this.admin.deleteServer(this.server.serverId, this.server.bootVolumeId);
      const { volumes, snapshots } = await this.leftovers();
      await this.admin.deleteCreated({ tag: this.tag, volumeIds: new Set(volumes.map((v) => v.id)), snapshotIds: new Set(snapshots.map((s) => s.id)) });
    })());
  }
}
