import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';

const DRIVER_DIR = path.resolve(__dirname, '../..');
const REGISTER = path.join(__dirname, 'ts-register.js');
const MAIN = path.join(DRIVER_DIR, 'src/main.ts');

/** Arguments that run the driver's TypeScript entry point with plain node (no build step). */
export function driverCommand(args: readonly string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: ['-r', REGISTER, MAIN, ...args] };
}

export interface DriverExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the driver to completion (for start-up failures, --help, bad flags). */
export function runDriverCli(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<DriverExit> {
  const { command, args: argv } = driverCommand(args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: DRIVER_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`driver did not exit within ${options.timeoutMs ?? 30_000} ms; stderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface DriverProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything the driver logged so far (logs go to stderr). */
  stderr(): string;
  stdout(): string;
  /** Resolves when the process has exited (immediately if it already has). */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the driver as a child process and resolves once it logged its start-up line (so the socket
 * accepts calls). Rejects with the driver's stderr when it exits first. Always stop() it in afterEach;
 * stop('SIGKILL') simulates a crash mid-call.
 */
export async function startDriverProcess(args: readonly string[], options: { startTimeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<DriverProcess> {
  const { command, args: argv } = driverCommand(args);
  const child = spawn(command, argv, { cwd: DRIVER_DIR, stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });
  const handle: DriverProcess = {
    child,
    stderr: () => stderr,
    stdout: () => stdout,
    exited: () => exitPromise,
    stop: async (signal = 'SIGTERM') => {
      if (!exitInfo) child.kill(signal);
      return exitPromise;
    },
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`driver did not start within ${options.startTimeoutMs ?? 30_000} ms; stderr: ${stderr}`));
    }, options.startTimeoutMs ?? 30_000);
    const onData = (): void => {
      if (stderr.includes('cinder-csi-plugin started')) {
        clearTimeout(timer);
        child.stderr.off('data', onData);
        resolve();
      }
    };
    child.stderr.on('data', onData);
    void exitPromise.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`driver exited during start-up (code ${code}, signal ${signal}): ${stderr.trim()}`));
    });
  });
  return handle;
}
