import { type Emulator, startEmulator } from '../../test-support/emulator';
import { ADMIN, OpenStackAdmin } from './openstack-admin';
import { probeRequests, type Step, view } from './parity-requests';

/*
 * The emulator the rest of the driver's tests run against must answer like the real services. The same raw
 * request sequence (parity-requests.ts) goes to the emulator and to the real Keystone/Cinder/Nova of the harness,
 * and their answers are compared. Differences that are known and accepted are listed here with the reason; see
 * README.md for the full list.
 */

/** Steps whose error text still differs from the real one (none left). */
const KNOWN_ERROR_TEXT_DIFFERENCES: Record<string, string> = {};
/** Steps whose OpenStack-API-Version answer differs (none left). */
const KNOWN_VERSION_HEADER_DIFFERENCES: Record<string, string> = {};

/** Fields of successful answers that only the real services send here, by step. */
const KNOWN_MISSING_FIELDS: Record<string, string[]> = {
  // The real server boots from a volume (the harness has no Glance); the emulator's server has none attached.
  'get server': ['.server.os-extended-volumes:volumes_attached[].id'],
};

/** "a.b.c" paths of every object key in `value`, arrays represented by their first element. */
function keyPaths(value: unknown, prefix = '', depth = 0): string[] {
  if (depth > 4 || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.length > 0 ? keyPaths(value[0], `${prefix}[]`, depth + 1) : [];
  // `metadata` holds user keys, not API fields (and which volume lists first differs: Cinder's created_at has
  // one-second resolution, so volumes created within a second tie).
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    [`${prefix}.${k}`, ...(k === 'metadata' ? [] : keyPaths(v, `${prefix}.${k}`, depth + 1))]);
}

describe('The OpenStack emulator answers like the real Keystone/Cinder/Nova (Zed)', () => {
  let emu: Emulator | undefined;
  let real: OpenStackAdmin;
  let server: { serverId: string; bootVolumeId: string } | undefined;
  let realSteps: Step[] = [];
  let emuSteps: Step[] = [];

  beforeAll(async () => {
    emu = await startEmulator({ volumeTypes: [{ name: 'fake' }, { name: 'localfs' }], transitionDelayMs: 20 });
    const emuServer = emu.addServer({ name: 'parity' });
    emuSteps = await probeRequests(await OpenStackAdmin.login({ ...ADMIN, authUrl: emu.authUrl }), emuServer.id);
    real = await OpenStackAdmin.login();
    server = await real.bootServer(`parity-${process.pid}`);
    realSteps = await probeRequests(real, server.serverId);
  }, 600_000);

  afterAll(async () => {
    if (server) await real.deleteServer(server.serverId, server.bootVolumeId);
    await emu?.close();
  }, 300_000);

  const pairs = (): { name: string; real: ReturnType<typeof view>; emu: ReturnType<typeof view> }[] =>
    realSteps.map((step, i) => ({ name: step.name, real: view(step.res), emu: view(emuSteps[i]!.res) }));

  it('ran the same request sequence on both', () => {
    expect(realSteps.length).toBeGreaterThan(40);
    expect(emuSteps.map((s) => s.name)).toEqual(realSteps.map((s) => s.name));
  });

  it('answers every request with the real HTTP status code', () => {
    const statuses = pairs().map((p) => ({ name: p.name, status: p.emu.status }));
    expect(statuses).toEqual(pairs().map((p) => ({ name: p.name, status: p.real.status })));
  });

  it('answers every error with the real error body (type, code and message)', () => {
    const errors = pairs().filter((p) => p.real.status >= 400 && !(p.name in KNOWN_ERROR_TEXT_DIFFERENCES));
    expect(errors.length).toBeGreaterThan(10);
    expect(errors.map((p) => ({ name: p.name, body: p.emu.body }))).toEqual(errors.map((p) => ({ name: p.name, body: p.real.body })));
  });

  it('echoes the same OpenStack-API-Version and Retry-After headers', () => {
    const compared = pairs().filter((p) => !(p.name in KNOWN_VERSION_HEADER_DIFFERENCES));
    expect(compared.map((p) => ({ name: p.name, version: p.emu.version, retryAfter: p.emu.retryAfter })))
      .toEqual(compared.map((p) => ({ name: p.name, version: p.real.version, retryAfter: p.real.retryAfter })));
  });

  it('serves the version documents the driver negotiates from with the real ids, statuses and microversion ranges', () => {
    const ranges = (p: ReturnType<typeof view>): unknown => {
      const body = p.body as { version?: Record<string, unknown>; versions?: Record<string, unknown>[] };
      return [...(body.versions ?? []), ...(body.version ? [body.version] : [])]
        .map((v) => ({ id: v.id, status: v.status, min_version: v.min_version, version: v.version }));
    };
    const docs = pairs().filter((p) => / version document$| root versions$/.test(p.name));
    expect(docs.map((p) => p.name)).toEqual(['cinder version document', 'cinder root versions', 'nova version document', 'nova root versions']);
    expect(docs.map((p) => ({ name: p.name, status: p.emu.status, ranges: ranges(p.emu) })))
      .toEqual(docs.map((p) => ({ name: p.name, status: p.real.status, ranges: ranges(p.real) })));
  });

  it('sends every field the real services send in a successful answer', () => {
    const missing = pairs()
      .filter((p) => p.real.status < 300)
      .map((p) => {
        const emuPaths = new Set(keyPaths(p.emu.body));
        const known = KNOWN_MISSING_FIELDS[p.name] ?? [];
        return { name: p.name, missing: keyPaths(p.real.body).filter((k) => !emuPaths.has(k) && !known.includes(k)) };
      })
      .filter((m) => m.missing.length > 0);
    expect(missing).toEqual([]);
  });
});
