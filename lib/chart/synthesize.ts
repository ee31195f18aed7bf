import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonObject } from '../template';
import { chartFiles, CHART_NAME } from './chart-files';
import { defaultsFromSchema } from './defaults';
import { generateValuesSchema, SchemaNode } from './schema';
import { writeTree } from './write-tree';

/** Where generated artifacts go, relative to an output root (the repository, or a temp dir in tests). */
export const GENERATED_DIR = 'lib/generated';
export const CHART_DIR = `charts/${CHART_NAME}`;
export const DIST_FILE = 'dist/cinder-csi.yaml';

/** Schema and defaults, generated from the TypeScript values interfaces of the repository at `root`. */
export function valuesArtifacts(root: string): { schema: SchemaNode; defaults: JsonObject } {
  const schema = generateValuesSchema({
    path: join(root, 'lib/values/index.ts'),
    tsconfig: join(root, 'tsconfig.json'),
    type: 'CinderCsiValues',
  });
  return { schema, defaults: defaultsFromSchema(schema) };
}

export function generatedFiles(schema: SchemaNode, defaults: JsonObject): Map<string, string> {
  return new Map([
    ['values.schema.json', `${JSON.stringify(schema, null, 2)}\n`],
    ['values.defaults.json', `${JSON.stringify(defaults, null, 2)}\n`],
  ]);
}

/**
 * The project's synthesis: lib/generated/ (schema, defaults), charts/cinder-csi/ and dist/cinder-csi.yaml,
 * written under `outRoot` from the sources under `root`. Deterministic: same sources, same bytes.
 */
export async function synthesize(root: string, outRoot: string = root): Promise<void> {
  const { schema, defaults } = valuesArtifacts(root);
  // The constructs load lib/generated at import time, so it is written before they are imported.
  writeTree(join(outRoot, GENERATED_DIR), generatedFiles(schema, defaults));
  const lib = await import('../index');
  const version = readVersion(join(root, 'package.json'));
  const appVersion = readVersion(join(root, 'driver/package.json'));
  const { valuesRules } = await import('../values/rules');
  writeTree(join(outRoot, CHART_DIR), chartFiles({ templates: lib.objectTemplates, assertions: valuesRules, schema, defaults, version, appVersion }));
  const { renderDefaultDeployment } = await import('./default-deployment');
  writeTree(join(outRoot, 'dist'), new Map([['cinder-csi.yaml', renderDefaultDeployment()]]));
}

function readVersion(packageJson: string): string {
  const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown }).version;
  if (typeof version !== 'string') throw new Error(`${packageJson}: no version`);
  return version;
}
