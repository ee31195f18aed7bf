import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import type { SeededRandom } from '../helpers/seeded-random';
import { GiB } from '../helpers/sizes';

/**
 * Generates CSI request *bytes* for one request type, from csi.proto by reflection: plausible requests built from
 * the ids the run has seen (so real volumes, snapshots, attachments and mounts come and go), structurally fuzzed
 * ones (fields missing, odd unicode, huge and negative sizes, unknown enum values and parameters), wrong wire types
 * (a string where an int64 belongs, a varint where a message belongs, ...) and byte-level mutations.
 */

/** The ids and paths plausible requests draw from; the test adds what the driver returns. */
export interface FuzzWorld {
  readonly volumeIds: string[];
  readonly snapshotIds: string[];
  readonly nodeIds: readonly string[];
  /** A small set of names, so creates collide (same name, same or different parameters, concurrently). */
  readonly names: readonly string[];
  readonly kubeletDir: string;
  /** Everything generated under the fixture stays under this directory. */
  readonly fixtureDir: string;
}

export type GenerationKind = 'plausible' | 'structural' | 'wrong-wire-type' | 'mutated-bytes';

export interface GeneratedRequest {
  readonly kind: GenerationKind;
  readonly bytes: Buffer;
  /** A short description for failure messages (the object before encoding, shortened). */
  readonly describe: string;
}


/** Every plausible secret value starts with this: no answer and no log line may contain it. */
export const SECRET_MARKER = 'fuzz-secret-value-';

/** Strings a careful server must survive: control characters, line/paragraph separators, bidi marks, astral code points, long ones. */
const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '\0',
  'a\0b',
  '\u2028',
  'line\u2029break',
  '\u202eevil\u202c',
  '\u200f\u200e',
  '😀',
  '🏳️‍🌈👩‍👩‍👧',
  '\ud800',
  '.',
  '..',
  '\udfff\ud800',
  '\ufeff',
  '\uffff',
  'ß',
  'İ',
  '../../etc/passwd',
  '%00',
  '%s%n%x',
  '${jndi:ldap://127.0.0.1/a}',
  '<script>',
  "'; DROP TABLE volumes; --",
  '\r\n\tX-Auth-Token: x',
  '__proto__',
  'constructor',
  'toString',
  '-1',
  '9223372036854775808',
  'NaN',
  'null',
  'undefined',
  '{}',
  '[]',
];

/** Fields a CO sends in every request that has them (and their sub-messages' fields). */
const ESSENTIAL_FIELDS = new Set([
  'volumeId',
  'sourceVolumeId',
  'snapshotId',
  'name',
  'nodeId',
  'volumeCapability',
  'volumeCapabilities',
  'capacityRange',
  'requiredBytes',
  'stagingTargetPath',
  'targetPath',
  'volumePath',
  'accessMode',
  'mode',
  'mount',
  'block',
  'fsType',
  'mutableParameters',
  'snapshot',
  'volume',
]);

const PARAMETER_KEYS: readonly string[] = [
  'type',
  'availability',
  'force-create',
  'volumeType',
  'fsType',
  'csi.storage.k8s.io/fstype',
  'csi.storage.k8s.io/pvc/name',
  'csi.storage.k8s.io/pvc/namespace',
  'csi.storage.k8s.io/pv/name',
  'cinder.csi.openstack.org/cluster',
  'multiattach',
  'unknown-parameter',
];

const PARAMETER_VALUES: readonly string[] = ['standard', 'multiattach', 'nova', 'true', 'false', 'TRUE', 'no-such-type', 'other-zone', 'ext4', 'xfs'];

const SIZES: readonly (number | string)[] = [
  0,
  1,
  -1,
  1 * GiB,
  1 * GiB + 1,
  2 * GiB,
  3 * GiB,
  -GiB,
  1024 * GiB,
  1024 ** 5,
  Number.MAX_SAFE_INTEGER,
  '9223372036854775807',
  '-9223372036854775808',
  '-9223372036854775807',
];

const FS_TYPES: readonly string[] = ['', 'ext4', 'xfs', 'EXT4', 'ext3', 'btrfs', 'vfat', 'nfs', 'ext4 ', 'ext4\0xfs'];

