#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { renderManifests } from './render';

/**
 * cinder-csi-render: plain Kubernetes YAML from the values files Helm accepts, without Helm.
 *   cinder-csi-render --values my-values.yaml [--values more.yaml] [--set a.b=c] [--set-string a.b=007] [--release-name N]
 *     [--namespace NS] > out.yaml
 * `--output out.yaml` writes the file itself (handy under `npm run render`, whose banner npm prints on stdout).
 */
function main(argv: readonly string[]): void {
  const program = new Command()
    .name('cinder-csi-render')
    .description('Render the cinder-csi manifests from Helm values files, without Helm (same output as helm template).')
    .option('-f, --values <file>', 'values file (YAML); repeatable, later files win; "-" reads stdin', collect, [])
    .option('--set <key=value>', 'set a value like helm --set (a.b=c,d[0]=e); repeatable, applied after the files', collect, [])
    .option('--set-string <key=value>', 'like --set, but every value is a string (helm --set-string); applied after --set', collect, [])
    .option('--release-name <name>', 'release name, prefix of object names', 'cinder-csi')
    .option('-n, --namespace <namespace>', 'namespace of the namespaced objects', 'kube-system')
    .option('-o, --output <file>', 'write the YAML to this file instead of stdout')
    .showHelpAfterError()
    .parse(argv as string[], { from: 'node' });
  const opts = program.opts<{ values: string[]; set: string[]; setString: string[]; releaseName: string; namespace: string; output?: string }>();
  const valuesFiles = opts.values.map((file) => ({ name: file, content: readValues(file) }));
  const yaml = renderManifests({ valuesFiles, set: opts.set, setString: opts.setString, releaseName: opts.releaseName, namespace: opts.namespace });
  if (opts.output === undefined) process.stdout.write(yaml);
  else writeFileSync(opts.output, yaml);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function readValues(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read values file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

try {
  main(process.argv);
} catch (e) {
  process.stderr.write(`cinder-csi-render: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
