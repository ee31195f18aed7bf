import { App, Chart } from 'cdk8s';
import { CinderCsi, CinderCsiProps } from '../../lib';
import { SchemaNode } from '../../lib/chart/schema';
import { JsonObject } from '../../lib/template';
import { SCHEMA } from '../chart/chart-harness';
import { randomValuesFiles } from '../chart/random-values';
import { k8sSchemaProblems } from './k8s-validator';

/*
 * The same seeded random valid values files the chart equivalence test uses: every object rendered from
 * them validates against the Kubernetes API schema. Free-form values (affinity, allowedTopologies) are
 * passed through as the user gives them, so they are replaced by valid Kubernetes content here: checking
 * them is the API server's job, not the constructs'. The same goes for security contexts, env var sources and
 * label selectors.
 */

const AFFINITY = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'zone' } }] } };
const POD_SECURITY_CONTEXT = { runAsUser: 1001, seLinuxOptions: { type: 'spc_t' } };
const SECURITY_CONTEXT = { seLinuxOptions: { type: 'spc_t' } };
const ENV_SOURCE = { fieldRef: { fieldPath: 'spec.nodeName' } };
const LABEL_SELECTOR = { matchLabels: { app: 'x' } };
const TOPOLOGIES = [{ matchLabelExpressions: [{ key: 'topology.cinder.csi.openstack.org/zone', values: ['nova'] }] }];

function withValidFreeForm(values: JsonObject): JsonObject {
  const v = structuredClone(values) as any;
  for (const component of [v.controller, v.node]) {
    if (component === undefined) continue;
    if (component.affinity !== undefined) component.affinity = AFFINITY;
    if (component.podSecurityContext !== undefined) component.podSecurityContext = POD_SECURITY_CONTEXT;
    if (component.securityContext !== undefined) component.securityContext = SECURITY_CONTEXT;
    for (const env of Array.isArray(component.extraEnv) ? component.extraEnv : []) {
      if (env.valueFrom !== undefined) env.valueFrom = ENV_SOURCE;
    }
    for (const constraint of Array.isArray(component.topologySpreadConstraints) ? component.topologySpreadConstraints : []) {
      if (constraint.labelSelector !== undefined) constraint.labelSelector = LABEL_SELECTOR;
    }
  }
  for (const sc of Array.isArray(v.storageClasses) ? v.storageClasses : []) {
    if (sc.allowedTopologies !== undefined) sc.allowedTopologies = TOPOLOGIES;
  }
  return v;
}

test('objects rendered from 100 seeded random valid values files all validate against the Kubernetes API schema', () => {
  const files = randomValuesFiles(SCHEMA as SchemaNode, 100, 4242).map(withValidFreeForm);
  const problems: string[] = [];
  let objects = 0;
  files.forEach((values, i) => {
    const chart = new Chart(new App(), 'random');
    new CinderCsi(chart, 'csi', values as CinderCsiProps);
    for (const o of chart.toJson() as Array<Record<string, unknown>>) {
      objects++;
      for (const p of k8sSchemaProblems(o)) problems.push(`file ${i} ${(o.metadata as { name: string }).name}: ${p}`);
    }
  });
  expect(objects).toBeGreaterThan(1000);
  expect(problems.slice(0, 20)).toEqual([]);
});
