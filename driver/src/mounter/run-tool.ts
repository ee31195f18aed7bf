import { execFile } from 'node:child_process';

/** How long a storage tool may run before it is killed; mkfs on a large device is the slowest. */
export const DEFAULT_TOOL_TIMEOUT_MS = 120_000;

/** Keeps error messages short: the end of stderr is where tools print the reason. */
const STDERR_TAIL_CHARS = 400;

export interface ToolOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** The arguments as errors may show them (mount options can carry secrets and must not reach logs). */
  readonly displayArgs?: readonly string[];
}

export interface ToolResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** A system tool that failed to start, exited non-zero, timed out or was cancelled. */
export class ToolError extends Error {
  constructor(
    readonly tool: string,
    readonly args: readonly string[],
    /** The exit code, or undefined when the tool was killed, timed out or could not start. */
    readonly exitCode: number | undefined,
    readonly stderr: string,
    readonly reason: 'exit' | 'timeout' | 'aborted' | 'spawn',
  ) {
    super(ToolError.describe(tool, args, exitCode, stderr, reason));
    this.name = 'ToolError';
  }

  private static describe(
    tool: string,
    args: readonly string[],
    exitCode: number | undefined,
    stderr: string,
    reason: ToolError['reason'],
  ): string {
    const command = [tool, ...args].join(' ');
    const tail = stderr.trim().slice(-STDERR_TAIL_CHARS).replace(/\s+/g, ' ');
    switch (reason) {
      case 'timeout':
        return `${command} timed out`;
      case 'aborted':
        return `${command} was cancelled`;
      case 'spawn':
        return `${command} could not be started: ${tail}`;
      default:
        return `${command} failed with exit code ${exitCode}${tail ? `: ${tail}` : ''}`;
    }
  }
}

/**
 * Runs a tool with an argument array (never through a shell, so paths cannot inject commands),
 * bounded by a timeout and the caller's cancellation.
 */
export function runTool(tool: string, args: readonly string[], options: ToolOptions = {}): Promise<ToolResult> {
  const timeout = options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
  const shown = options.displayArgs ?? args;
  return new Promise((resolve, reject) => {
    execFile(
      tool,
      [...args],
      {
        timeout,
        signal: options.signal,
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        // A stable locale keeps the output of blkid, xfs_info and friends parseable.
        env: { ...process.env, LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, stderr });
          return;
        }
        const failure = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
        if (options.signal?.aborted || failure.name === 'AbortError') {
          reject(new ToolError(tool, shown, undefined, stderr, 'aborted'));
        } else if (typeof failure.code === 'number') {
          reject(new ToolError(tool, shown, failure.code, stderr, 'exit'));
        } else if (failure.killed) {
          reject(new ToolError(tool, shown, undefined, stderr, 'timeout'));
        } else {
          reject(new ToolError(tool, shown, undefined, String(failure.code ?? 'error'), 'spawn'));
        }
      },
    );
  });
}
