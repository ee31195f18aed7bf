import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';

const HARNESS = path.join(__dirname, 'harness');
const API_PORTS = [5000, 8776, 8774] as const;

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 5000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

function runScript(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(HARNESS, script)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      process.stderr.write(d);
    });
    child.stderr.on('data', (d: Buffer) => void (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited ${code}:\n${output.slice(-4000)}`))));
  });
}

export interface RunningOpenStack {
  /** True when this suite started the services (and so stops them). */
  readonly startedHere: boolean;
  /** Seconds spent starting them (0 when they were already running). */
  readonly startSeconds: number;
  stop(): Promise<void>;
}

/**
 * Uses the real OpenStack if Keystone, Cinder and Nova already answer on 127.0.0.1; otherwise starts it with the
 * harness (CSI_OS_INSTALL=1 installs the packages first) and stops it again in stop(), unless CSI_OS_KEEP=1.
 */
export async function ensureOpenStack(): Promise<RunningOpenStack> {
  const up = await Promise.all(API_PORTS.map(answers));
  if (up.every(Boolean)) return { startedHere: false, startSeconds: 0, stop: async () => undefined };
  const t0 = Date.now();
  const install = process.env.CSI_OS_INSTALL === '1';
  try {
    await runScript('start-openstack.sh');
  } catch (error) {
    // Never a skip: the suite fails with this message (scripts/test.sh counts the missing results as a failure).
    const state = process.env.CSI_OS_STATE_DIR ?? '/tmp/cinder-csi-openstack';
    throw new Error(`the real OpenStack could not be ${install ? 'installed or started' : 'started'} (logs in ${state}/log): ${(error as Error).message}`);
  }
  const startSeconds = (Date.now() - t0) / 1000;
  process.stderr.write(`real OpenStack: ${install ? 'installed and started' : 'started'} in ${startSeconds.toFixed(0)} s\n`);
  return {
    startedHere: true,
    startSeconds,
    stop: async () => {
      if (process.env.CSI_OS_KEEP === '1') return;
      const s0 = Date.now();
      await runScript('stop-openstack.sh');
      process.stderr.write(`real OpenStack: stopped in ${((Date.now() - s0) / 1000).toFixed(0)} s\n`);
    },
  };
}
