import type { OpenStackGlobal } from './global-setup';

/** Stops the services if global-setup.ts started them (CSI_OS_KEEP=1 keeps them). */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as OpenStackGlobal).csiOpenStack?.stop();
}
