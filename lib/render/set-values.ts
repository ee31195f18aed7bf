import { JsonObject, JsonValue } from '../template';
import { getOwn, setOwn } from '../template/own-keys';

/**
 * Helm's `--set` syntax (strvals): `a.b=c,d[0].e=f`, lists as `{x,y}`, `\` escapes `,` `.` `=` `[`.
 * Values are typed like Helm does: true/false (any case), null, integers without leading zeros, the
 * rest strings ("1.5" stays a string, as with Helm). `asStrings` is Helm's `--set-string`: every value a string.
 */
export function parseSet(expression: string, into: JsonObject = {}, asStrings = false): JsonObject {
  const where = `${asStrings ? '--set-string' : '--set'} ${expression}`;
  const scalar = (s: string): JsonValue => (asStrings ? unescape(s) : typed(unescape(s)));
  for (const assignment of splitUnescaped(expression, ',', true)) {
    if (assignment === '') continue;
    const eq = indexOfUnescaped(assignment, '=');
    if (eq < 0) throw new Error(`${where}: "${assignment}" is not key=value`);
    const path = parsePath(assignment.slice(0, eq), where);
    const raw = assignment.slice(eq + 1);
    const value: JsonValue = raw.startsWith('{') && raw.endsWith('}')
      ? splitUnescaped(raw.slice(1, -1), ',', false).filter((s) => s !== '').map(scalar)
      : scalar(raw);
    assign(into, path, value, where);
  }
  return into;
}

type Segment = string | number;

function parsePath(key: string, where: string): Segment[] {
  const out: Segment[] = [];
  for (const part of splitUnescaped(key, '.', false)) {
    const m = /^(.*?)((\[\d+\])*)$/.exec(part);
    const name = unescape(m?.[1] ?? part);
    if (name === '') throw new Error(`${where}: empty key in "${key}"`);
    out.push(name);
    for (const idx of (m?.[2] ?? '').match(/\d+/g) ?? []) {
      const n = Number(idx);
      if (n > 65536) throw new Error(`${where}: index ${n} is too large`);
      out.push(n);
    }
  }
  return out;
}

function assign(root: JsonObject, path: readonly Segment[], value: JsonValue, where: string): void {
  let current: JsonObject | JsonValue[] = root;
  path.forEach((segment, i) => {
    const last = i === path.length - 1;
    const nextIsIndex = typeof path[i + 1] === 'number';
    const read = (): JsonValue | undefined => (Array.isArray(current) ? current[segment as number] : getOwn(current as JsonObject, segment as string));
    const write = (v: JsonValue): void => {
      if (Array.isArray(current)) {
        while (current.length < (segment as number)) current.push(null);
        current[segment as number] = v;
      } else {
        setOwn(current as JsonObject, segment as string, v);
      }
    };
    if (typeof segment === 'number' && !Array.isArray(current)) throw new Error(`${where}: cannot index a map`);
    if (typeof segment === 'string' && Array.isArray(current)) throw new Error(`${where}: a list needs an [index]`);
    if (last) {
      write(value);
      return;
    }
    let next = read();
    if (nextIsIndex ? !Array.isArray(next) : (typeof next !== 'object' || next === null || Array.isArray(next))) {
      next = nextIsIndex ? [] : {};
      write(next);
    }
    current = next as JsonObject | JsonValue[];
  });
}

function typed(s: string): JsonValue {
  const lower = s.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (/^-?(0|[1-9][0-9]*)$/.test(s)) {
    const n = Number(s);
    if (Number.isSafeInteger(n)) return n;
  }
  return s;
}

function splitUnescaped(s: string, sep: string, respectBraces: boolean): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      current += c + s[i + 1];
      i++;
      continue;
    }
    if (respectBraces && c === '{') depth++;
    if (respectBraces && c === '}') depth = Math.max(0, depth - 1);
    if (c === sep && depth === 0) {
      out.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  out.push(current);
  return out;
}

function indexOfUnescaped(s: string, ch: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') { i++; continue; }
    if (s[i] === ch) return i;
  }
  return -1;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}
