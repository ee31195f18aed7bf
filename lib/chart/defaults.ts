import { JsonObject, JsonValue } from '../template';
import { cloneJson } from '../template/go-semantics';
import { SchemaNode } from './schema';

/**
 * The default values, read from the schema: a property's `default` (its `@default` tag), else, for an
 * object with properties, the defaults of its children. A required property with neither is an error,
 * since values.yaml must hold every key.
 */
export function defaultsFromSchema(schema: SchemaNode): JsonObject {
  const value = defaultOf(schema, '');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('values schema: the root must be an object with properties');
  }
  return value;
}

function defaultOf(node: SchemaNode, key: string): JsonValue {
  if ('default' in node) return cloneJson(node.default as JsonValue);
  const properties = node.properties as Record<string, SchemaNode> | undefined;
  if (properties === undefined) throw new Error(`values schema: ${key || '<root>'} has no @default`);
  const out: JsonObject = {};
  for (const [name, child] of Object.entries(properties)) out[name] = defaultOf(child, key ? `${key}.${name}` : name);
  return out;
}
