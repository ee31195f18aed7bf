import { badRequest } from './errors';

type Json = Record<string, unknown>;

/** The request body's top-level object (e.g. {"volume": {...}}), or 400 naming the missing key. */
export function bodyObject(body: unknown, key: string): Json {
  const outer = body as Json | undefined;
  const inner = typeof outer === 'object' && outer !== null ? outer[key] : undefined;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
    throw badRequest(`Invalid input for field/attribute ${key}. Value: ${JSON.stringify(inner ?? null)}. '${key}' is a required property`);
  }
  return inner as Json;
}

export function optString(o: Json, key: string, maxLength = 255): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw badRequest(`Invalid input for field/attribute ${key}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not of type 'string', 'null'`);
  if (v.length > maxLength) throw badRequest(`Invalid input for field/attribute ${key}. Value: ${v}. '${v}' is too long`);
  return v;
}

/** A positive integer, also accepted as a numeric string as Cinder's schema does. */
export function optPositiveInt(o: Json, key: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  // Cinder's JSON-schema wording: an integer below 1 is "less than the minimum of 1".
  if (typeof n === 'number' && Number.isInteger(n) && n < 1) {
    throw badRequest(`Invalid input for field/attribute ${key}. Value: ${n}. ${n} is less than the minimum of 1`);
  }
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw badRequest(`Invalid input for field/attribute ${key}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not a positive integer`);
  }
  return n;
}

export function optMetadata(o: Json, key = 'metadata'): Record<string, string> | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw badRequest(`Invalid input for field/attribute ${key}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not of type 'object'`);
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Json)) {
    if (typeof val !== 'string' || k.length === 0 || k.length > 255 || val.length > 255) {
      throw badRequest(`Invalid input for field/attribute ${key}. Value: ${JSON.stringify(v)}. Metadata keys and values must be strings of 1-255 characters`);
    }
    out[k] = val;
  }
  return out;
}

export function optBoolean(o: Json, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false|t|f|yes|no|y|n|1|0|on|off)$/i.test(v)) return /^(true|t|yes|y|1|on)$/i.test(v);
  throw badRequest(`Invalid input for field/attribute ${key}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not a valid boolean`);
}
