import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/** One long-running program of the test cluster, its output in `<logDir>/<name>.log`. */
export class ManagedProcess {
  private readonly child: ChildProcess;
  private readonly log: WriteStream;
  private exited: Promise<void>;
  private exitCode: number | null = null;
  private tail = '';

  constructor(
    readonly name: string,
    readonly command: string,
    readonly args: readonly string[],
    readonly logDir: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    mkdirSync(logDir, { recursive: true });
    this.log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
    this.child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const keep = (d: Buffer): void => {
      this.log.write(d);
      this.tail = (this.tail + d.toString()).slice(-8000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : -1);
        resolve();
      });
      this.child.once('error', (e) => {
        this.tail += `\nspawn failed: ${e.message}`;
        this.exitCode = -1;
        resolve();
      });
    });
    if (this.child.pid) recordPid(logDir, this.child.pid, command);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === null;
  }

  /** The last few KiB of what the program printed, for failure messages. */
  output(): string {
    return this.tail;
  }

  /** Everything the program printed since it started. */
  fullOutput(): string {
    return readFileSync(join(this.logDir, `${this.name}.log`), 'utf8');
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  /** Rejects with the program's last output if it exits before `ready` resolves true. */
  async waitUntil(what: string, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`${this.name} exited (code ${this.exitCode}) before ${what}:\n${this.tail}`);
      if (await ready().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`${this.name}: not ${what} after ${timeoutMs} ms:\n${this.tail}`);
      await sleep(200);
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined; the error names `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

// Every pid the cluster starts is written to <stateDir>/pids, so a run that died (jest killed, machine reboot
// aside) leaves nothing running: the next run kills what is left before it starts.
function recordPid(dir: string, pid: number, command: string): void {
  writeFileSync(join(dir, 'pids'), `${pid}\t${command}\n`, { flag: 'a' });
}

/** Kills every process a previous run in `dir` recorded and did not stop. */
export function killLeftovers(dir: string): void {
  const file = join(dir, 'pids');
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [pidText, command] = line.split('\t');
    const pid = Number(pidText);
    if (!Number.isInteger(pid) || pid <= 1 || !command) continue;
    try {
      // Only a process still running the recorded program: a pid may have been reused since.
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] !== command) continue;
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  writeFileSync(file, '');
}
