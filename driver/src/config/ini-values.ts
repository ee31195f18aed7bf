/**
 * Value helpers for cloud.conf. Upstream reads the file with Go's gcfg; the `ini` package differs on quoting:
 * it JSON-decodes a double-quoted value but keeps the quotes when the escapes are not valid JSON, strips
 * single quotes (gcfg keeps them), and turns true/false into booleans. So quoted values are taken out of
 * the text before `ini` sees them (see protectQuotedValues) and decoded here with gcfg's rules.
 */

export class ValueError extends Error {}

const TOKEN = /^\u0000q(\d+)\u0000$/;

/**
 * Replaces every value that starts with a quote by an opaque token, so `ini` passes it through untouched.
 * Returns the rewritten text and the raw values by token index.
 */
export function protectQuotedValues(text: string): { text: string; raw: string[] } {
  const raw: string[] = [];
  const lines = text.split(/\r?\n/).map((line) => {
    const match = /^(\s*[^=;#[\s][^=]*?\s*=\s*)(["'].*?)\s*$/.exec(line);
    if (!match) return line;
    raw.push(match[2]);
    return `${match[1]}\u0000q${raw.length - 1}\u0000`;
  });
  return { text: lines.join('\n'), raw };
}

/** A value from `ini` (possibly a token from protectQuotedValues) as the string gcfg would give. */
export function normalizeValue(parsed: unknown, raw: readonly string[]): string {
  if (parsed === null || parsed === undefined) return '';
  if (typeof parsed === 'boolean' || typeof parsed === 'number') return String(parsed);
  if (Array.isArray(parsed)) return normalizeValue(parsed[parsed.length - 1], raw);
  if (typeof parsed !== 'string') throw new ValueError('expected a plain value, got a nested section');
  const token = TOKEN.exec(parsed.trim());
  if (!token) return parsed.trim();
  const value = raw[Number(token[1])];
  // gcfg has no single-quote syntax: the quotes are part of the value.
  if (value.startsWith("'")) return value.replace(/\s+[;#].*$/, '');
  return unquote(value);
}

/** gcfg's double-quoted value: escapes \" \\ \n \t \b; a ; or # comment may follow the closing quote. */
function unquote(quoted: string): string {
  let out = '';
  for (let i = 1; i < quoted.length; i++) {
    const ch = quoted[i];
    if (ch === '"') {
      const rest = quoted.slice(i + 1).trim();
      if (rest !== '' && !rest.startsWith(';') && !rest.startsWith('#')) throw new ValueError('unexpected text after the closing double quote');
      return out;
    }
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = quoted[++i];
    switch (next) {
      case '"':
      case '\\':
        out += next;
        break;
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'b':
        out += '\b';
        break;
      default:
        throw new ValueError(`invalid escape sequence \\${next ?? ''} (allowed: \\" \\\\ \\n \\t \\b)`);
    }
  }
  throw new ValueError('unterminated double quote');
}

/** gcfg's boolean spellings. */
export function parseBool(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0'].includes(v)) return false;
  return undefined;
}

/** Go-style durations used by upstream (`5s`, `1m30s`, `500ms`); a bare number means seconds. */
export function parseDurationMs(value: string): number | undefined {
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = v;
  if (rest === '') return undefined;
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * unit[match[2]];
    rest = rest.slice(match[0].length);
  }
  return Math.round(total);
}
