import { randomUUID } from 'node:crypto';
import type { FaultAction, FaultInjector, FaultRule, TransitionKind } from './types';

const ALL_KINDS: TransitionKind[] = ['create', 'attach', 'detach', 'extend', 'delete', 'snapshot', 'retype'];

interface ActiveRule {
  id: string;
  method?: string;
  path?: string;
  glob?: RegExp;
  remaining: number;
  probability: number;
  random: () => number;
  action: FaultAction;
}

/** Deterministic PRNG (mulberry32) so a seeded probabilistic fault fires on the same requests every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
      } else {
        re += '[^/]*';
      }
    } else {
      re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}/?$`);
}

export function validateFaultRule(raw: unknown): FaultRule {
  if (typeof raw !== 'object' || raw === null) throw new Error('fault rule: expected a JSON object');
  const r = raw as Record<string, unknown>;
  const action = r.action as Record<string, unknown> | undefined;
  if (typeof action !== 'object' || action === null) throw new Error('fault rule: "action" must be an object');
  const kind = action.kind;
  let parsed: FaultAction;
  if (kind === 'status') {
    if (typeof action.status !== 'number' || action.status < 400 || action.status > 599) {
      throw new Error('fault rule: "action.status" must be an HTTP error status (400-599)');
    }
    if (action.retryAfterSeconds !== undefined && typeof action.retryAfterSeconds !== 'number') {
      throw new Error('fault rule: "action.retryAfterSeconds" must be a number');
    }
    if (action.message !== undefined && typeof action.message !== 'string') {
      throw new Error('fault rule: "action.message" must be a string');
    }
    parsed = {
      kind,
      status: action.status,
      retryAfterSeconds: action.retryAfterSeconds as number | undefined,
      message: action.message as string | undefined,
    };
  } else if (kind === 'delay') {
    if (typeof action.ms !== 'number' || action.ms < 0) throw new Error('fault rule: "action.ms" must be >= 0');
    parsed = { kind, ms: action.ms };
  } else if (kind === 'drop' || kind === 'expireToken') {
    parsed = { kind };
  } else {
    throw new Error('fault rule: "action.kind" must be one of status, drop, delay, expireToken');
  }
  for (const key of ['method', 'path'] as const) {
    if (r[key] !== undefined && typeof r[key] !== 'string') throw new Error(`fault rule: "${key}" must be a string`);
  }
  for (const key of ['count', 'probability', 'seed'] as const) {
    if (r[key] !== undefined && typeof r[key] !== 'number') throw new Error(`fault rule: "${key}" must be a number`);
  }
  const probability = r.probability as number | undefined;
  if (probability !== undefined && (probability < 0 || probability > 1)) {
    throw new Error('fault rule: "probability" must be between 0 and 1');
  }
  const count = r.count as number | undefined;
  return {
    method: r.method as string | undefined,
    path: r.path as string | undefined,
    count: count !== undefined && count < 0 ? Infinity : count,
    probability,
    seed: r.seed as number | undefined,
    action: parsed,
  };
}

/** Holds fault rules, volume faults and paused transitions; the server consults it on every request. */
export class Faults implements FaultInjector {
  private rules: ActiveRule[] = [];
  readonly fired: Record<string, number> = {};
  latencyMs = 0;
  private createFailures: Array<{ remaining: number; name?: string }> = [];
  private extendFailures: Array<{ remaining: number; volumeId?: string }> = [];
  private retypeFailures: Array<{ remaining: number; volumeId?: string }> = [];
  private readonly paused = new Set<TransitionKind>();
  private waiters: Array<{ kind: TransitionKind; resolve: () => void }> = [];

  constructor(private readonly initialLatencyMs = 0) {
    this.latencyMs = initialLatencyMs;
  }

