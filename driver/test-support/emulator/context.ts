import { randomUUID } from 'node:crypto';
import type { Faults } from './faults';
import type { Hypervisor } from './hypervisor';
import type { State } from './state';
import type { ApplicationCredentialSpec, TransitionKind, TrustSpec } from './types';

export interface VolumeTypeRecord {
  id: string;
  name: string;
  multiattach: boolean;
  extraSpecs: Record<string, string>;
}

export interface UserRecord {
  id: string;
  name: string;
  password: string;
}

/** Resolved configuration every route module reads. */
export interface Config {
  region: string;
  availabilityZones: string[];
  tokenTtlSeconds: number;
  transitionDelayMs: number;
  quotas: { volumes: number; gigabytes: number; snapshots: number };
  /** Nova's max_disk_devices_to_attach (root disk included); -1 is unlimited. */
  maxDiskDevicesToAttach: number;
  volumeTypes: VolumeTypeRecord[];
  users: UserRecord[];
  mainUser: UserRecord;
  projectId: string;
  projectName: string;
  domainId: string;
  domainName: string;
  applicationCredentials: ApplicationCredentialSpec[];
  trusts: TrustSpec[];
}

export interface Context {
  config: Config;
  state: State;
  hypervisor: Hypervisor;
  faults: Faults;
  transitions: Transitions;
  counters: { tokensIssued: number; requests: Record<string, number> };
  baseUrl(): string;
  /** Logs an internal failure (never contains credentials). */
  log(message: string): void;
}

export function newId(): string {
  return randomUUID();
}

/**
 * Runs the asynchronous second half of an operation (creating → available...) after the transition
 * delay, unless its kind is paused; close() waits for every one of them.
 */
export class Transitions {
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private closing = false;

  constructor(
    private readonly delayMs: number,
    private readonly faults: Faults,
    private readonly onError: (e: unknown) => void,
  ) {}

  run(kind: TransitionKind, work: () => Promise<void>): void {
    if (this.closing) return;
    const p = (async () => {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, this.delayMs);
        this.timers.set(t, resolve);
      });
      await this.faults.whenRunnable(kind);
      if (this.closing) return;
      await work();
    })()
      .catch(this.onError)
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Stops starting new work and waits for what is running. */
  async drain(): Promise<void> {
    this.closing = true;
    for (const [t, resolve] of this.timers) {
      clearTimeout(t);
      resolve();
    }
    this.timers.clear();
    this.faults.releaseAll();
    await Promise.all([...this.pending]);
  }
}
