import { promises as fs } from 'node:fs';

/** Linux capability numbers (linux/capability.h) that storage operations depend on. */
export const CAP_SYS_ADMIN = 21;
export const CAP_SYS_RESOURCE = 24;

/**
 * Whether this process holds a capability. Containers often drop CAP_SYS_RESOURCE, without which the kernel refuses
 * an online ext4 resize; knowing it turns an opaque "Permission denied" into an actionable message.
 */
export async function hasCapability(capability: number): Promise<boolean> {
  const status = await fs.readFile('/proc/self/status', 'utf8');
  const match = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  if (!match) return false;
  return ((BigInt(`0x${match[1]}`) >> BigInt(capability)) & 1n) === 1n;
}
