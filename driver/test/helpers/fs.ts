import { promises as fs } from 'node:fs';

/** Whether anything (file, directory, device node, dangling mount point) is at `p`. */
export async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}