/** A random string of `length` code units, drawn from a mix of ASCII, separators, bidi marks and astral characters. */
function randomText(rng: SeededRandom, length: number): string {
  const alphabets = ['abcdefghijklmnopqrstuvwxyz0123456789-_.', '\u2028\u2029\u202e\u200f\0\t\n ', '日本語ÄÖÜßéèê', '😀🚀🧪'];
  let out = '';
  while (out.length < length) {
    const alphabet = Array.from(rng.pick(alphabets));
    out += rng.pick(alphabet);
  }
  return out;
}

export function oddString(rng: SeededRandom): string {
  const r = rng.next();
  if (r < 0.55) return rng.pick(ODD_STRINGS);
  if (r < 0.75) return randomText(rng, rng.int(1, 64));
  if (r < 0.85) return 'x'.repeat(10 * 1024);
  if (r < 0.93) return randomText(rng, 10 * 1024);
  return rng.pick(ODD_STRINGS) + randomText(rng, rng.int(1, 16));
}

/** A path component that cannot climb out of its parent ('.', '..' and '/' excluded). */
function oddSegment(rng: SeededRandom): string {
  const s = oddString(rng).replace(/\//g, '_').slice(0, 200);
  return s === '' || s === '.' || s === '..' ? 'seg' : s;
}

export class RequestGenerator {
  private readonly validCapabilities: readonly Record<string, unknown>[];
  private secretPrefix = SECRET_MARKER;
  /** The volume id of the request being built: kubelet's staging and publish paths are per volume. */
  private currentVolumeId: string | undefined;

  constructor(
    private readonly rng: SeededRandom,
    private readonly world: FuzzWorld,
    accessModes: protobuf.Enum,
  ) {
    const mode = (name: string): number => {
      const value = accessModes.values[name];
      if (value === undefined) throw new Error(`unknown access mode ${name}`);
      return value;
    };
    this.validCapabilities = [
      { mount: { fsType: 'ext4' }, accessMode: { mode: mode('SINGLE_NODE_WRITER') } },
      { mount: { fsType: 'xfs' }, accessMode: { mode: mode('SINGLE_NODE_SINGLE_WRITER') } },
      { mount: {}, accessMode: { mode: mode('SINGLE_NODE_MULTI_WRITER') } },
      { mount: { fsType: 'ext4', mountFlags: ['noatime'] }, accessMode: { mode: mode('SINGLE_NODE_READER_ONLY') } },
      { block: {}, accessMode: { mode: mode('SINGLE_NODE_WRITER') } },
      { block: {}, accessMode: { mode: mode('MULTI_NODE_MULTI_WRITER') } },
      { mount: { fsType: 'ext4' }, accessMode: { mode: mode('MULTI_NODE_READER_ONLY') } },
    ];
  }

  /** One request of `type`; the kinds are drawn with fixed weights. */
  generate(type: protobuf.Type): GeneratedRequest {
    const r = this.rng.next();
    // A mutation can turn a secrets entry into a parameters entry (one flipped bit in the tag), which the driver
    // then rightly logs; so only requests sent as built carry the marker that must never reach an answer or a log.
    this.secretPrefix = r < 0.75 ? SECRET_MARKER : 'mutated-secret-';
    if (r < 0.45) return this.encoded('plausible', type, this.message(type, 0, 0.05));
    if (r < 0.75) return this.safely(type, () => this.encoded('structural', type, this.message(type, 0, 0.6)));
    if (r < 0.88) return this.wrongWireType(type);
    return this.mutatedBytes(type);
  }

  private encoded(kind: GenerationKind, type: protobuf.Type, object: Record<string, unknown>): GeneratedRequest {
    return { kind, bytes: encode(type, object), describe: describe(object) };
  }

  /** A message object of `type`; `oddness` is the chance that each field is missing or odd instead of plausible. */
  private message(type: protobuf.Type, depth: number, oddness: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (depth > 4) return out;
    if (depth === 0) this.currentVolumeId = undefined;
    for (const field of type.fieldsArray) {
      if (this.rng.chance(oddness / 2)) continue; // missing
      // Plausible requests carry the fields a CO always sends, and the optional ones only now and then.
      if (oddness < 0.1 && !ESSENTIAL_FIELDS.has(field.name) && !this.rng.chance(0.25)) continue;
      // Only one member of a oneof is meant to be set; sometimes set two anyway.
      if (field.partOf && field.partOf.oneof.some((name) => name !== field.name && name in out) && !this.rng.chance(oddness)) continue;
      out[field.name] = this.fieldValue(type, field, depth, this.rng.chance(oddness));
      if (depth === 0 && field.name === 'volumeId' && typeof out.volumeId === 'string') this.currentVolumeId = out.volumeId;
    }
    return out;
  }

  private fieldValue(owner: protobuf.Type, field: protobuf.Field, depth: number, odd: boolean): unknown {
    if (field instanceof protobuf.MapField) {
      const entries: Record<string, unknown> = {};
      const n = odd ? this.rng.int(0, 6) : this.rng.chance(0.5) ? 0 : this.rng.int(1, 2);
      for (let i = 0; i < n; i++) {
        const key = odd && this.rng.chance(0.5) ? oddString(this.rng).slice(0, 300) : this.rng.pick(PARAMETER_KEYS);
        entries[key] = this.scalar(field.type, field.name, field.resolvedType, depth, odd, key);
      }
      return entries;
    }
    if (field.repeated) {
      const n = this.rng.int(odd ? 0 : 1, odd ? 5 : 2);
      return Array.from({ length: n }, () => this.single(owner, field, depth, odd));
    }
    return this.single(owner, field, depth, odd);
  }

  private single(owner: protobuf.Type, field: protobuf.Field, depth: number, odd: boolean): unknown {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) {
      if (resolved.name === 'VolumeCapability' && !odd && this.rng.chance(0.8)) return this.rng.pick(this.validCapabilities);
      if (resolved.name === 'CapacityRange' && !odd) return this.capacityRange();
      return this.message(resolved, depth + 1, odd ? 0.6 : 0.05);
    }
    return this.scalar(field.type, field.name, resolved, depth, odd, owner.name);
  }

  private capacityRange(): Record<string, unknown> {
    const pick = (): number | string => (this.rng.chance(0.7) ? this.rng.pick([1 * GiB, 2 * GiB, 3 * GiB]) : this.rng.pick(SIZES));
    const out: Record<string, unknown> = {};
    if (this.rng.chance(0.85)) out.requiredBytes = pick();
    if (this.rng.chance(0.3)) out.limitBytes = pick();
    return out;
  }

  private scalar(type: string, name: string, resolved: protobuf.Type | protobuf.Enum | null, _depth: number, odd: boolean, context: string): unknown {
    if (resolved instanceof protobuf.Enum) {
      const known = Object.values(resolved.values);
      return odd && this.rng.chance(0.5) ? this.rng.pick([-1, 99, 1 << 20, 2147483647]) : this.rng.pick(known);
    }
    switch (type) {
      case 'string':
        return odd ? oddString(this.rng) : this.plausibleString(name, context);
      case 'bool':
        return this.rng.chance(0.5);
      case 'bytes':
        return this.rng.bytes(this.rng.int(0, 32));
      case 'double':
      case 'float':
        return this.rng.pick([0, -0, 1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e308]);
      case 'int64':
      case 'uint64':
      case 'sint64':
      case 'fixed64':
      case 'sfixed64':
        if (name === 'maxEntries' || !odd) return name.endsWith('Bytes') ? this.rng.pick([1 * GiB, 2 * GiB, 3 * GiB]) : this.rng.int(0, 5);
        return this.rng.pick(SIZES);
      default:
        // int32 and friends (max_entries is int32)
        return odd ? this.rng.pick([-1, 0, 2147483647, -2147483648]) : this.rng.int(0, 5);
    }
  }

  private plausibleString(name: string, context: string): string {
    const w = this.world;
    switch (name) {
      case 'volumeId':
      case 'sourceVolumeId':
        return w.volumeIds.length > 0 && this.rng.chance(0.85) ? this.rng.pick(w.volumeIds) : this.rng.pick(['00000000-0000-0000-0000-000000000000', 'no-such-volume']);
      case 'snapshotId':
      case 'sourceSnapshotId':
        return w.snapshotIds.length > 0 && this.rng.chance(0.85) ? this.rng.pick(w.snapshotIds) : 'no-such-snapshot';
      case 'nodeId':
        // Mostly this node, so volumes get attached here and staged, published, expanded and detached for real.
        return this.rng.chance(0.7) ? (w.nodeIds[0] as string) : this.rng.pick(w.nodeIds);
      case 'name':
        return this.rng.pick(w.names);
      case 'stagingTargetPath':
        return this.stagingPath(context);
      case 'targetPath':
        return this.targetPath(context);
      case 'volumePath':
        return this.rng.chance(0.5) ? this.stagingPath() : this.targetPath();
      case 'fsType':
        return this.rng.pick(FS_TYPES);
      case 'startingToken':
        return this.rng.pick(['', '0', '1', '2', 'x', '-1']);
      case 'secrets':
        return `${this.secretPrefix}${this.rng.int(0, 999)}`;
      default:
        // map values (parameters, contexts) and everything else
        return PARAMETER_KEYS.includes(context) ? this.rng.pick(PARAMETER_VALUES) : this.rng.pick([...PARAMETER_VALUES, 'value']);
    }
  }

  /**
   * A staging path kubelet would use for a known volume, or an odd one; always under the fixture dir. An unstage
   * sometimes names the volume's directory that holds globalmount: not a mount, not empty, and never to be deleted.
   */
  private stagingPath(context = ''): string {
    const csiDir = path.join(this.world.kubeletDir, 'plugins', 'kubernetes.io', 'csi', 'cinder.csi.openstack.org');
    const id = this.pathVolumeId();
    if (context === 'NodeUnstageVolumeRequest' && this.rng.chance(0.1)) return path.join(csiDir, id);
    if (this.rng.chance(0.8)) return path.join(csiDir, id, 'globalmount');
    return path.join(this.world.fixtureDir, 'odd', oddSegment(this.rng));
  }

  /**
   * The request's own volume id when it is one path-safe segment (as kubelet lays paths out), else a known one;
   * sometimes another known volume's, so two volumes' calls meet on one path (kubelet never does that, but the
   * node plugin must answer ABORTED or a spec code, not race).
   */
  private pathVolumeId(): string {
    const own = this.currentVolumeId;
    const shared = this.world.volumeIds.length > 0 && this.rng.chance(0.1);
    if (!shared && own !== undefined && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(own) && own.length <= 128) return own;
    return this.world.volumeIds.length > 0 ? this.rng.pick(this.world.volumeIds) : 'none';
  }

  /** A pod's publish path for a known volume, or odd ones; an unpublish sometimes names the non-empty parent of one. */
  private targetPath(context = ''): string {
    const id = this.pathVolumeId();
    const pod = this.rng.pick(['pod-a', 'pod-b']);
    if (context === 'NodeUnpublishVolumeRequest' && this.rng.chance(0.1)) return path.join(this.world.kubeletDir, 'pods', pod, 'volumes', 'kubernetes.io~csi', id);
    if (this.rng.chance(0.8)) return path.join(this.world.kubeletDir, 'pods', pod, 'volumes', 'kubernetes.io~csi', id, 'mount');
    if (this.rng.chance(0.5)) return path.join(this.world.kubeletDir, 'pods', pod, oddSegment(this.rng));
    return path.join(this.world.fixtureDir, 'odd', oddSegment(this.rng));
  }

  /** A plausible message with one field re-sent under a wire type that does not match its declared type. */
  private wrongWireType(type: protobuf.Type): GeneratedRequest {
    return this.safely(type, () => this.wrongWireTypeOnce(type));
  }

  private wrongWireTypeOnce(type: protobuf.Type): GeneratedRequest {
    const object = this.message(type, 0, 0.05);
    const writer = protobuf.Writer.create();
    const fields = type.fieldsArray;
    const count = this.rng.int(1, 3);
    const notes: string[] = [];
    for (let i = 0; i < count; i++) {
      const field = fields.length > 0 && this.rng.chance(0.9) ? this.rng.pick(fields) : undefined;
      const id = field ? field.id : this.rng.int(100, 5000);
      const wire = this.rng.pick([0, 1, 2, 5]);
      writer.uint32(((id << 3) | wire) >>> 0);
      switch (wire) {
        case 0:
          writer.uint64(this.rng.pick([0, 1, 2 ** 32, Number.MAX_SAFE_INTEGER]));
          break;
        case 1:
          writer.fixed64(this.rng.int(0, 0xffffffff));
          break;
        case 2:
          if (this.rng.chance(0.5)) writer.string(oddString(this.rng));
          else writer.bytes(this.rng.bytes(this.rng.int(0, 24)));
          break;
        default:
          writer.fixed32(this.rng.int(0, 0xffffffff));
      }
      notes.push(`${field?.name ?? `#${id}`}:wire${wire}`);
    }
    const extra = Buffer.from(writer.finish());
    const base = encode(type, object);
    const bytes = this.rng.chance(0.5) ? Buffer.concat([base, extra]) : Buffer.concat([extra, base]);
    return { kind: 'wrong-wire-type', bytes, describe: `${describe(object)} + ${notes.join(',')}` };
  }

  /**
   * Whether every absolute path the server would decode from `bytes` lies inside the areas plausible requests use
   * (a flipped bit or a truncated length can turn a kubelet path into /tmp or the fixture root, and the node service
   * runs as root). Bytes that do not decode are safe: the server refuses them as a whole.
   */
  private safePaths(type: protobuf.Type, bytes: Buffer): boolean {
    let decoded: Record<string, unknown>;
    try {
      decoded = type.toObject(type.decode(bytes)) as Record<string, unknown>;
    } catch {
      return true;
    }
    const k = this.world.kubeletDir;
    const areas = [
      path.join(k, 'plugins', 'kubernetes.io', 'csi', 'cinder.csi.openstack.org'),
      path.join(k, 'pods', 'pod-a'),
      path.join(k, 'pods', 'pod-b'),
      path.join(this.world.fixtureDir, 'odd'),
    ].map((dir) => dir + path.sep);
    return Object.entries(decoded).every(([name, value]) => {
      if (!name.endsWith('Path') || typeof value !== 'string' || !path.isAbsolute(value)) return true;
      const normalized = path.normalize(value);
      return areas.some((area) => normalized.startsWith(area) && normalized.length > area.length);
    });
  }

  /** `make` until its bytes keep paths inside the fixture (bounded); else the plausible request it started from. */
  private safely(type: protobuf.Type, make: () => GeneratedRequest): GeneratedRequest {
    for (let i = 0; i < 8; i++) {
      const request = make();
      if (this.safePaths(type, request.bytes)) return request;
    }
    return this.encoded('plausible', type, this.message(type, 0, 0));
  }

  private mutatedBytes(type: protobuf.Type): GeneratedRequest {
    return this.safely(type, () => this.mutatedBytesOnce(type));
  }

  private mutatedBytesOnce(type: protobuf.Type): GeneratedRequest {
    const base = encode(type, this.message(type, 0, 0.05));
    const bytes = Buffer.from(base);
    const what = this.rng.int(0, 4);
    let out: Buffer;
    if (what === 0 || bytes.length === 0) {
      out = this.rng.bytes(this.rng.int(1, 64)); // noise
    } else if (what === 1) {
      out = bytes.subarray(0, this.rng.int(0, bytes.length - 1)); // truncated
    } else if (what === 2) {
      for (let i = this.rng.int(1, 4); i > 0; i--) {
        const at = this.rng.int(0, bytes.length - 1);
        bytes[at] = (bytes[at] as number) ^ (1 << this.rng.int(0, 7));
      }
      out = bytes; // bit flips
    } else if (what === 3) {
      const at = this.rng.int(0, bytes.length);
      out = Buffer.concat([bytes.subarray(0, at), this.rng.bytes(this.rng.int(1, 8)), bytes.subarray(at)]); // inserted bytes
    } else {
      out = Buffer.concat([bytes, bytes]); // the message twice (proto merge semantics)
    }
    return { kind: 'mutated-bytes', bytes: out, describe: `mutation ${what} of ${base.length} bytes` };
  }
}

/** fromObject then encode: JS values of the right kind become proto (strings become int64, arrays repeated, ...). */
function encode(type: protobuf.Type, object: Record<string, unknown>): Buffer {
  return Buffer.from(type.encode(type.fromObject(object)).finish());
}

function describe(object: Record<string, unknown>): string {
  const text = JSON.stringify(object, (_key, value: unknown) => {
    if (typeof value === 'string' && value.length > 40) return `${value.slice(0, 40)}…(${value.length})`;
    if (value instanceof Uint8Array) return `<${value.length} bytes>`;
    return value;
  });
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}
