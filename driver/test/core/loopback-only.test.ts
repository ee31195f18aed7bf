import axios from 'axios';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

// The tests' network guard (test/helpers/loopback-only.js, loaded by jest and by every driver child process)
// keeps a forgotten production default such as the metadata URL from reaching the network. This test sends no
// traffic anywhere but 127.0.0.1: it checks the guard's decisions directly, and that real HTTP requests made
// the way the driver makes them (axios over node:http) pass through the guard's check.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const guard = require('../helpers/loopback-only.js') as {
  isLoopback(host: string): boolean;
  destination(args: unknown[]): string | null;
  checked: string[];
};

describe('test network guard', () => {
  it('allows only loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) {
      expect(guard.isLoopback(host)).toBe(true);
    }
    for (const host of ['169.254.169.254', '10.0.0.1', '192.168.1.1', '8.8.8.8', '::ffff:10.0.0.1', 'example.com', 'fe80::1']) {
      expect(guard.isLoopback(host)).toBe(false);
    }
  });

  it('reads the destination from every form Node passes to Socket.connect', () => {
    expect(guard.destination([{ host: '169.254.169.254', port: 80, path: null }])).toBe('169.254.169.254');
    expect(guard.destination([[{ host: '169.254.169.254', port: 80 }, () => undefined]])).toBe('169.254.169.254');
    expect(guard.destination([80, '169.254.169.254'])).toBe('169.254.169.254');
    expect(guard.destination([{ port: 80 }])).toBe('localhost');
    expect(guard.destination([{ path: '/run/csi.sock' }])).toBeNull();
    expect(guard.destination(['/run/csi.sock'])).toBeNull();
  });

  it('is active: an axios request to 127.0.0.1 goes through its check', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const before = guard.checked.length;
      expect((await axios.get(`http://127.0.0.1:${port}/`)).data).toBe('ok');
      expect(guard.checked.slice(before)).toContain('127.0.0.1');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
