import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DestinationStream } from 'pino';
import type { OpenStackCloud } from './cloud/openstack-cloud';
import { type CloudConfig, CloudConfigError, loadCloudConfig, parseCloudConfigText } from './config/cloud-config';
import type { ControllerService } from './grpc/services';
import { formatEndpoint } from './grpc/endpoint';
import { type CsiServerHandle, startCsiServer } from './grpc/server';
import type { NodeService } from './grpc/services';
import { CinderIdentityService } from './identity/identity-service';
import { latchingReadiness } from './identity/reachability';
import { createLogger, type Logger } from './log';
import { createDriverMetrics, type DriverMetrics } from './metrics/driver-metrics';
import { type HttpEndpointHandle, startHttpEndpoint } from './metrics/http-endpoint';
import { NodeConfigError, resolveNodeServiceConfig } from './node/node-config';
import { type DriverOptions, EarlyExit, OptionsError, parseOptions } from './options';

export interface DriverHandle {
  readonly options: DriverOptions;
  readonly server: CsiServerHandle;
  /** The /metrics + /healthz listener, when --http-endpoint was given. */
  readonly http: HttpEndpointHandle | undefined;
  readonly metrics: DriverMetrics;
  readonly logger: Logger;
  /** Graceful stop: in-flight calls get up to --shutdown-grace-period, then the socket is removed. */
  close(): Promise<void>;
}

export interface RunDriverIo {
  /** Log destination (default stderr); tests capture it. */
  readonly logDestination?: DestinationStream;
}

/** A start-up failure that main reports as one line on stderr with this exit code. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

/** The driver's version (package.json), reported as vendor_version and in the start-up line. */
export function driverVersion(): string {
  for (const candidate of [path.resolve(__dirname, '../package.json'), path.resolve(__dirname, '../../package.json')]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cinder-csi-driver' && pkg.version) return pkg.version;
    } catch {
      // try the next layout (src/ under ts-jest, build/src/ after tsc)
    }
  }
  return '0.0.0';
}

/**
 * Parses `argv` (arguments only), loads cloud.conf, builds the services and starts serving. Throws
 * OptionsError (exit 2), EarlyExit (--help/--version, exit 0) or StartupError (exit 1); never exits itself,
 * so tests can run the whole driver in-process.
 */
