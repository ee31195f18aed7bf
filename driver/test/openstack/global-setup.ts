import { OpenStackAdmin } from './openstack-admin';
import { ensureOpenStack, type RunningOpenStack } from './services';

/** Shared with global-teardown.ts (jest runs both in one context): what to stop at the end. */
export interface OpenStackGlobal {
  csiOpenStack?: RunningOpenStack;
}

/**
 * Starts the harness services once for every file of the suite (or uses running ones), then deletes what killed
 * earlier runs left in the project (their clean-up never ran), so that their volumes do not use up its quota.
 */
export default async function globalSetup(): Promise<void> {
  (globalThis as OpenStackGlobal).csiOpenStack = await ensureOpenStack();
  const reaped = await (await OpenStackAdmin.login()).reapDeadRuns();
  const count = reaped.servers.length + reaped.volumes.length + reaped.snapshots.length;
  if (count > 0) {
    process.stdout.write(`\nreal OpenStack: deleted what dead runs left: ${reaped.servers.length} servers, ${reaped.volumes.length} volumes, ${reaped.snapshots.length} snapshots\n`);
  }
}
