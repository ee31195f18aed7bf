import type { Config } from './context';
import { newId } from './context';
import type { Hypervisor } from './hypervisor';
import { isoTime, type State } from './state';
import type { Server } from './types';

/** The Nova instances ("nodes") tests create, and which one the metadata service describes. */
export class Servers {
  private metadataServerId: string | undefined;

  constructor(
    private readonly config: Config,
    private readonly state: State,
    private readonly hypervisor: Hypervisor,
  ) {}

  add(o: { id?: string; name?: string; availabilityZone?: string } = {}): Server {
    const id = o.id ?? newId();
    if (this.state.servers.has(id)) throw new Error(`addServer: server ${id} already exists`);
    const zones = this.config.availabilityZones;
    const availabilityZone = o.availabilityZone ?? (zones[0] as string);
    if (!zones.includes(availabilityZone)) {
      throw new Error(`addServer: availabilityZone "${availabilityZone}" is not one of ${zones.join(', ')}`);
    }
    const name = o.name ?? `node-${this.state.servers.size + 1}`;
    // Nova derives the hostname from the display name the same way (lowercase, other characters to '-').
    const hostname = name.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    this.state.servers.set(id, { id, name, availabilityZone, hostname, createdAt: isoTime(), devices: new Set(['/dev/vda']) });
    return { id, name, availabilityZone, hostname };
  }

  setMetadataServer(serverId: string): void {
    if (!this.state.servers.has(serverId)) throw new Error(`setMetadataServer: unknown server ${serverId}`);
    this.metadataServerId = serverId;
  }

  get metadataServer(): string | undefined {
    return this.metadataServerId;
  }

  /** Like a server delete: its volumes are detached, then the server is gone. */
  async remove(serverId: string): Promise<void> {
    if (!this.state.servers.has(serverId)) throw new Error(`removeServer: unknown server ${serverId}`);
    this.state.servers.delete(serverId);
    if (this.metadataServerId === serverId) this.metadataServerId = undefined;
    for (const v of this.state.volumes.values()) {
      if (!v.attachments.some((a) => a.serverId === serverId)) continue;
      v.attachments = v.attachments.filter((a) => a.serverId !== serverId);
      if (v.attachments.length === 0) {
        await this.hypervisor.detach(v.id);
        v.status = 'available';
      }
      this.state.touch(v);
    }
  }
}
