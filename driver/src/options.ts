import { Command, CommanderError, Option } from 'commander';
import { type Endpoint, parseEndpoint, parseHostPort } from './grpc/endpoint';
import { MAX_NODE_VOLUME_ATTACH_LIMIT, MIN_NODE_VOLUME_ATTACH_LIMIT } from './config/attach-limit';
import type { LogFormat } from './log';

/**
 * Everything the driver takes from its command line, parsed and validated once at start-up.
 * Nothing else in the driver reads process.argv or process.env.
 */
export interface DriverOptions {
  /** Where the CSI gRPC server listens (--endpoint). */
  readonly endpoint: Endpoint;
  /** cloud.conf files in order; later files override earlier keys (--cloud-config, repeatable). */
  readonly cloudConfigPaths: readonly string[];
  /**
   * The clouds to serve (--cloud-name, repeatable): '' is [Global], a name its [Global "name"] sub-section. The
   * controller serves each and picks one per call by the request's `cloud` secret; [''] when not given.
   */
  readonly cloudNames: readonly string[];
  /** Cluster id stored in volume metadata (--cluster); '' when not set. */
  readonly cluster: string;
  /** Report and honour topology (--with-topology). */
  readonly withTopology: boolean;
  readonly provideControllerService: boolean;
  readonly provideNodeService: boolean;
  /** Prometheus /metrics and /healthz listener (--http-endpoint); undefined when off. */
  readonly httpEndpoint: { readonly host: string; readonly port: number } | undefined;
  /** klog-style verbosity (--v). */
  readonly verbosity: number;
  readonly logFormat: LogFormat;
  /** CSI driver name (--driver-name). */
  readonly driverName: string;
  /** Explicit node id; otherwise the node service discovers the instance id (--node-id). */
  readonly nodeId: string | undefined;
  /** Explicit availability zone for the node's topology (--availability-zone). */
  readonly availabilityZone: string | undefined;
  /** Extra topology segments the node reports, from --additional-topology key=value (repeatable). */
  readonly additionalTopology: Readonly<Record<string, string>>;
  readonly kubeletDir: string;
  /** Where udev's /dev/disk/by-id links live (--by-id-dir). */
  readonly byIdDir: string;
  /** Nova metadata service base URL (--metadata-url). */
  readonly metadataUrl: string;
  /** A directory where the config drive is already mounted (--config-drive-dir); undefined = find config-2. */
  readonly configDriveDir: string | undefined;
  /** Overrides [BlockStorage] node-volume-attach-limit when set (--max-volumes-per-node). */
  readonly maxVolumesPerNode: number | undefined;
  /** How long in-flight calls may run after SIGTERM before they are aborted (--shutdown-grace-period). */
  readonly shutdownGraceMs: number;
  /** How long the node waits for an attached volume's device to appear before NOT_FOUND (--device-wait-timeout). */
  readonly deviceWaitTimeoutMs: number;
}

export const DEFAULT_ENDPOINT = 'unix:///csi/csi.sock';
export const DEFAULT_DRIVER_NAME = 'cinder.csi.openstack.org';

/** A bad command line: main prints the one-line message to stderr and exits with `exitCode` (2). */
export class OptionsError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

/** --help or --version: main prints `output` to stdout and exits 0. */
export class EarlyExit extends Error {
  readonly exitCode = 0;
  constructor(readonly output: string) {
    super('early exit');
    this.name = 'EarlyExit';
  }
}

/**
 * Parses the driver's arguments (without node and script path). Accepts `--flag=value`, `--flag value`,
 * and Go-style single-dash long flags (`-v=4`, `-endpoint=...`) as kubelet-era manifests use them.
 * Throws OptionsError naming the option on anything unknown, malformed or invalid.
 */
export function parseOptions(argv: readonly string[], version = '0.0.0'): DriverOptions {
  const program = buildProgram(version);
  let output = '';
  program.configureOutput({ writeOut: (s) => void (output += s), writeErr: () => undefined });
  try {
    program.parse(normalizeArgs(argv), { from: 'user' });
  } catch (err) {
    if (err instanceof OptionsError) throw err;
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        throw new EarlyExit(output);
      }
      throw new OptionsError(err.message.replace(/^error: /, ''));
    }
    throw err;
  }
  return toDriverOptions(program.opts());
}

