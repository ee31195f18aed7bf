import { createGenerator } from 'ts-json-schema-generator';
import { JsonObject, JsonValue } from '../template';

/** A JSON Schema node as we generate it (draft-07, every $ref inlined). */
export type SchemaNode = JsonObject;

export interface SchemaSource {
  /** The TypeScript file declaring the values root type. */
  readonly path: string;
  readonly tsconfig: string;
  /** The values root type, e.g. `CinderCsiValues`. */
  readonly type: string;
}

/**
 * The values JSON Schema, generated from the TypeScript interfaces (doc comments become descriptions,
 * `@default`/`@minimum`/`@pattern`/... become keywords) with every `$ref` inlined, so that the chart,
 * the constructs, values.yaml and the README all read one self-contained tree.
 */
export function generateValuesSchema(source: SchemaSource): SchemaNode {
  const raw = createGenerator({
    path: source.path,
    tsconfig: source.tsconfig,
    type: source.type,
    skipTypeCheck: true,
    sortProps: false,
    jsDoc: 'extended',
    additionalProperties: false,
    topRef: true,
    // `@additionalProperties true` opens one object (e.g. `global`, which a parent chart fills with its own keys).
    extraTags: ['additionalProperties'],
  }).createSchema(source.type) as unknown as JsonObject;
  const definitions = (raw.definitions ?? {}) as Record<string, SchemaNode>;
  const root = inline(raw, definitions, []) as SchemaNode;
  delete root.definitions;
  delete root.$schema;
  const out: SchemaNode = { $schema: 'http://json-schema.org/draft-07/schema#', ...root };
  checkSchema(out, '');
  return out;
}

function inline(node: JsonValue, definitions: Record<string, SchemaNode>, stack: readonly string[]): JsonValue {
  if (Array.isArray(node)) return node.map((n) => inline(n, definitions, stack));
  if (typeof node !== 'object' || node === null) return node;
  const ref = node.$ref;
  if (typeof ref === 'string') {
    const name = decodeURIComponent(ref.replace(/^#\/definitions\//, ''));
    if (stack.includes(name)) throw new Error(`values schema: recursive type ${name} cannot be a values type`);
    const target = definitions[name];
    if (target === undefined) throw new Error(`values schema: unresolved $ref ${ref}`);
    const { $ref: _ignored, ...siblings } = node;
    // The referencing property's own doc comment and default win over the referenced type's.
    return { ...(inline(target, definitions, [...stack, name]) as SchemaNode), ...(inline(siblings, definitions, stack) as SchemaNode) };
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = inline(value, definitions, stack);
  return out;
}

/**
 * The design rules: no nulls, closed objects except free-form maps, a description on every property
 * (it becomes the values.yaml comment and the README row).
 */
function checkSchema(node: SchemaNode, key: string): void {
  const type = node.type;
  if (type === 'null' || (Array.isArray(type) && type.includes('null'))) {
    throw new Error(`values schema: ${key || '<root>'} allows null; values must not be nullable`);
  }
  const properties = node.properties as Record<string, SchemaNode> | undefined;
  if (properties !== undefined) {
    for (const [name, child] of Object.entries(properties)) {
      const childKey = key ? `${key}.${name}` : name;
      if (typeof child.description !== 'string' || child.description === '') {
        throw new Error(`values schema: ${childKey} has no doc comment`);
      }
      checkSchema(child, childKey);
    }
  }
  for (const sub of ['items', 'additionalProperties'] as const) {
    const child = node[sub];
    if (typeof child === 'object' && child !== null && !Array.isArray(child)) checkSchema(child, `${key}[]`);
  }
  for (const sub of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = node[sub];
    if (Array.isArray(list)) list.forEach((c) => checkSchema(c as SchemaNode, key));
  }
}
