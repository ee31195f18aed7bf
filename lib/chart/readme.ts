import { Assertion, describeAssertion, JsonObject, JsonValue } from '../template';
import { SchemaNode } from './schema';
import { typeLabel, valuesKeys } from './schema-walk';

export interface ReadmeInput {
  readonly schema: SchemaNode;
  readonly defaults: JsonObject;
  readonly chartVersion: string;
  readonly appVersion: string;
  /** The values rules beyond the schema (templates/validate.yaml). */
  readonly assertions?: readonly Assertion[];
}

/** The chart README: install, upgrade and the values table, all generated from the same source as values.yaml. */
export function chartReadme(input: ReadmeInput): string {
  return `# cinder-csi

OpenStack Cinder CSI driver for Kubernetes (chart ${input.chartVersion}, driver ${input.appVersion}).

This chart is generated from the typed cdk8s constructs of the cinder-csi project (\`npm run synth\`); the
same values render the same objects through Helm, through the constructs, and through \`cinder-csi-render\`.
Do not edit files in this directory by hand.

## Install

\`\`\`sh
helm install cinder-csi charts/cinder-csi --namespace kube-system \\
  --set cloudConfig.global.authUrl=https://keystone.example.com:5000/v3 \\
  --set cloudConfig.global.applicationCredentialId=... \\
  --set cloudConfig.global.applicationCredentialSecret=...
\`\`\`

or keep the OpenStack credentials in an existing Secret:
\`--set cloudConfig.mode=existingSecret --set cloudConfig.existingSecret.name=my-cloud-conf\`.

## Without Helm

The same values files render to plain YAML with the project's render command (no Helm needed):

\`\`\`sh
npm run --silent render -- --values my-values.yaml [--values more.yaml] [--set a.b=c] \\
  [--release-name cinder-csi] [--namespace kube-system] > cinder-csi.yaml
# or, after npm run build: node build/lib/render/cli.js ... (the package's cinder-csi-render bin)
\`\`\`

The default deployment is committed as \`dist/cinder-csi.yaml\`; cdk8s users import the \`CinderCsi\` construct,
whose props are these values.

Requires Kubernetes >= 1.34 (VolumeAttributesClass GA, read by the csi-provisioner v6 and csi-resizer v2 this chart deploys). \`values.schema.json\` rejects unknown keys and wrong types, so typos fail
at install time.
${checks(input.assertions ?? [])}
## Values

| Key | Type | Default | Description |
| --- | --- | --- | --- |
${valuesKeys(input.schema).filter((k) => !k.isGroup).map((k) => row(k.path, k.schema, lookup(input.defaults, k.path))).join('\n')}
`;
}

function checks(assertions: readonly Assertion[]): string {
  if (assertions.length === 0) return '';
  return `
Beyond the schema, \`templates/validate.yaml\` fails the render at the first of these rules that does not hold,
with the message the constructs and \`cinder-csi-render\` give (which report all of them):

${assertions.map((a) => `- ${describeAssertion(a)}`).join('\n')}
`;
}

function row(path: string, schema: SchemaNode, def: JsonValue | undefined): string {
  const cells = [
    `\`${path}\``,
    cell(typeLabel(schema)),
    def === undefined ? '' : `\`${cell(JSON.stringify(def))}\``,
    cell(String(schema.description ?? '').replace(/\s+/g, ' ')),
  ];
  return `| ${cells.join(' | ')} |`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function lookup(values: JsonObject, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = values;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = current[part];
  }
  return current;
}
