import { CloudError } from './errors';
import type { OpOptions } from './types';

/**
 * Microversion negotiation for Cinder (volume 3.x) and Nova (compute 2.x). Instead of fixed numbers, the driver
 * reads each service's version document once (the GET of the versioned endpoint root, `/v3/` or `/v2.1/`:
 * `min_version` and `version` of the v3 / v2.1 entry) and sends, for a feature, the highest microversion the driver
 * needs that the cloud accepts. A cloud older than a feature needs is refused with a message naming both.
 */

export type VersionedService = 'volume' | 'compute';

export interface Microversion {
  readonly major: number;
  readonly minor: number;
}

/** The range of microversions a service accepts, from its version document. */
export interface VersionRange {
  readonly min: Microversion;
  readonly max: Microversion;
}

export interface MicroversionFeature {
  readonly service: VersionedService;
  /** The lowest microversion that has the feature. */
  readonly needs: Microversion;
  /** Names the feature in the refusal, e.g. "extending an in-use volume". */
  readonly what: string;
}

/** Every feature the driver uses that needs a microversion above the service's base. */
export const FEATURES = {
  /** Cinder: DELETE /attachments/{id}. */
  cinderAttachments: { service: 'volume', needs: { major: 3, minor: 27 }, what: 'removing a Cinder attachment' },
  /** Cinder: os-extend of an in-use volume. */
  cinderInUseExtend: { service: 'volume', needs: { major: 3, minor: 42 }, what: 'extending an in-use volume' },
  /** Cinder: a volume type's multiattach extra spec honoured at create. */
  cinderMultiattach: { service: 'volume', needs: { major: 3, minor: 50 }, what: 'creating a multiattach volume' },
  /** Nova: attaching a multiattach volume (to more than one server). */
  novaMultiattach: { service: 'compute', needs: { major: 2, minor: 60 }, what: 'attaching a multiattach volume' },
} as const satisfies Record<string, MicroversionFeature>;

export type FeatureName = keyof typeof FEATURES;

const BASE: Record<VersionedService, Microversion> = { volume: { major: 3, minor: 0 }, compute: { major: 2, minor: 1 } };
const SERVICE_NAME: Record<VersionedService, string> = { volume: 'Cinder', compute: 'Nova' };

/** The highest microversion the driver needs per service (the highest of its features'). */
export const DRIVER_MAX: Record<VersionedService, Microversion> = (() => {
  const max: Record<VersionedService, Microversion> = { ...BASE };
  for (const feature of Object.values(FEATURES)) {
    if (compare(feature.needs, max[feature.service]) > 0) max[feature.service] = feature.needs;
  }
  return max;
})();

export function compare(a: Microversion, b: Microversion): number {
  return a.major - b.major || a.minor - b.minor;
}

export const format = (v: Microversion): string => `${v.major}.${v.minor}`;

