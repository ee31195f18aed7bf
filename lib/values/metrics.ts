import { Labels } from './common';

/*
 * Prometheus metrics. Both plugins' driver containers serve `/metrics` on the driver's HTTP port
 * (`--http-endpoint`, port `metrics`); these values only make them reachable and scraped.
 */

/** Services in front of the driver's metrics port. */
export interface MetricsServiceValues {
  /**
   * Create two ClusterIP Services, `<fullname>-controller-metrics` and `<fullname>-node-metrics`, selecting the
   * controller pods and the node pods and exposing their port `metrics`. A Service name must be a DNS label of at
   * most 63 characters: with a release name of more than 44 characters or with dots, set `fullnameOverride`.
   * @default false
   */
  enabled: boolean;
}

/** A Prometheus Operator ServiceMonitor (monitoring.coreos.com/v1) scraping both metrics Services. */
export interface ServiceMonitorValues {
  /** Create the ServiceMonitor `<fullname>-metrics`; needs `metrics.service.enabled` and the Prometheus Operator CRDs. @default false */
  enabled: boolean;
  /**
   * Scrape interval, a Prometheus duration with its units in order (e.g. `30s`, `1m30s`); empty: Prometheus'
   * global interval.
   * @default ""
   * @pattern ^([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$
   */
  interval: string;
  /** Labels on the ServiceMonitor, e.g. the `release: prometheus` a Prometheus' serviceMonitorSelector asks for. @default {} */
  labels: Labels;
}

/** Prometheus metrics of the driver. */
export interface MetricsValues {
  /** Metrics Services. */
  service: MetricsServiceValues;
  /** Prometheus Operator ServiceMonitor. */
  serviceMonitor: ServiceMonitorValues;
}