function buildProgram(version: string): Command {
  const program = new Command('cinder-csi-plugin');
  program
    .description('CSI plugin for OpenStack Cinder block storage')
    .version(version, '--version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .allowExcessArguments(false)
    .allowUnknownOption(false)
    .addOption(new Option('--endpoint <endpoint>', 'CSI endpoint: unix:///abs/path.sock or host:port').default(DEFAULT_ENDPOINT))
    .addOption(new Option('--cloud-config <path>', 'cloud.conf file; repeat to layer files, later keys win').argParser(collect).default([]))
    .addOption(new Option('--cloud-name <name>', 'cloud.conf [Global "name"] sub-section to serve; repeatable (controller: one per region, chosen by the "cloud" secret)').argParser(collect).default([]))
    .addOption(new Option('--cluster <id>', 'cluster id stored in the metadata of volumes this driver creates').default(''))
    .addOption(new Option('--with-topology [bool]', 'report and honour availability-zone topology').argParser(bool('--with-topology')).default(true))
    .addOption(new Option('--provide-controller-service [bool]', 'serve the CSI Controller service').argParser(bool('--provide-controller-service')).default(true))
    .addOption(new Option('--provide-node-service [bool]', 'serve the CSI Node service').argParser(bool('--provide-node-service')).default(true))
    .addOption(new Option('--http-endpoint <host:port>', 'serve /metrics and /healthz here (e.g. :8080); off when empty').default(''))
    .addOption(new Option('--v <level>', 'log verbosity: 4 = debug, 5 = trace').argParser(nonNegativeInt('--v')).default(2))
    .addOption(new Option('--log-format <format>', 'log line format').choices(['json', 'text']).default('json'))
    .addOption(new Option('--driver-name <name>', 'CSI driver name').default(DEFAULT_DRIVER_NAME))
    .addOption(new Option('--node-id <id>', 'node id to report instead of the discovered instance id'))
    .addOption(new Option('--availability-zone <az>', 'availability zone to report instead of the discovered one'))
    .addOption(new Option('--additional-topology <key=value>', 'extra topology segment the node reports; repeatable').argParser(collect).default([]))
    .addOption(new Option('--kubelet-dir <dir>', 'kubelet root directory').default('/var/lib/kubelet'))
    .addOption(new Option('--by-id-dir <dir>', 'directory of /dev/disk/by-id links').default('/dev/disk/by-id'))
    .addOption(new Option('--metadata-url <url>', 'Nova metadata service base URL').default('http://169.254.169.254'))
    .addOption(new Option('--config-drive-dir <dir>', 'directory where the config drive is already mounted'))
    .addOption(new Option('--max-volumes-per-node <n>', 'volumes attachable per node; overrides node-volume-attach-limit').argParser(attachLimit('--max-volumes-per-node')))
    .addOption(new Option('--shutdown-grace-period <duration>', 'how long in-flight calls may finish after SIGTERM (e.g. 30s)').argParser(duration('--shutdown-grace-period')).default(30_000, '30s'))
    .addOption(new Option('--device-wait-timeout <duration>', 'how long NodeStageVolume waits for an attached device to appear before NOT_FOUND').argParser(duration('--device-wait-timeout')).default(30_000, '30s'));
  return program;
}

interface RawOptions {
  endpoint: string;
  cloudConfig: string[];
  cloudName: string[];
  cluster: string;
  withTopology: boolean;
  provideControllerService: boolean;
  provideNodeService: boolean;
  httpEndpoint: string;
  v: number;
  logFormat: LogFormat;
  driverName: string;
  nodeId?: string;
  availabilityZone?: string;
  additionalTopology: string[];
  kubeletDir: string;
  byIdDir: string;
  metadataUrl: string;
  configDriveDir?: string;
  maxVolumesPerNode?: number;
  shutdownGracePeriod: number;
  deviceWaitTimeout: number;
}

function toDriverOptions(raw: Record<string, unknown>): DriverOptions {
  const o = raw as unknown as RawOptions;
  let endpoint: Endpoint;
  try {
    endpoint = parseEndpoint(o.endpoint);
  } catch (err) {
    throw new OptionsError(`invalid value for --endpoint: ${(err as Error).message}`);
  }
  let httpEndpoint: DriverOptions['httpEndpoint'];
  if (o.httpEndpoint.trim() !== '') {
    httpEndpoint = parseHostPort(o.httpEndpoint.trim());
    if (!httpEndpoint) throw new OptionsError(`invalid value for --http-endpoint: expected host:port or :port, got ${JSON.stringify(o.httpEndpoint)}`);
  }
  if (!/^[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?$/.test(o.driverName)) {
    throw new OptionsError(
      `invalid value for --driver-name: expected at most 63 characters of letters, digits, '-' and '.', starting and ending alphanumeric, got ${JSON.stringify(o.driverName)}`,
    );
  }
  let metadataUrl: URL;
  try {
    metadataUrl = new URL(o.metadataUrl);
  } catch {
    throw new OptionsError(`invalid value for --metadata-url: expected an http(s) URL, got ${JSON.stringify(o.metadataUrl)}`);
  }
  if (metadataUrl.protocol !== 'http:' && metadataUrl.protocol !== 'https:') {
    throw new OptionsError(`invalid value for --metadata-url: expected an http(s) URL, got ${JSON.stringify(o.metadataUrl)}`);
  }
  for (const [flag, value] of [
    ['--node-id', o.nodeId],
    ['--availability-zone', o.availabilityZone],
    ['--config-drive-dir', o.configDriveDir],
  ] as const) {
    if (value !== undefined && value.trim() === '') throw new OptionsError(`invalid value for ${flag}: expected a non-empty value`);
  }
  for (const [flag, value] of [
    ['--kubelet-dir', o.kubeletDir],
    ['--by-id-dir', o.byIdDir],
    ['--config-drive-dir', o.configDriveDir],
  ] as const) {
    if (value !== undefined && !value.startsWith('/')) throw new OptionsError(`invalid value for ${flag}: expected an absolute path, got ${JSON.stringify(value)}`);
  }
  const additionalTopology: Record<string, string> = {};
  for (const pair of o.additionalTopology) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) {
      throw new OptionsError(`invalid value for --additional-topology: expected key=value, got ${JSON.stringify(pair)}`);
    }
    additionalTopology[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const cloudNames = parseCloudNames(o.cloudName, o.provideControllerService);
  if (!o.provideControllerService && !o.provideNodeService) {
    throw new OptionsError('invalid options: --provide-controller-service and --provide-node-service are both false; nothing to serve');
  }
  return {
    endpoint,
    cloudConfigPaths: o.cloudConfig,
    cloudNames,
    cluster: o.cluster,
    withTopology: o.withTopology,
    provideControllerService: o.provideControllerService,
    provideNodeService: o.provideNodeService,
    httpEndpoint,
    verbosity: o.v,
    logFormat: o.logFormat,
    driverName: o.driverName,
    nodeId: o.nodeId,
    availabilityZone: o.availabilityZone,
    additionalTopology,
    kubeletDir: o.kubeletDir,
    byIdDir: o.byIdDir,
    metadataUrl: metadataUrl.toString().replace(/\/$/, ''),
    configDriveDir: o.configDriveDir,
    maxVolumesPerNode: o.maxVolumesPerNode,
    shutdownGraceMs: o.shutdownGracePeriod,
    deviceWaitTimeoutMs: o.deviceWaitTimeout,
  };
}

/**
 * --cloud-name values: one pair of surrounding double quotes is dropped (upstream's manifests pass
 * `--cloud-name="zone-one"` as a literal argument); a name must be usable in a [Global "name"] header and given
 * once. A node-only plugin serves one cloud (one DaemonSet per region, as upstream).
 */
function parseCloudNames(given: readonly string[], controller: boolean): string[] {
  const names = given.map((value) => (/^".*"$/s.test(value) ? value.slice(1, -1) : value));
  for (const name of names) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(name)) {
      throw new OptionsError(
        `invalid value for --cloud-name: expected the name of a cloud.conf [Global "name"] sub-section (letters, digits, '.', '_', '-'; at most 63), got ${JSON.stringify(name)}`,
      );
    }
  }
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new OptionsError(`invalid value for --cloud-name: ${twice} is given twice`);
  if (!controller && names.length > 1) {
    throw new OptionsError(`invalid options: a node plugin serves one cloud, but --cloud-name is given ${names.length} times (${names.join(', ')}); run one node DaemonSet per region`);
  }
  return names.length > 0 ? names : [''];
}

