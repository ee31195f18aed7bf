/**
 * lib/template: describe each Kubernetes object ONCE as an object template; `evaluate` turns it into
 * plain JSON (what the constructs synthesize) and `toHelm` into Helm template text (the chart), and
 * both follow Go template semantics so the two always agree.
 *
 * Usage (in a construct's template file):
 *
 *   import { CinderCsiValues } from './values';
 *   import { concat, each, mergeMaps, objectTemplate, optional, releaseRef as r, str, valuesRef, when, yamlOf } from './template';
 *   const v = valuesRef<CinderCsiValues>();           // v.controller.replicas: Ref<number>
 *
 *   export const controllerDeployment = objectTemplate({
 *     file: 'controller-deployment',                   // -> templates/controller-deployment.yaml
 *     enabledWhen: v.controller.enabled,               // optional: object only when truthy
 *     body: () => ({
 *       apiVersion: 'apps/v1',
 *       kind: 'Deployment',
 *       metadata: {
 *         name: concat(r.name, '-controller'),         // string building; numbers need str(n)
 *         namespace: r.namespace,
 *         labels: mergeMaps(v.commonLabels, { 'app.kubernetes.io/name': 'cinder-csi' }), // later part wins
 *       },
 *       spec: {
 *         replicas: v.controller.replicas,             // refs are emitted with their exact JSON type
 *         template: { spec: {
 *           priorityClassName: optional(v.controller.priorityClassName), // key only when non-empty
 *           tolerations: yamlOf(v.controller.tolerations),              // free-form, inserted whole
 *           containers: [
 *             { name: 'plugin', args: ['--endpoint=$(CSI_ENDPOINT)', concat('--v=', str(v.logLevel))] },
 *             when(v.controller.resizer.enabled, { name: 'resizer' }),   // list item only when truthy
 *           ],
 *           volumes: [each(v.extraVolumes, (vol) => ({ name: vol.name }))], // one item per element
 *         } },
 *       },
 *     }),
 *   });
 *
 *   // one object per list element:
 *   objectTemplate({ file: 'storageclasses', forEach: v.storageClasses, body: (sc) => ({ ..., metadata: { name: sc.name } }) });
 *
 *   // in the construct:  renderInto(this, controllerDeployment, { values, release: { name, namespace } });
 *   // tests/tools:       evaluate(controllerDeployment, inputs) -> JsonObject[]
 *
 * Rules (Helm parity): truthiness is Go's (false, 0, "", nil, {} and [] are falsy); `when` is allowed
 * only as a map entry or a list item, `each`/`eachEntry` only as list items (or as a whole map value);
 * `undefined` map entries are dropped; `defaultTo` treats false/0 as empty like sprig; `eq`/`ne` with
 * a number literal compare numerically; values must be coalesced with the defaults first (`coalesceValues`),
 * every map a ref walks through must exist (Helm fails on nil.field, so does `evaluate`).
 *
 * Helm backend (`toHelm(template)` -> templates/<file>.yaml, or `toHelmFile(templates)` for neighbours that share a
 * `chartFile`, e.g. a ClusterRole and its binding): block YAML whose every computed scalar is
 * `{{ toJson ... }}` (JSON is YAML: exact types and strings; Go's HTML escaping of <>& reads back the same),
 * free-form values (`yamlOf`) are inlined with `toJson` too (not `toYaml`, which writes float64 1000000 as
 * 1e+06); conditions are lazy `if`, loops `range`, `mergeMaps` writes each key once; a collection that
 * may end up empty writes `{}`/`[]`. `mergeMaps` and `when`/`each` have no expression form: use them as
 * map values or list items (a merged map may also be a condition, e.g. `optional(mergeMaps(...))`).
 * A ref to an absent optional field evaluates to null: Helm writes `key: null` but cdk8s drops the key,
 * so wrap such refs in `optional(...)` or `defaultTo(...)`.
 *
 * Assertions (rules a schema cannot express) follow the same idea: a list written once, e.g.
 *   [atMostOneTrue(v.storageClasses, 'isDefault', 'name'), uniqueField(v.storageClasses, 'name'),
 *    failWhen(and(eq(v.mode, 'secret'), not(v.password)), 'password', 'must be set in mode secret')]
 * `checkAssertions(list, inputs)` returns every failed rule's message (the constructs throw them) and
 * `assertionsToHelm(list, header)` a template that calls `fail` at the first with the same message.
 */
export * from './model';
export * from './builders';
export * from './fragment';
export * from './object-template';
export * from './evaluate';
export * from './coalesce';
export * from './render-into';
export * from './assertions';
export { truthy, goJson, cloneJson } from './go-semantics';
export { toHelm, toHelmFile, HelmFragments, MAX_TEMPLATE_LINE } from './helm-emit';
