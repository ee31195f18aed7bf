import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';

/**
 * Makes `socketPath` ready to listen on: creates the parent directory, removes a socket file left behind by
 * a crashed process, and refuses (throws) when a live process still accepts connections on it, or when the
 * path is something other than a socket (we never delete a user's regular file).
 */
export async function prepareUnixSocketPath(socketPath: string): Promise<void> {
  await fs.mkdir(path.dirname(socketPath), { recursive: true });
  let stat;
  try {
    stat = await fs.lstat(socketPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!stat.isSocket()) {
    throw new Error(`endpoint ${socketPath} exists and is not a socket; refusing to replace it`);
  }
  if (await isListening(socketPath)) {
    throw new Error(`endpoint ${socketPath} is in use by another live process; refusing to start`);
  }
  await fs.rm(socketPath, { force: true });
}

/** Removes the socket file we created; missing is fine. */
export async function removeUnixSocket(socketPath: string): Promise<void> {
  await fs.rm(socketPath, { force: true });
}

function isListening(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      // ECONNREFUSED (nobody listening) or ENOENT (vanished meanwhile): the file is stale.
      socket.destroy();
      resolve(false);
    });
  });
}
