import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The driver's Prometheus registry and the gRPC call metrics every CSI call updates. */
export interface DriverMetrics {
  readonly registry: Registry;
  /** csi_grpc_calls_total{service,method,code} */
  readonly grpcCalls: Counter<'service' | 'method' | 'code'>;
  /** csi_grpc_call_duration_seconds{service,method,code} */
  readonly grpcCallDuration: Histogram<'service' | 'method' | 'code'>;
}

export interface DriverMetricsOptions {
  /** Prefix for metric names; default "cinder_csi_". */
  readonly prefix?: string;
  /** Also export Node.js process metrics (memory, event loop lag, ...). Default true. */
  readonly processMetrics?: boolean;
}

/** A fresh registry per driver instance, so several drivers in one test process do not collide. */
export function createDriverMetrics(options: DriverMetricsOptions = {}): DriverMetrics {
  const prefix = options.prefix ?? 'cinder_csi_';
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix });
  const grpcCalls = new Counter({
    name: `${prefix}grpc_calls_total`,
    help: 'CSI gRPC calls handled, by service, method and gRPC status code name.',
    labelNames: ['service', 'method', 'code'] as const,
    registers: [registry],
  });
  const grpcCallDuration = new Histogram({
    name: `${prefix}grpc_call_duration_seconds`,
    help: 'Duration of CSI gRPC calls in seconds, by service, method and gRPC status code name.',
    labelNames: ['service', 'method', 'code'] as const,
    // Attach/detach and create can take minutes against a busy Cinder.
    buckets: [0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  return { registry, grpcCalls, grpcCallDuration };
}