/** Go's flag package accepts -name=value for long flags; commander only knows --name. */
function normalizeArgs(argv: readonly string[]): string[] {
  return argv.map((arg) => (/^-[A-Za-z][A-Za-z0-9-]+(=.*)?$/.test(arg) || /^-v(=.*)?$/.test(arg) ? `-${arg}` : arg));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function bool(flag: string): (value: string) => boolean {
  return (value) => {
    if (/^(1|t|true|yes)$/i.test(value)) return true;
    if (/^(0|f|false|no)$/i.test(value)) return false;
    throw new OptionsError(`invalid value for ${flag}: expected true or false, got ${JSON.stringify(value)}`);
  };
}

function nonNegativeInt(flag: string): (value: string) => number {
  return (value) => {
    if (!/^\d{1,6}$/.test(value.trim())) throw new OptionsError(`invalid value for ${flag}: expected a non-negative integer, got ${JSON.stringify(value)}`);
    return Number(value.trim());
  };
}

/** The node attach limit: an integer within the bounds shared with cloud.conf and the chart (config/attach-limit.ts). */
function attachLimit(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value.trim());
    if (!/^\d{1,9}$/.test(value.trim()) || n < MIN_NODE_VOLUME_ATTACH_LIMIT || n > MAX_NODE_VOLUME_ATTACH_LIMIT) {
      throw new OptionsError(`invalid value for ${flag}: expected an integer from ${MIN_NODE_VOLUME_ATTACH_LIMIT} to ${MAX_NODE_VOLUME_ATTACH_LIMIT}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}


function duration(flag: string): (value: string) => number {
  return (value) => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
    if (!match) throw new OptionsError(`invalid value for ${flag}: expected a duration such as 30s, 500ms or 2m, got ${JSON.stringify(value)}`);
    const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000;
    return Math.round(Number(match[1]) * factor);
  };
}
