import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { DriverMetrics } from '../metrics/driver-metrics';
import type { CallContext } from './call-context';
import { CSI_PACKAGE, loadCsiPackageDefinition, loadCsiRoot } from './csi-proto';
import { type Endpoint, formatEndpoint, parseEndpoint } from './endpoint';
import { isCsiError, mapError } from './error-mapping';
import { SecretRedactor } from './redact';
import type { ControllerService, IdentityService, NodeService } from './services';
import { prepareUnixSocketPath, removeUnixSocket } from './unix-socket';

export interface CsiServerOptions {
  /** unix:///abs/path, unix:/abs/path, /abs/path, or host:port. */
  readonly endpoint: Endpoint | string;
  readonly identity: IdentityService;
  /** Methods left out answer UNIMPLEMENTED; leaving the whole service out makes it absent (also UNIMPLEMENTED). */
  readonly controller?: Partial<ControllerService>;
  readonly node?: Partial<NodeService>;
  readonly logger: Logger;
  readonly metrics?: DriverMetrics;
}

export interface CsiServerHandle {
  /** Where the server listens (tcp port resolved when 0 was asked for). */
  readonly endpoint: Endpoint;
  /** The address string a grpc-js client dials. */
  readonly target: string;
  /** Services registered, e.g. ["Identity", "Controller"]. */
  readonly services: readonly string[];
  /** True from successful bind until close() starts. */
  isServing(): boolean;
  /**
   * Stops accepting calls, lets in-flight calls finish for up to `graceMs` (default 10 s), then aborts
   * their contexts and force-closes; removes the unix socket. Safe to call twice.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

type AnyHandler = (req: unknown, ctx: CallContext) => Promise<unknown>;

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Starts the CSI gRPC server on `endpoint` and registers only the services given. */
export async function startCsiServer(options: CsiServerOptions): Promise<CsiServerHandle> {
  const endpoint = typeof options.endpoint === 'string' ? parseEndpoint(options.endpoint) : options.endpoint;
  const packageDefinition = loadCsiPackageDefinition();
  const root = loadCsiRoot();
  const redactor = new SecretRedactor(root);
  const inFlight = new Set<AbortController>();
  const server = new grpc.Server();
  const services: string[] = [];

  const register = (serviceName: string, impl: object | undefined): void => {
    if (!impl) return;
    const definition = packageDefinition[`${CSI_PACKAGE}.${serviceName}`] as grpc.ServiceDefinition;
    const protoService = root.lookupService(`${CSI_PACKAGE}.${serviceName}`);
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const rpcName of Object.keys(definition)) {
      const method = protoService.methods[rpcName];
      method.resolve();
      const handlerName = rpcName.charAt(0).toLowerCase() + rpcName.slice(1);
      const candidate = (impl as Record<string, unknown>)[handlerName];
      const handler = typeof candidate === 'function' ? (candidate as AnyHandler).bind(impl) : undefined;
      implementation[rpcName] = unaryCall({
        service: serviceName,
        method: rpcName,
        requestType: method.resolvedRequestType?.fullName.replace(/^\./, '') ?? '',
        handler,
        logger: options.logger,
        metrics: options.metrics,
        redactor,
        inFlight,
      });
    }
    // A request that does not decode is the caller's error (INVALID_ARGUMENT), not grpc-js's INTERNAL.
    const tolerant: grpc.ServiceDefinition = Object.fromEntries(
      Object.entries(definition).map(([rpcName, method]) => [rpcName, { ...method, requestDeserialize: tolerantDeserialize(method.requestDeserialize) }]),
    );
    server.addService(tolerant, implementation);
    services.push(serviceName);
  };
  register('Identity', options.identity);
  register('Controller', options.controller);
  register('Node', options.node);

  let target: string;
  let bound: Endpoint;
  if (endpoint.kind === 'unix') {
    await prepareUnixSocketPath(endpoint.path);
    target = `unix://${endpoint.path}`;
    await bind(server, target);
    bound = endpoint;
  } else {
    const host = endpoint.host === '' ? '0.0.0.0' : endpoint.host;
    const hostPart = host.includes(':') ? `[${host}]` : host;
    const port = await bind(server, `${hostPart}:${endpoint.port}`);
    bound = { kind: 'tcp', host, port };
    target = `${hostPart}:${port}`;
  }

  let serving = true;
  let closing: Promise<void> | undefined;
  options.logger.debug({ endpoint: formatEndpoint(bound), services }, 'gRPC server listening');

  return {
    endpoint: bound,
    target,
    services,
    isServing: () => serving,
    close: (closeOptions = {}) => {
      closing ??= (async () => {
        serving = false;
        const graceMs = closeOptions.graceMs ?? 10_000;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            options.logger.warn({ inFlight: inFlight.size, graceMs }, 'in-flight calls did not finish in time; aborting them');
            for (const controller of inFlight) controller.abort(new Error('driver shutting down'));
            server.forceShutdown();
            resolve();
          }, graceMs);
          timer.unref();
          server.tryShutdown(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        if (bound.kind === 'unix') await removeUnixSocket(bound.path);
      })();
      return closing;
    },
  };
}

