import { promises as fs } from 'node:fs';

/** Whether anything (file, directory, device node, dangling mount point) is at `p`. */
export async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

/** `length` bytes of `file` (a loop device's backing file, a device) from `offset`. */
export async function readAt(file: string, offset: number, length: number): Promise<Buffer> {
  const h = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    await h.read(buf, 0, length, offset);
    return buf;
  } finally {
    await h.close();
  }
}