export async function runDriver(argv: readonly string[], io: RunDriverIo = {}): Promise<DriverHandle> {
  const version = driverVersion();
  const options = parseOptions(argv, version);
  const logger = createLogger({ verbosity: options.verbosity, format: options.logFormat, destination: io.logDestination });
  const cloudConfig = loadConfig(options, logger);
  const metrics = createDriverMetrics();

  let controller: (ControllerService & { close(): void }) | undefined;
  /** One OpenStack client per --cloud-name; closing the driver closes each. */
  const clouds: OpenStackCloud[] = [];
  const closeClouds = (): void => clouds.forEach((c) => c.close());
  let ready: (() => Promise<boolean>) | undefined;
  const stopping = new AbortController();
  if (options.provideControllerService) {
    // Each role loads only its own modules (the OpenStack client and its HTTP stack are most of a node plugin's
    // start-up otherwise, and the node's mounter is no use to the controller).
    const [{ OpenStackCloud }, { toCloudClientConfig }, { CinderControllerService }, { MultiCloudControllerService }] = await Promise.all([
      import('./cloud/openstack-cloud'),
      import('./config/client-config'),
      import('./controller/controller-service'),
      import('./controller/multi-cloud'),
    ]);
    const services: { name: string; service: InstanceType<typeof CinderControllerService> }[] = [];
    for (const name of options.cloudNames) {
      try {
        clouds.push(new OpenStackCloud(toCloudClientConfig(cloudConfig, name)));
      } catch (err) {
        closeClouds();
        const which = name === '' ? '' : ` for --cloud-name ${name}`;
        throw new StartupError(`cannot set up the OpenStack client${which}: ${(err as Error).message.split('\n')[0]}`, 1);
      }
      const cloud = clouds[clouds.length - 1] as OpenStackCloud;
      services.push({ name, service: new CinderControllerService(cloud, { clusterId: options.cluster, withTopology: options.withTopology }) });
    }
    // One cloud (the usual case) is served directly; several are routed by each request's `cloud` secret.
    controller = services.length === 1 ? services[0]?.service : new MultiCloudControllerService(services);
    const reachable = [...clouds];
    // Ready once Cinder answered one authenticated request in every cloud (Keystone token + catalog + Cinder work).
    // The first check starts now, while the rest of the driver starts, not at the CO's first Probe.
    ready = latchingReadiness((signal) => Promise.all(reachable.map((c) => c.listVolumeTypes({ signal }))).then(() => undefined), {
      onError: (err) => {
        if (!stopping.signal.aborted) logger.warn({ error: (err as Error).message }, 'cloud not reachable yet');
      },
      stop: stopping.signal,
      startNow: true,
    });
  }

  let node: NodeService | undefined;
  if (options.provideNodeService) {
    const { CinderNodeService } = await import('./node/node-service');
    try {
      node = new CinderNodeService(
        resolveNodeServiceConfig({
          driverName: options.driverName,
          kubeletDir: options.kubeletDir,
          byIdDir: options.byIdDir,
          rescanOnResize: cloudConfig.blockStorage.rescanOnResize,
          maxVolumesPerNode: options.maxVolumesPerNode ?? cloudConfig.blockStorage.nodeVolumeAttachLimit,
          nodeIdOverride: options.nodeId,
          availabilityZoneOverride: options.availabilityZone,
          additionalTopology: options.additionalTopology,
          withTopology: options.withTopology,
          deviceWaitTimeoutMs: options.deviceWaitTimeoutMs,
          metadata: {
            searchOrder: cloudConfig.metadata.searchOrder,
            metadataUrl: options.metadataUrl,
            configDriveDir: options.configDriveDir,
            ...(cloudConfig.metadata.requestTimeoutMs !== undefined ? { requestTimeoutMs: cloudConfig.metadata.requestTimeoutMs } : {}),
          },
        }),
      );
    } catch (err) {
      stopping.abort();
      closeClouds();
      if (err instanceof NodeConfigError) throw new StartupError(err.message, 1);
      throw err;
    }
  }

  const identity = new CinderIdentityService({
    driverName: options.driverName,
    vendorVersion: version,
    withTopology: options.withTopology,
    ready,
  });

  let server: CsiServerHandle;
  try {
    server = await startCsiServer({
      endpoint: options.endpoint,
      identity,
      controller,
      node,
      logger,
      metrics,
    });
  } catch (err) {
    stopping.abort();
    controller?.close();
    closeClouds();
    throw new StartupError(`cannot serve on ${formatEndpoint(options.endpoint)}: ${(err as Error).message}`, 1);
  }

  let http: HttpEndpointHandle | undefined;
  if (options.httpEndpoint) {
    try {
      http = await startHttpEndpoint({ ...options.httpEndpoint, registry: metrics.registry, isHealthy: () => server.isServing() });
    } catch (err) {
      stopping.abort();
      await server.close({ graceMs: 0 });
      controller?.close();
      closeClouds();
      const where = `${options.httpEndpoint.host}:${options.httpEndpoint.port}`;
      throw new StartupError(`cannot serve --http-endpoint ${where}: ${(err as Error).message}`, 1);
    }
  }

  logger.info(
    {
      version,
      driverName: options.driverName,
      endpoint: formatEndpoint(server.endpoint),
      services: server.services,
      httpEndpoint: http ? `${http.address.address}:${http.address.port}` : undefined,
      cloudConfig: cloudConfig.files,
      clouds: options.cloudNames,
    },
    'cinder-csi-plugin started',
  );

  let closing: Promise<void> | undefined;
  return {
    options,
    server,
    http,
    metrics,
    logger,
    close: () => {
      closing ??= (async () => {
        stopping.abort();
        await server.close({ graceMs: options.shutdownGraceMs });
        await http?.close();
        controller?.close();
        closeClouds();
        logger.info('cinder-csi-plugin stopped');
      })();
      return closing;
    },
  };
}

function loadConfig(options: DriverOptions, logger: Logger): CloudConfig {
  const warn = (message: string): void => logger.warn(message);
  try {
    if (options.cloudConfigPaths.length === 0) {
      if (options.provideControllerService) throw new CloudConfigError('--cloud-config is required by the controller service (OpenStack credentials)');
      // The node service needs no credentials; [BlockStorage] and [Metadata] defaults apply.
      return parseCloudConfigText('', { requireCredentials: false, cloudNames: options.cloudNames, warn }, 'defaults');
    }
    return loadCloudConfig(options.cloudConfigPaths, { requireCredentials: options.provideControllerService, cloudNames: options.cloudNames, warn });
  } catch (err) {
    if (err instanceof CloudConfigError) throw new StartupError(err.message, 1);
    throw err;
  }
}

/** CLI entry: one clear line on stderr for any start-up failure, graceful stop on SIGTERM/SIGINT. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  let handle: DriverHandle;
  try {
    handle = await runDriver(argv);
  } catch (err) {
    if (err instanceof EarlyExit) {
      process.stdout.write(err.output);
      process.exitCode = 0;
      return;
    }
    const code = err instanceof OptionsError ? err.exitCode : err instanceof StartupError ? err.exitCode : 1;
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    process.stderr.write(`cinder-csi-plugin: ${message}\n`);
    process.exit(code);
  }
  let signals = 0;
  const stop = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      handle.logger.warn({ signal }, 'second signal: exiting immediately');
      process.exit(1);
    }
    handle.logger.info({ signal, graceMs: handle.options.shutdownGraceMs }, 'shutting down');
    handle.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`cinder-csi-plugin: shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) {
  void main();
}
