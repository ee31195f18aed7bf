import pino, { type DestinationStream, type Level, type Logger } from 'pino';

export type { Logger } from 'pino';
export type LogFormat = 'json' | 'text';

export interface LoggerOptions {
  /** klog-style verbosity: >=5 trace, >=4 debug, otherwise info. */
  readonly verbosity: number;
  readonly format: LogFormat;
  /** Where lines go; default stderr (stdout stays free for tools that parse it). */
  readonly destination?: DestinationStream;
  /** Fixed fields on every line. */
  readonly base?: Record<string, unknown>;
}

export const REDACTED = '***';

/**
 * Keys whose values are never logged, whatever the nesting: the keystone/cloud.conf secrets and auth headers.
 * CSI secret fields are redacted separately by proto reflection before they reach the logger.
 */
const SECRET_KEY = /^(password|secret|token|x-auth-token|x-subject-token|application[-_]?credential[-_]?secret|applicationCredentialSecret|trustee[-_]?password|auth[-_]?token)$/i;
const SECRET_KEY_PART = /(password|secret|token)/i;
/** Keys that contain "token" but are pagination cursors, not credentials. */
const NOT_SECRET = /^(starting_?token|next_?token)$/i;

export function verbosityToLevel(verbosity: number): Level {
  if (verbosity >= 5) return 'trace';
  if (verbosity >= 4) return 'debug';
  return 'info';
}

/** True when a log field with this key must not show its value. */
export function isSecretKey(key: string): boolean {
  if (NOT_SECRET.test(key)) return false;
  return SECRET_KEY.test(key) || SECRET_KEY_PART.test(key);
}

/** Copy of `value` with the values of secret-looking keys replaced, at any depth (cycle-safe). */
export function redactSecrets(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isSecretKey(k) ? maskLeaves(v) : redactSecrets(v, seen);
  }
  return out;
}

/** A secret-keyed value: structure and key names stay visible (e.g. which secrets were passed), values do not. */
function maskLeaves(value: unknown, depth = 0): unknown {
  if (value === '' || value === undefined || value === null) return value;
  if (typeof value !== 'object' || depth > 8) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => maskLeaves(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = maskLeaves(v, depth + 1);
  return out;
}

export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  const stream = options.format === 'text' ? textStream(destination) : destination;
  return pino(
    {
      level: verbosityToLevel(options.verbosity),
      base: options.base ?? {},
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactSecrets(object) as Record<string, unknown>,
      },
      serializers: { err: pino.stdSerializers.err },
    },
    stream,
  );
}

/** Renders pino's JSON lines as `time LEVEL msg key=value ...` for humans. */
function textStream(destination: DestinationStream): DestinationStream {
  return {
    write(line: string): void {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        destination.write(line);
        return;
      }
      const { time, level, msg, ...rest } = record;
      const fields = Object.entries(rest)
        .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s|"/.test(v) ? v : JSON.stringify(v)}`)
        .join(' ');
      destination.write(`${String(time)} ${String(level).toUpperCase()} ${String(msg ?? '')}${fields ? ` ${fields}` : ''}\n`);
    },
  };
}
