import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DriverHandle, runDriver } from '../../src/main';
import { startEmulator, type Emulator } from '../../test-support/emulator';
import { connectCsi, type CsiClient } from './csi-client';
import { eventually } from './waiting';

/** A [Global "name"] sub-section for an emulator: its ready [Global] under the sub-section header. */
export function subsection(name: string, emu: Emulator): string {
  return emu.cloudConf().replace(/^\[Global\]/m, `[Global "${name}"]`);
}

/** Two emulated regions ("one" and "two") and a controller serving both as clouds region-one and region-two. */
export interface TwoRegions {
  readonly dir: string;
  /** The cloud.conf holding both [Global "region-one"] and [Global "region-two"]. */
  readonly conf: string;
  readonly one: Emulator;
  readonly two: Emulator;
  readonly client: CsiClient;
  close(): Promise<void>;
}

/**
 * Starts both emulators, writes their cloud.conf sub-sections and runs a controller-only driver with
 * `cloudNameArgs` (the `--cloud-name` flags) until its Probe answers ready.
 */
export async function startTwoRegions(cloudNameArgs: readonly string[], cluster: string): Promise<TwoRegions> {
  const dir = mkdtempSync(join(tmpdir(), 'cinder-csi-regions-'));
  let driver: DriverHandle | undefined;
  let client: CsiClient | undefined;
  const [one, two] = await Promise.all([startEmulator({ region: 'one', transitionDelayMs: 5 }), startEmulator({ region: 'two', transitionDelayMs: 5 })]);
  const close = async (): Promise<void> => {
    client?.close();
    await driver?.close();
    await Promise.all([one.close(), two.close()]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const conf = join(dir, 'cloud.conf');
    writeFileSync(conf, `${subsection('region-one', one)}\n${subsection('region-two', two)}`);
    const socket = join(dir, 'csi.sock');
    driver = await runDriver(
      ['--endpoint', socket, '--cloud-config', conf, ...cloudNameArgs, '--provide-node-service=false', `--cluster=${cluster}`],
      { logDestination: { write: () => undefined } },
    );
    const connected = await connectCsi(socket);
    client = connected;
    await eventually('Probe to answer ready', async () => (await connected.identity.probe({})).ready?.value === true);
    return { dir, conf, one, two, client: connected, close };
  } catch (error) {
    await close();
    throw error;
  }
}