export function parseMicroversion(text: unknown): Microversion | undefined {
  const m = typeof text === 'string' ? /^(\d+)\.(\d+)$/.exec(text.trim()) : null;
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

const asObject = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * The range a version document offers for `major`: Cinder's `{versions: [{id: "v3.0", min_version, version}]}`
 * (at `/v3/`, or the root's 300 Multiple Choices), Nova's `{version: {id: "v2.1", ...}}` (at `/v2.1/`) or its root
 * `{versions: [v2.0, v2.1]}`. Of several entries of that major, the highest wins; an entry with an empty `version`
 * has no microversions (its base only). Undefined when no entry is of that major.
 */
export function parseVersionDocument(body: unknown, major: number): VersionRange | undefined {
  const doc = asObject(body);
  const entries = Array.isArray(doc.versions) ? doc.versions : doc.version !== undefined ? [doc.version] : [];
  let best: VersionRange | undefined;
  for (const raw of entries) {
    const entry = asObject(raw);
    const id = typeof entry.id === 'string' ? /^v(\d+)(?:\.(\d+))?$/.exec(entry.id) : null;
    if (!id || Number(id[1]) !== major) continue;
    const base: Microversion = { major, minor: Number(id[2] ?? 0) };
    const max = parseMicroversion(entry.version) ?? base;
    const min = parseMicroversion(entry.min_version) ?? base;
    if (!best || compare(max, best.max) > 0) best = { min, max };
  }
  return best;
}

/** How long a negotiated range is trusted before the document is read again (a cloud upgrade raises it). */
export const VERSION_DOCUMENT_TTL_MS = 10 * 60_000;

export interface MicroversionOptions {
  /** cloud.conf [BlockStorage] ignore-volume-microversion: skip Cinder's document, send each feature's own version. */
  readonly ignoreVolumeMicroversion?: boolean;
  readonly now?: () => number;
}

/** Reads version documents (through `fetchDocument`) and picks the microversion of each request. */
export class Microversions {
  private readonly ranges = new Map<VersionedService, { at: number; range: Promise<{ range: VersionRange; url: string }> }>();
  private readonly now: () => number;

  constructor(
    private readonly fetchDocument: (service: VersionedService, op: OpOptions) => Promise<{ url: string; body: unknown }>,
    private readonly options: MicroversionOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The service's accepted range and the document's URL (read once, shared by concurrent callers, then cached). */
  async range(service: VersionedService, op: OpOptions = {}): Promise<{ range: VersionRange; url: string }> {
    const cached = this.ranges.get(service);
    if (cached && this.now() - cached.at < VERSION_DOCUMENT_TTL_MS) return cached.range;
    const range = this.fetchDocument(service, op).then(({ url, body }) => {
      const parsed = parseVersionDocument(body, BASE[service].major);
      if (!parsed) {
        throw new CloudError('Unexpected', `${SERVICE_NAME[service]}'s version document at ${url} has no v${BASE[service].major} entry`);
      }
      return { range: parsed, url };
    });
    this.ranges.set(service, { at: this.now(), range });
    range.catch(() => {
      if (this.ranges.get(service)?.range === range) this.ranges.delete(service);
    });
    return range;
  }

  /**
   * The microversion to send for `feature`: the highest the driver needs on that service, lowered to what the cloud
   * accepts. Throws CloudError Configuration (FAILED_PRECONDITION) when the cloud's maximum is below the feature's.
   */
  async forFeature(name: FeatureName, op: OpOptions = {}): Promise<string> {
    const feature: MicroversionFeature = FEATURES[name];
    if (feature.service === 'volume' && this.options.ignoreVolumeMicroversion) return format(feature.needs);
    const { range, url } = await this.range(feature.service, op);
    if (compare(range.max, feature.needs) < 0) {
      throw new CloudError(
        'Configuration',
        `${feature.what} needs ${SERVICE_NAME[feature.service]} microversion ${format(feature.needs)}, but ${url} accepts ${format(range.min)} to ${format(range.max)}`,
      );
    }
    const want = DRIVER_MAX[feature.service];
    const capped = compare(range.max, want) < 0 ? range.max : want;
    return format(compare(capped, range.min) < 0 ? range.min : capped);
  }

  /** Whether the cloud has `feature` (false instead of the refusal). */
  async supports(name: FeatureName, op: OpOptions = {}): Promise<boolean> {
    const feature: MicroversionFeature = FEATURES[name];
    if (feature.service === 'volume' && this.options.ignoreVolumeMicroversion) return true;
    return compare((await this.range(feature.service, op)).range.max, feature.needs) >= 0;
  }
}

/**
 * The URL of a service's version document: the catalog endpoint up to and including its version segment (`v3`,
 * `v2.1`) with a trailing slash (`http://h:8776/v3/<project>` → `http://h:8776/v3/`); the endpoint itself (the
 * versions list) when it has no version segment.
 */
export function versionDocumentUrl(endpoint: string): string {
  const url = new URL(endpoint);
  const segments = url.pathname.split('/');
  const at = segments.findIndex((s) => /^v\d+(\.\d+)?$/.test(s));
  if (at >= 0) url.pathname = `${segments.slice(0, at + 1).join('/')}/`;
  url.search = '';
  return url.toString();
}
