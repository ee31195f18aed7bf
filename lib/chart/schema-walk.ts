import { JsonValue } from '../template';
import { SchemaNode } from './schema';

/** A values key as the schema describes it. */
export interface ValuesKey {
  /** Dotted path, e.g. `controller.replicas`. */
  readonly path: string;
  readonly schema: SchemaNode;
  /** True for a map with declared properties (a group of keys), false for a leaf value. */
  readonly isGroup: boolean;
  readonly depth: number;
}

export function childProperties(node: SchemaNode): Record<string, SchemaNode> | undefined {
  return node.properties as Record<string, SchemaNode> | undefined;
}

/** Every key of the values tree in declaration order (groups before their children). */
export function valuesKeys(schema: SchemaNode): ValuesKey[] {
  const out: ValuesKey[] = [];
  const walk = (node: SchemaNode, prefix: string, depth: number): void => {
    for (const [name, child] of Object.entries(childProperties(node) ?? {})) {
      const path = prefix ? `${prefix}.${name}` : name;
      // An object with properties and its own default (e.g. resources) is one free-form-ish leaf.
      const isGroup = childProperties(child) !== undefined && !('default' in child);
      out.push({ path, schema: child, isGroup, depth });
      if (isGroup) walk(child, path, depth + 1);
    }
  };
  walk(schema, '', 0);
  return out;
}

/** Short type description for docs, e.g. `string`, `integer (0-10)`, `"a" \| "b"`, `list of string`. */
export function typeLabel(node: SchemaNode): string {
  if (Array.isArray(node.enum)) return node.enum.map((e: JsonValue) => JSON.stringify(e)).join(' | ');
  const type = node.type;
  const base = Array.isArray(type) ? type.join(' or ') : typeof type === 'string' ? type : 'any';
  if (base === 'array') {
    const items = node.items;
    return `list of ${typeof items === 'object' && items !== null && !Array.isArray(items) ? typeLabel(items) : 'any'}`;
  }
  if (base === 'object' && childProperties(node) === undefined) {
    const ap = node.additionalProperties;
    return typeof ap === 'object' && ap !== null && !Array.isArray(ap) && 'type' in ap ? `map of ${typeLabel(ap)}` : 'map (free-form)';
  }
  const bounds: string[] = [];
  if (typeof node.minimum === 'number') bounds.push(`>= ${node.minimum}`);
  if (typeof node.maximum === 'number') bounds.push(`<= ${node.maximum}`);
  return bounds.length ? `${base} (${bounds.join(', ')})` : base;
}
