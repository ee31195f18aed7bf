import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NO_EQUIVALENT } from '../../lib/chart/readme';
import { SchemaNode } from '../../lib/chart/schema';
import { CHART } from './chart-harness';

/**
 * The chart README's migration table from the upstream chart names only keys our values schema has, so a renamed
 * or removed value makes this fail instead of leaving the table stale. Read from the committed README (what users
 * see; the staleness test keeps it equal to the generator's output).
 */
const readme = readFileSync(join(CHART, 'README.md'), 'utf8');
const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as SchemaNode;

interface TableRow {
  readonly upstream: string;
  readonly ours: string;
  readonly how: string;
}

function migrationTable(text: string): TableRow[] {
  const section = text.slice(text.indexOf('\n## Migrating from the upstream chart'));
  const lines = section.split('\n');
  const header = lines.indexOf('| Upstream key | Ours | How |');
  if (header < 0) throw new Error('the README has no migration table');
  const rows: TableRow[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim());
    if (cells.length !== 3) throw new Error(`a migration row without 3 cells: ${line}`);
    const [upstream, ours, how] = cells as [string, string, string];
    rows.push({ upstream, ours, how });
  }
  return rows;
}

function properties(node: SchemaNode): Record<string, SchemaNode> | undefined {
  const p = node.properties;
  return typeof p === 'object' && p !== null && !Array.isArray(p) ? (p as Record<string, SchemaNode>) : undefined;
}

/**
 * Why `key` does not name a values key of the schema, or undefined when it does. `a.b` steps into properties,
 * `list[].c` into the items of a list, and a trailing `.*` says "the keys of this group" (an object with properties).
 */
function missingKey(root: SchemaNode, key: string): string | undefined {
  const parts = key.split('.');
  const wildcard = parts[parts.length - 1] === '*';
  let node: SchemaNode = root;
  for (const [i, part] of (wildcard ? parts.slice(0, -1) : parts).entries()) {
    const list = part.endsWith('[]');
    const name = list ? part.slice(0, -2) : part;
    const child = properties(node)?.[name];
    if (child === undefined) return `${key}: no key "${name}" at ${parts.slice(0, i).join('.') || 'the top level'}`;
    node = child;
    if (list) {
      const items = node.items;
      if (typeof items !== 'object' || items === null || Array.isArray(items)) return `${key}: ${name} is not a list`;
      node = items as SchemaNode;
    }
  }
  if (wildcard && properties(node) === undefined) return `${key}: ${parts.slice(0, -1).join('.')} is not a group of keys`;
  return undefined;
}

function backticked(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
}

const rows = migrationTable(readme);

test('the table maps the upstream chart key by key', () => {
  expect(rows.length).toBeGreaterThanOrEqual(30);
  for (const row of rows) {
    expect({ row, upstream: row.upstream.length > 0, how: row.how.length > 0 }).toEqual({ row, upstream: true, how: true });
  }
});

test('every key in the "Ours" column exists in values.schema.json; a row without one says so', () => {
  const problems: string[] = [];
  let named = 0;
  for (const row of rows) {
    if (row.ours === NO_EQUIVALENT) continue;
    const keys = backticked(row.ours);
    if (keys.length === 0) problems.push(`row "${row.upstream}" names no key and does not say "${NO_EQUIVALENT}": ${row.ours}`);
    for (const key of keys) {
      named++;
      const missing = missingKey(schema, key);
      if (missing !== undefined) problems.push(missing);
    }
  }
  expect(problems).toEqual([]);
  expect(named).toBeGreaterThanOrEqual(60);
});

test('the key check rejects what the schema does not have', () => {
  expect(missingKey(schema, 'controller.replicas')).toBeUndefined();
  expect(missingKey(schema, 'storageClasses[].reclaimPolicy')).toBeUndefined();
  expect(missingKey(schema, 'controller.driver.image.*')).toBeUndefined();
  expect(missingKey(schema, 'controller.replica')).toBe('controller.replica: no key "replica" at controller');
  expect(missingKey(schema, 'storageClasses[].reclaim')).toBe('storageClasses[].reclaim: no key "reclaim" at storageClasses[]');
  expect(missingKey(schema, 'controller.replicas[].x')).toBe('controller.replicas[].x: replicas is not a list');
  expect(missingKey(schema, 'controller.replicas.*')).toBe('controller.replicas.*: controller.replicas is not a group of keys');
  expect(missingKey(schema, 'csi.plugin.image.tag')).toBe('csi.plugin.image.tag: no key "csi" at the top level');
});
