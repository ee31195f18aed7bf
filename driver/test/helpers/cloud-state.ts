import type { Emulator, Server } from '../../test-support/emulator';

/** Volume states the emulator passes through on its own (a wait ends when none is left). */
const TRANSITIONAL = new Set(['creating', 'reserved', 'attaching', 'detaching', 'extending', 'deleting', 'retyping']);

/** Waits (bounded, about 30 s) until no volume or snapshot is in a transitional state. */
export async function settle(emu: Emulator): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const busy = emu.volumes().some((v) => TRANSITIONAL.has(v.status)) || emu.snapshots().some((s) => s.status === 'creating' || s.status === 'deleting');
    if (!busy) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the emulator never settled: ${JSON.stringify(emu.volumes().map((v) => [v.id, v.status]))}`);
}

/** OpenStack requests the emulator has served so far, all routes together. */
export function totalRequests(emu: Emulator): number {
  return Object.values(emu.counters.requests).reduce((sum, n) => sum + n, 0);
}

/**
 * Everything the emulator holds (every volume and snapshot, not only this run's), one sorted line each, with ids
 * replaced by names and `prefix` by "<P>", so the states of two runs with different name prefixes compare equal
 * exactly when they hold the same objects. A volume without a name, or a second one with the same name, shows up
 * as its own line.
 */
export function normalizedCloudState(emu: Emulator, prefix: string, servers: { readonly server: Server; readonly otherServer: Server }): string[] {
  const volumes = emu.volumes();
  const snapshots = emu.snapshots();
  const norm = (text: string | null): string => {
    let out = text ?? '<no name>';
    if (prefix !== '') out = out.split(prefix).join('<P>');
    for (const v of volumes) out = out.split(v.id).join(`<volume ${norm0(v.name)}>`);
    for (const s of snapshots) out = out.split(s.id).join(`<snapshot ${norm0(s.name)}>`);
    return out;
  };
  const norm0 = (name: string | null): string => (name === null ? '<no name>' : prefix === '' ? name : name.split(prefix).join('<P>'));
  const server = (id: string): string => (id === servers.server.id ? 'this-node' : id === servers.otherServer.id ? 'other-node' : `unknown server ${id}`);
  const meta = (m: Record<string, string>): string =>
    JSON.stringify(Object.entries(m).map(([k, v]) => [norm(k), norm(v)]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
  const lines = [
    ...volumes.map(
      (v) =>
        `volume ${norm(v.name)} size=${v.size} status=${v.status} type=${v.volumeType} zone=${v.availabilityZone} multiattach=${v.multiattach} ` +
        `from=${norm(v.snapshotId ?? v.sourceVolid ?? '-')} metadata=${meta(v.metadata)} attached=${v.attachments.map((a) => server(a.serverId)).sort().join(',')}`,
    ),
    ...snapshots.map((s) => `snapshot ${norm(s.name)} of ${norm(s.volumeId)} size=${s.size} status=${s.status} metadata=${meta(s.metadata)}`),
  ];
  return lines.sort();
}
