import { Document, parse, Scalar, visit } from 'yaml';

/*
 * Plain manifests are read by YAML 1.1 readers (go-yaml in kubectl and Helm) and YAML 1.2 readers alike. A string
 * either of them would read as something else is written double-quoted: 1.1's `yes`, `0b1`, `12:30:00` (base 60),
 * `2024-06-01` (a timestamp), 1.2's `0o17`; and U+0085, U+2028, U+2029, which 1.1 takes for line breaks even
 * inside quotes, are written as the escapes \N, \L, \P.
 */

const YAML_11_BREAKS = /[\u0085\u2028\u2029]/;
const ESCAPES: Record<string, string> = { '\u0085': '\\N', '\u2028': '\\L', '\u2029': '\\P' };

/** Whether a plain scalar `s` could be read back as anything but the string `s` by a YAML 1.1 or 1.2 reader. */
function ambiguous(s: string): boolean {
  if (YAML_11_BREAKS.test(s)) return true;
  for (const version of ['1.1', '1.2'] as const) {
    try {
      if (parse(s, { version }) !== s) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/** The objects as a multi-document YAML stream that YAML 1.1 and 1.2 readers read back unchanged. */
export function manifestsYaml(objects: readonly unknown[]): string {
  return objects.map((object) => {
    const doc = new Document(object);
    visit(doc, {
      Scalar(_key, node) {
        if (typeof node.value === 'string' && ambiguous(node.value)) node.type = Scalar.QUOTE_DOUBLE;
      },
    });
    return doc.toString({ lineWidth: 0 }).replace(/[\u0085\u2028\u2029]/g, (c) => ESCAPES[c]!);
  }).join('---\n');
}
