import { Document, isMap, isScalar, Pair, Scalar, YAMLMap } from 'yaml';
import { JsonObject } from '../template';
import { SchemaNode } from './schema';
import { childProperties, typeLabel } from './schema-walk';

const HEADER = [
  ' Default values for cinder-csi (generated from lib/values/*.ts by `npm run synth`; do not edit).',
  ' Every key is documented; values.schema.json rejects unknown keys and wrong types.',
];

/**
 * values.yaml: the defaults, with each key's doc comment above it and a blank line before each group.
 * Written as YAML 1.1-safe text (strings like "yes" or "on" are quoted) because Helm reads values
 * with a YAML 1.1 parser.
 */
export function valuesYaml(schema: SchemaNode, defaults: JsonObject): string {
  const doc = new Document(defaults, { version: '1.1' });
  if (!isMap(doc.contents)) throw new Error('values.yaml: defaults must be a map');
  annotate(doc.contents, schema, true);
  doc.commentBefore = HEADER.join('\n');
  return doc.toString({ lineWidth: 0, indentSeq: true });
}

function annotate(map: YAMLMap, schema: SchemaNode, topLevel: boolean): void {
  const properties = childProperties(schema) ?? {};
  map.items.forEach((item, i) => {
    const pair = item as Pair;
    if (!isScalar(pair.key)) return;
    const key = pair.key as Scalar;
    const child = properties[String(key.value)];
    if (child === undefined) return;
    const isGroup = childProperties(child) !== undefined && !('default' in child);
    key.commentBefore = comment(child, isGroup);
    if ((isGroup || topLevel) && i > 0) key.spaceBefore = true;
    if (isGroup && isMap(pair.value)) annotate(pair.value, child, false);
  });
}

function comment(node: SchemaNode, isGroup: boolean): string {
  const lines = wrap(String(node.description ?? ''), 100);
  if (!isGroup) {
    const facts = [`type: ${typeLabel(node)}`];
    if (typeof node.pattern === 'string') facts.push(`pattern: ${node.pattern}`);
    if (typeof node.minLength === 'number') facts.push(`minLength: ${node.minLength}`);
    if (typeof node.maxLength === 'number') facts.push(`maxLength: ${node.maxLength}`);
    lines.push(`(${facts.join('; ')})`);
    lines.push(...itemFields(node));
  }
  return lines.map((l) => ` ${l}`).join('\n');
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(line);
  }
  return out;
}

/** For a list of objects: one line per item field, since the default items rarely show them all. */
function itemFields(node: SchemaNode): string[] {
  const items = node.items;
  if (typeof items !== 'object' || items === null || Array.isArray(items)) return [];
  const properties = childProperties(items as SchemaNode);
  if (properties === undefined) return [];
  const required = new Set(Array.isArray(items.required) ? items.required.map(String) : []);
  const lines = ['Item fields:'];
  for (const [name, field] of Object.entries(properties)) {
    const def = 'default' in field ? `, default ${JSON.stringify(field.default)}` : '';
    const req = required.has(name) && !('default' in field) ? ', required' : '';
    lines.push(...wrap(`- ${name} (${typeLabel(field)}${req}${def}): ${String(field.description ?? '')}`, 100).map((l, i) => (i === 0 ? `  ${l}` : `      ${l}`)));
  }
  return lines;
}
