/**
 * Runs the OpenStack emulator standalone for local trials:
 *   node -r ./test/helpers/ts-register.js test-support/emulator/main.ts --cloud-conf /tmp/cloud.conf --server node-1
 * Prints one JSON line (authUrl, metadataUrl, controlUrl, dirs, servers) and stops cleanly on SIGTERM/SIGINT,
 * detaching every loop device it created.
 */
import { promises as fs } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { type Emulator, startEmulator } from './index';

function int(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${name}: expected a non-negative integer, got "${v}"`);
    return Number(v);
  };
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

interface CliOptions {
  port: number;
  metadataPort: number;
  dataDir?: string;
  byIdDir?: string;
  cloudConf?: string;
  region: string;
  az: string[];
  server: string[];
  transitionDelayMs: number;
  latencyMs: number;
  username: string;
  password: string;
  projectName: string;
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('openstack-emulator')
    .description('Keystone v3, Cinder v3, Nova and metadata on 127.0.0.1, with volumes as real loop devices')
    .option('--port <n>', 'API port (0 = random)', int('--port'), 0)
    .option('--metadata-port <n>', 'metadata service port (0 = random)', int('--metadata-port'), 0)
    .option('--data-dir <dir>', 'directory for sparse volume files (default: a temp dir)')
    .option('--by-id-dir <dir>', 'directory for virtio-<id20> links of attached volumes (default: a temp dir)')
    .option('--cloud-conf <path>', 'write a [Global] cloud.conf for this emulator here')
    .option('--region <name>', 'region name', 'RegionOne')
    .option('--az <zone>', 'availability zone (repeatable; default nova)', collect, [])
    .option('--server <name[:az]>', 'create a Nova instance (repeatable); the first one is the metadata server', collect, [])
    .option('--transition-delay-ms <n>', 'duration of creating/attaching/... transitions', int('--transition-delay-ms'), 50)
    .option('--latency-ms <n>', 'latency added to every request', int('--latency-ms'), 0)
    .option('--username <name>', 'Keystone user', 'admin')
    .option('--password <password>', 'Keystone password', 'secret')
    .option('--project-name <name>', 'Keystone project', 'admin')
    .exitOverride();
  program.parse(argv);
  const o = program.opts<CliOptions>();

  const emu: Emulator = await startEmulator({
    port: o.port,
    metadataPort: o.metadataPort,
    dataDir: o.dataDir,
    byIdDir: o.byIdDir,
    region: o.region,
    availabilityZones: o.az.length > 0 ? o.az : undefined,
    transitionDelayMs: o.transitionDelayMs,
    latencyMs: o.latencyMs,
    username: o.username,
    password: o.password,
    projectName: o.projectName,
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    emu
      .close()
      .then(() => {
        process.stderr.write(`openstack-emulator: stopped on ${signal}\n`);
        process.exit(0);
      })
      .catch((e: unknown) => {
        process.stderr.write(`openstack-emulator: cleanup failed: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  try {
    const servers = o.server.map((spec) => {
      const [name, availabilityZone] = spec.split(':');
      return emu.addServer({ name, availabilityZone: availabilityZone || undefined });
    });
    if (servers[0]) emu.setMetadataServer(servers[0].id);
    if (o.cloudConf) await fs.writeFile(o.cloudConf, emu.cloudConf(), { mode: 0o600 });
    process.stdout.write(
      `${JSON.stringify({
        authUrl: emu.authUrl,
        metadataUrl: emu.metadataUrl,
        controlUrl: emu.controlUrl,
        projectId: emu.projectId,
        region: emu.region,
        dataDir: emu.dataDir,
        byIdDir: emu.byIdDir,
        cloudConf: o.cloudConf ?? null,
        servers,
      })}\n`,
    );
  } catch (e) {
    await emu.close();
    throw e;
  }
}

if (require.main === module) {
  main(process.argv).catch((e: unknown) => {
    const code = (e as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') process.exit(0);
    process.stderr.write(`openstack-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  });
}
