import { ensureOpenStack, type RunningOpenStack } from './services';

/** Shared with global-teardown.ts (jest runs both in one context): what to stop at the end. */
export interface OpenStackGlobal {
  csiOpenStack?: RunningOpenStack;
}

/** Starts the harness services once for every file of the suite (or uses running ones). */
export default async function globalSetup(): Promise<void> {
  (globalThis as OpenStackGlobal).csiOpenStack = await ensureOpenStack();
}
