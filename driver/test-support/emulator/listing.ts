import { ApiError, badRequest } from './errors';

/** Cinder's osapi_max_limit default: no page is ever larger. */
export const MAX_LIMIT = 1000;

export interface Listable {
  id: string;
  seq: number;
}

export interface Page<T> {
  items: T[];
  /** The "next" link's href, when Cinder would send one. */
  next?: string;
}

const SORT_KEYS: Record<string, string> = {
  id: 'id',
  name: 'name',
  display_name: 'name',
  status: 'status',
  size: 'size',
  availability_zone: 'availabilityZone',
  created_at: 'seq',
  updated_at: 'updatedAt',
  volume_id: 'volumeId',
};

function parseSort(query: URLSearchParams): Array<{ key: string; dir: 1 | -1 }> {
  const specs: Array<{ key: string; dir: string }> = [];
  const sort = query.get('sort');
  if (sort !== null) {
    if (query.get('sort_key') !== null || query.get('sort_dir') !== null) {
      throw badRequest("The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.");
    }
    for (const part of sort.split(',')) {
      const [key, dir] = part.trim().split(':');
      specs.push({ key: key ?? '', dir: dir ?? 'desc' });
    }
  } else if (query.get('sort_key') !== null) {
    specs.push({ key: query.get('sort_key') as string, dir: query.get('sort_dir') ?? 'desc' });
  } else {
    specs.push({ key: 'created_at', dir: 'desc' });
  }
  const out = specs.map(({ key, dir }) => {
    const field = SORT_KEYS[key];
    if (!field) throw badRequest(`Invalid input received: Invalid sort key ${key}`);
    if (dir !== 'asc' && dir !== 'desc') throw badRequest(`Invalid input received: Unknown sort direction, must be 'desc' or 'asc'`);
    return { key: field, dir: dir === 'asc' ? (1 as const) : (-1 as const) };
  });
  // Cinder always appends id (created_at, id) so that ordering, and hence markers, are stable.
  if (!out.some((s) => s.key === 'id')) out.push({ key: 'seq', dir: out[0]?.dir ?? -1 });
  return out;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return (a as number | string) < (b as number | string) ? -1 : 1;
}

/**
 * Parses Cinder's metadata filter, sent as a JSON or Python-literal dict ("{'k': 'v'}"). Cinder evaluates it
 * with ast.literal_eval and, when that fails, filters by the raw string, which matches nothing: undefined here.
 */
export function parseMetadataFilter(raw: string): Record<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    try {
      parsed = JSON.parse(raw.replace(/'/g, '"'));
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

/** Whether `metadata` holds every pair of the filter (an unparsable filter matches nothing). */
export function metadataMatches(metadata: Record<string, string>, raw: string): boolean {
  const wanted = parseMetadataFilter(raw);
  if (!wanted) return false;
  return Object.entries(wanted).every(([k, v]) => metadata[k] === v);
}

/** Cinder ≥ 3.45 adds "count" (the filtered total) when asked with with_count=true. */
export function wantsCount(query: URLSearchParams, mv: number): boolean {
  return mv >= 45 && /^(t|true|1|yes|y|on)$/i.test(query.get('with_count') ?? '');
}

export function parseLimit(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null) return MAX_LIMIT;
  if (!/^-?\d+$/.test(raw)) throw badRequest('limit param must be an integer');
  const n = Number(raw);
  if (n < 0) throw badRequest('limit param must be positive');
  return Math.min(n, MAX_LIMIT);
}

/**
 * Sorts, then pages with limit/marker the way Cinder does: the next link is present whenever the page is
 * full, even if nothing remains (a real Cinder quirk clients must cope with: the next page is then empty).
 */
export function paginate<T extends Listable>(
  items: T[],
  query: URLSearchParams,
  pageUrl: string,
  withCount = false,
  resource: 'Volume' | 'Snapshot' = 'Volume',
): Page<T> {
  const sort = parseSort(query);
  const sorted = [...items].sort((a, b) => {
    for (const s of sort) {
      const c = compare((a as unknown as Record<string, unknown>)[s.key], (b as unknown as Record<string, unknown>)[s.key]);
      if (c !== 0) return c * s.dir;
    }
    return 0;
  });
  const limit = parseLimit(query);
  let start = 0;
  const marker = query.get('marker');
  if (marker !== null) {
    const idx = sorted.findIndex((i) => i.id === marker);
    // Cinder looks the marker up as the listed resource, so an unknown one is that resource's NotFound.
    if (idx < 0) throw new ApiError(404, `${resource} ${marker} could not be found.`);
    start = idx + 1;
  }
  const page = sorted.slice(start, start + limit);
  const result: Page<T> = { items: page };
  // Cinder compares the limit with the total count when one was asked for (with_count), else with the page
  // length: with a count, even the last page carries a next link once the total reaches the limit.
  const itemCount = withCount ? items.length : page.length;
  if (page.length > 0 && limit <= itemCount) {
    // Like Cinder: the request's own parameters (limit only if the client sent it), with the new marker.
    const params = new URLSearchParams(query);
    params.set('marker', (page[page.length - 1] as T).id);
    result.next = `${pageUrl}?${params.toString()}`;
  }
  return result;
}
