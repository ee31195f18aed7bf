import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { createLogger, type LogFormat } from '../../src/log';

/** A fresh temp directory per test; call the returned cleanup in afterEach. */
export function makeTempDir(prefix = 'cinder-csi-core-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A logger whose output is kept in memory so tests can read what an operator would see. */
export function captureLogger(verbosity = 2, format: LogFormat = 'json'): { logger: Logger; text: () => string; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const logger = createLogger({ verbosity, format, destination: { write: (s: string) => void chunks.push(s) } });
  return {
    logger,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