  add(rule: FaultRule): string {
    const checked = validateFaultRule(rule);
    const id = randomUUID();
    const path = checked.path;
    this.rules.push({
      id,
      method: checked.method?.toUpperCase(),
      path,
      glob: path !== undefined && !path.includes('{') ? globToRegExp(path) : undefined,
      remaining: checked.count ?? 1,
      probability: checked.probability ?? 1,
      random: seededRandom(checked.seed ?? 1),
      action: checked.action,
    });
    this.fired[id] = 0;
    return id;
  }

  remove(id: string): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.rules = [];
    this.latencyMs = this.initialLatencyMs;
    this.createFailures = [];
    this.extendFailures = [];
    this.retypeFailures = [];
    this.resumeTransitions();
  }

  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('latency: expected a number of milliseconds >= 0');
    this.latencyMs = ms;
  }

  /**
   * The action of the first rule matching this request, consuming one of its count. A token-expiry rule only
   * matches requests that carry a token, so an unscoped rule is not used up by a Keystone login.
   */
  match(method: string, path: string, template: string | undefined, hasToken = false): FaultAction | undefined {
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      if (rule.action.kind === 'expireToken' && !hasToken) continue;
      if (rule.method !== undefined && rule.method !== method) continue;
      if (rule.path !== undefined) {
        const hit = rule.glob ? rule.glob.test(path) : rule.path === template;
        if (!hit) continue;
      }
      if (rule.probability < 1 && rule.random() >= rule.probability) continue;
      rule.remaining--;
      this.fired[rule.id] = (this.fired[rule.id] ?? 0) + 1;
      return rule.action;
    }
    return undefined;
  }

  failVolumeCreate(opts: { count?: number; name?: string } = {}): void {
    this.createFailures.push({ remaining: opts.count ?? 1, name: opts.name });
  }

  failVolumeExtend(opts: { count?: number; volumeId?: string } = {}): void {
    this.extendFailures.push({ remaining: opts.count ?? 1, volumeId: opts.volumeId });
  }

  /** Whether this volume creation must end in "error" (consumes the fault). */
  takeCreateFailure(name: string | null): boolean {
    const f = this.createFailures.find((x) => x.remaining > 0 && (x.name === undefined || x.name === name));
    if (!f) return false;
    f.remaining--;
    return true;
  }

  failVolumeRetype(opts: { count?: number; volumeId?: string } = {}): void {
    this.retypeFailures.push({ remaining: opts.count ?? 1, volumeId: opts.volumeId });
  }

  /** Whether this retype's migration must fail (consumes the fault). */
  takeRetypeFailure(volumeId: string): boolean {
    const f = this.retypeFailures.find((x) => x.remaining > 0 && (x.volumeId === undefined || x.volumeId === volumeId));
    if (!f) return false;
    f.remaining--;
    return true;
  }

  takeExtendFailure(volumeId: string): boolean {
    const f = this.extendFailures.find((x) => x.remaining > 0 && (x.volumeId === undefined || x.volumeId === volumeId));
    if (!f) return false;
    f.remaining--;
    return true;
  }

  pauseTransitions(kinds: TransitionKind[] = ALL_KINDS): void {
    for (const k of kinds) {
      if (!ALL_KINDS.includes(k)) throw new Error(`pauseTransitions: unknown kind "${String(k)}"; expected one of ${ALL_KINDS.join(', ')}`);
      this.paused.add(k);
    }
  }

  resumeTransitions(kinds: TransitionKind[] = ALL_KINDS): void {
    for (const k of kinds) this.paused.delete(k);
    const ready = this.waiters.filter((w) => !this.paused.has(w.kind));
    this.waiters = this.waiters.filter((w) => this.paused.has(w.kind));
    for (const w of ready) w.resolve();
  }

  /** Resolves once transitions of this kind are not paused. */
  whenRunnable(kind: TransitionKind): Promise<void> {
    if (!this.paused.has(kind)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ kind, resolve }));
  }

  /** Releases every waiter (on close) regardless of pauses. */
  releaseAll(): void {
    this.paused.clear();
    this.resumeTransitions();
  }
}
