/**
 * A local trial: the OpenStack emulator plus the driver (controller and node services) on one CSI socket, for
 * trying the driver by hand or pointing a conformance tool at it. Needs root (the emulator attaches volumes as
 * loop devices). Usage (from driver/):
 *
 *   node -r ./test/helpers/ts-register.js test-support/trial.ts --endpoint unix:///tmp/csi.sock [-- <more driver flags>]
 *
 * Prints one JSON line (endpoint, authUrl, controlUrl, nodeId, dataDir, byIdDir, cloudConf) once the socket serves, and on
 * SIGTERM/SIGINT stops the driver, then the emulator, which detaches every loop device and removes its files.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { type Emulator, type EmulatorOptions, startEmulator } from './emulator';
import { type DriverHandle, runDriver, type RunDriverIo } from '../src/main';

interface TrialOptions {
  endpoint: string;
  kubeletDir?: string;
}

export interface Trial {
  readonly endpoint: string;
  readonly emulator: Emulator;
  readonly driver: DriverHandle;
  readonly nodeId: string;
  readonly cloudConf: string;
  close(): Promise<void>;
}

/** How a trial started from code differs from the command's. */
export interface StartTrialOptions {
  /** The emulated cloud's settings (e.g. Nova's maxDiskDevicesToAttach); default the emulator's. */
  readonly emulator?: EmulatorOptions;
  /** Where the driver logs (default stderr). */
  readonly logDestination?: RunDriverIo['logDestination'];
}

/** Starts the emulator and the driver; `driverArgs` are appended to the driver's own flags. */
export async function startTrial(endpoint: string, driverArgs: readonly string[] = [], options: StartTrialOptions = {}): Promise<Trial> {
  const emulator = await startEmulator(options.emulator);
  const confDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cinder-csi-trial-'));
  const cleanup = async (): Promise<void> => {
    await emulator.close();
    await fs.rm(confDir, { recursive: true, force: true });
  };
  try {
    const node = emulator.addServer({ name: os.hostname() });
    emulator.setMetadataServer(node.id);
    const cloudConf = path.join(confDir, 'cloud.conf');
    await fs.writeFile(cloudConf, `${emulator.cloudConf()}\n[Metadata]\nsearch-order = metadataService\n`, { mode: 0o600 });
    const driver = await runDriver([
      `--endpoint=${endpoint}`,
      `--cloud-config=${cloudConf}`,
      `--metadata-url=${emulator.metadataUrl}`,
      `--by-id-dir=${emulator.byIdDir}`,
      '--cluster=trial',
      ...driverArgs,
    ], { logDestination: options.logDestination });
    return {
      endpoint,
      emulator,
      driver,
      nodeId: node.id,
      cloudConf,
      close: async () => {
        await driver.close();
        await cleanup();
      },
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('cinder-csi-trial')
    .description('The driver (controller + node) against the OpenStack emulator, on one CSI socket')
    .requiredOption('--endpoint <endpoint>', 'CSI endpoint to serve, e.g. unix:///tmp/csi.sock')
    .option('--kubelet-dir <dir>', 'kubelet root: publish targets must be under <dir>/pods')
    .argument('[driverArgs...]', 'more driver flags, after --')
    .exitOverride();
  program.parse(argv);
  const o = program.opts<TrialOptions>();
  const extra = [...(o.kubeletDir ? [`--kubelet-dir=${o.kubeletDir}`] : []), ...(program.args as string[])];
  const trial = await startTrial(o.endpoint, extra);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    trial.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`cinder-csi-trial: cleanup failed: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const e = trial.emulator;
  process.stdout.write(
    `${JSON.stringify({ endpoint: trial.endpoint, authUrl: e.authUrl, controlUrl: e.controlUrl, nodeId: trial.nodeId, dataDir: e.dataDir, byIdDir: e.byIdDir, cloudConf: trial.cloudConf })}\n`,
  );
}

if (require.main === module) {
  main(process.argv).catch((e: unknown) => {
    const code = (e as { code?: string }).code;
    if (code === 'commander.helpDisplayed') process.exit(0);
    process.stderr.write(`cinder-csi-trial: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(typeof code === 'string' && code.startsWith('commander.') ? 2 : 1);
  });
}