function bind(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port)));
  });
}

interface UnaryCallOptions {
  readonly service: string;
  readonly method: string;
  readonly requestType: string;
  readonly handler: AnyHandler | undefined;
  readonly logger: Logger;
  readonly metrics: DriverMetrics | undefined;
  readonly redactor: SecretRedactor;
  readonly inFlight: Set<AbortController>;
}

function unaryCall(o: UnaryCallOptions): grpc.handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(call.metadata);
    const log = o.logger.child({ method: o.method, requestId });
    const controller = new AbortController();
    const deadline = deadlineMs(call.getDeadline());
    let deadlinePassed = false;
    const onCancelled = (): void => {
      if (deadline !== undefined && Date.now() >= deadline) deadlinePassed = true;
      controller.abort(new Error(deadlinePassed ? 'deadline exceeded' : 'call cancelled by client'));
    };
    call.once('cancelled', onCancelled);
    // grpc-js does not always tell a unary handler about a passed deadline; our own timer makes it certain.
    // (setTimeout cannot wait longer than 2^31-1 ms; a deadline further out than ~24 days is left to grpc-js.)
    const remaining = deadline === undefined ? undefined : Math.max(0, deadline - Date.now());
    const timer =
      remaining === undefined || remaining > MAX_TIMER_MS
        ? undefined
        : setTimeout(() => {
            deadlinePassed = true;
            controller.abort(new Error('deadline exceeded'));
          }, remaining);
    o.inFlight.add(controller);

    const finish = (code: grpc.status, message: string | undefined, response: unknown, err?: unknown): void => {
      if (timer) clearTimeout(timer);
      call.off('cancelled', onCancelled);
      o.inFlight.delete(controller);
      let reported = code;
      if (call.cancelled || controller.signal.aborted) {
        reported = deadlinePassed ? grpc.status.DEADLINE_EXCEEDED : code === grpc.status.OK ? code : grpc.status.CANCELLED;
      }
      const codeName = grpc.status[reported] ?? String(reported);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      o.metrics?.grpcCalls.inc({ service: o.service, method: o.method, code: codeName });
      o.metrics?.grpcCallDuration.observe({ service: o.service, method: o.method, code: codeName }, seconds);
      const line = { code: codeName, durationMs: Math.round(seconds * 1000) };
      if (reported === grpc.status.OK) log.info(line, 'call finished');
      else if (reported === grpc.status.INTERNAL || reported === grpc.status.UNKNOWN) log.error({ ...line, error: message }, 'call failed');
      else log.info({ ...line, error: message }, 'call failed');
      // Expected failures (CsiError) need no stack; unexpected ones get it, for the operator only.
      if (err instanceof Error && err.stack && !isCsiError(err)) log.debug({ stack: err.stack }, 'error stack');
      if (code === grpc.status.OK) callback(null, response);
      else callback({ code, details: message ?? codeName });
    };

    if (!o.handler) {
      finish(grpc.status.UNIMPLEMENTED, `${o.service}.${o.method} is not implemented by this plugin`, undefined);
      return;
    }
    if (isUndecodable(call.request)) {
      finish(grpc.status.INVALID_ARGUMENT, `the request is not a valid ${o.requestType} message: ${call.request[UNDECODABLE]}`, undefined);
      return;
    }
    if (log.isLevelEnabled('debug')) {
      log.debug({ request: o.redactor.redact(o.requestType, call.request) }, 'call started');
    }
    const ctx: CallContext = { signal: controller.signal, deadline, log };
    let pending: Promise<unknown>;
    try {
      pending = Promise.resolve(o.handler(call.request, ctx));
    } catch (err) {
      pending = Promise.reject(err);
    }
    pending.then(
      (response) => {
        if (response === undefined || response === null || typeof response !== 'object') {
          finish(grpc.status.INTERNAL, `internal error: ${o.method} handler returned no response`, undefined);
        } else {
          finish(grpc.status.OK, undefined, response);
        }
      },
      (err: unknown) => {
        const mapped = mapError(err, { aborted: controller.signal.aborted, deadlinePassed });
        finish(mapped.code, mapped.message, undefined, err);
      },
    );
  };
}

const UNDECODABLE = Symbol('undecodable request');

/** What the server's deserializer hands over instead of a request it could not decode. */
interface UndecodableRequest {
  readonly [UNDECODABLE]: string;
}

function isUndecodable(request: unknown): request is UndecodableRequest {
  return typeof request === 'object' && request !== null && UNDECODABLE in request;
}

function tolerantDeserialize(deserialize: grpc.deserialize<unknown>): grpc.deserialize<unknown> {
  return (bytes) => {
    try {
      return deserialize(bytes);
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 200) ?? '';
      const undecodable: UndecodableRequest = { [UNDECODABLE]: reason };
      return undecodable;
    }
  };
}

function requestIdOf(metadata: grpc.Metadata): string {
  const given = metadata.get('x-request-id')[0];
  if (typeof given === 'string' && /^[\w.-]{1,64}$/.test(given)) return given;
  return randomUUID().slice(0, 8);
}

function deadlineMs(deadline: grpc.Deadline): number | undefined {
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? ms : undefined;
}
