import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_NODE_VOLUME_ATTACH_LIMIT } from '../driver-contract';
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
  const schema = withContractBounds(generateValuesSchema({
    path: join(root, 'lib/values/index.ts'),
    tsconfig: join(root, 'tsconfig.json'),
    type: 'CinderCsiValues',
  }));
  return { schema, defaults: defaultsFromSchema(schema) };
}

/**
 * Bounds the driver defines (lib/driver-contract.ts re-exports them from driver/src), written into the schema here
 * so that the values types cannot carry a second, drifting copy: a `@maximum` on such a key is an error.
 */
export const CONTRACT_MAXIMUMS: ReadonlyArray<{ readonly path: readonly string[]; readonly maximum: number }> = [
  { path: ['cloudConfig', 'blockStorage', 'nodeVolumeAttachLimit'], maximum: MAX_NODE_VOLUME_ATTACH_LIMIT },
];

function withContractBounds(schema: SchemaNode): SchemaNode {
  for (const { path, maximum } of CONTRACT_MAXIMUMS) {
    let node: SchemaNode = schema;
    for (const key of path) {
      const child = (node.properties as Record<string, SchemaNode> | undefined)?.[key];
      if (child === undefined) throw new Error(`values schema: no key ${path.join('.')} for the driver's bound`);
      node = child;
    }
    if ('maximum' in node) throw new Error(`values schema: ${path.join('.')} takes its maximum from the driver; remove its @maximum`);
    node.maximum = maximum;
  }
  return schema;
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
  if (version !== lib.CHART_VERSION) {
    throw new Error(`package.json version ${version} differs from CHART_VERSION ${lib.CHART_VERSION} (lib/metadata.ts, the constructs' helm.sh/chart label)`);
  }
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
