import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DRIVER_METRICS_PORT } from './driver-contract';
import { Component, namespacedMetadata, namespacedName, selectorLabels } from './metadata';
import { ObjectTemplate, objectTemplate, optional, releaseRef as r, renderInto, TemplateInputs, valuesRef } from './template';
import { CinderCsiValues } from './values';

/*
 * Prometheus metrics: both plugins' driver containers serve /metrics on DRIVER_METRICS_PORT (their container port
 * `metrics`, enabled by `--http-endpoint`). One Service per plugin, because the controller's metrics (CSI calls to
 * Cinder: create, attach, snapshot) and the node's (stage, mount, expand on each node) answer different questions
 * and a Service selects the pods of one workload; the ServiceMonitor scrapes both by their common labels.
 */

const v = valuesRef<CinderCsiValues>();
const m = v.metrics;

/** The component label of the metrics Services and ServiceMonitor (the pods keep their own). */
const METRICS: Component = 'metrics';

function metricsServiceTemplate(plugin: 'controller' | 'node'): ObjectTemplate {
  return objectTemplate({
    file: `${plugin}-metrics-service`,
    enabledWhen: m.service.enabled,
    body: () => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: namespacedMetadata(namespacedName(`${plugin}-metrics`), METRICS),
      spec: {
        type: 'ClusterIP',
        selector: selectorLabels(plugin),
        ports: [{ name: 'metrics', port: DRIVER_METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' }],
      },
    }),
  });
}

export const controllerMetricsServiceTemplate = metricsServiceTemplate('controller');
export const nodeMetricsServiceTemplate = metricsServiceTemplate('node');

/** The ServiceMonitor scraping both metrics Services (the only Services of the release with component `metrics`). */
export const serviceMonitorTemplate = objectTemplate({
  file: 'servicemonitor',
  enabledWhen: m.serviceMonitor.enabled,
  body: () => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: namespacedMetadata(namespacedName('metrics'), METRICS, m.serviceMonitor.labels),
    spec: {
      selector: { matchLabels: selectorLabels(METRICS) },
      namespaceSelector: { matchNames: [r.namespace] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: optional(m.serviceMonitor.interval) }],
    },
  }),
});

export const metricsTemplates: readonly ObjectTemplate[] = [controllerMetricsServiceTemplate, nodeMetricsServiceTemplate, serviceMonitorTemplate];

/** The metrics Services (`metrics.service.enabled`) and the ServiceMonitor (`metrics.serviceMonitor.enabled`). */
export class Metrics extends Construct {
  /** The controller's and the node's metrics Services, when enabled. */
  public readonly services: readonly ApiObject[];
  /** The ServiceMonitor, when enabled. */
  public readonly serviceMonitor?: ApiObject;

  public constructor(scope: Construct, id: string, inputs: TemplateInputs) {
    super(scope, id);
    this.services = [controllerMetricsServiceTemplate, nodeMetricsServiceTemplate].flatMap((t) => renderInto(this, t, inputs));
    this.serviceMonitor = renderInto(this, serviceMonitorTemplate, inputs)[0];
  }
}
