import { eventually } from '../helpers/waiting';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { status } from '@grpc/grpc-js';
import { connectCsi, grpcCode, type CsiClient } from '../helpers/csi-client';
import { type DriverProcess, runDriverCli, startDriverProcess } from '../helpers/driver-process';
import { makeTempDir } from './support';

const NODE_ONLY = ['--provide-controller-service=false', '--node-id=node-1', '--availability-zone=zone-a', '--metadata-url=http://127.0.0.1:1'];

function onlyLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines).toHaveLength(1);
  return lines[0];
}

describe('the cinder-csi-plugin command', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  const processes: DriverProcess[] = [];
  const clients: CsiClient[] = [];
  const servers: http.Server[] = [];

  beforeEach(() => (tmp = makeTempDir()));
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const p of processes.splice(0)) await p.stop('SIGKILL');
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
    tmp.cleanup();
  });

  it.each([
    [['--v=abc'], 'cinder-csi-plugin: invalid value for --v: expected a non-negative integer, got "abc"'],
    [['--endpoint=nowhere'], 'cinder-csi-plugin: invalid value for --endpoint: expected unix:///absolute/path or host:port, got "nowhere"'],
    [['--no-such-flag'], "cinder-csi-plugin: unknown option '--no-such-flag'"],
  ])('exits 2 with one clear line for %j', async (args, line) => {
    const result = await runDriverCli(args);
    expect(result.code).toBe(2);
    expect(onlyLine(result.stderr)).toBe(line);
    expect(result.stdout).toBe('');
  });

  it('prints usage for --help and exits 0', async () => {
    const result = await runDriverCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: cinder-csi-plugin');
    expect(result.stdout).toContain('--http-endpoint <host:port>');
  });

  it('exits 1 with one line naming the missing key when cloud.conf lacks auth-url, without a stack or the password', async () => {
    const conf = path.join(tmp.dir, 'cloud.conf');
    fs.writeFileSync(conf, '[Global]\nusername = csi\npassword = "Cobalt-Secret-7"\n');
    const result = await runDriverCli(['--endpoint', path.join(tmp.dir, 'csi.sock'), '--cloud-config', conf]);
    expect(result.code).toBe(1);
    const line = onlyLine(result.stderr);
    expect(line).toBe(`cinder-csi-plugin: cloud config ${conf}: [Global] auth-url is required by the controller service`);
    expect(result.stderr).not.toContain('Cobalt-Secret-7');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('shuts down gracefully on SIGTERM and removes its socket', async () => {
    const socket = path.join(tmp.dir, 'csi.sock');
    const driver = await startDriverProcess(['--endpoint', `unix://${socket}`, ...NODE_ONLY]);
    processes.push(driver);
    const client = await connectCsi(socket);
    clients.push(client);
    await expect(client.identity.probe({})).resolves.toEqual({ ready: { value: true } });
    const exit = await driver.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(socket)).toBe(false);
    expect(driver.stderr()).toContain('"msg":"shutting down"');
  });

  it('exits 1 with one line when the --http-endpoint port is taken, leaving no socket behind', async () => {
    const taken = http.createServer();
    servers.push(taken);
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as AddressInfo).port;
    const socket = path.join(tmp.dir, 'csi.sock');
    const result = await runDriverCli(['--endpoint', socket, `--http-endpoint=127.0.0.1:${port}`, ...NODE_ONLY]);
    expect(result.code).toBe(1);
    expect(onlyLine(result.stderr)).toMatch(
      new RegExp(`^cinder-csi-plugin: cannot serve --http-endpoint 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`),
    );
    expect(fs.existsSync(socket)).toBe(false);
  });

  it('refuses to start a second driver on a socket a live driver serves', async () => {
    const socket = path.join(tmp.dir, 'csi.sock');
    processes.push(await startDriverProcess(['--endpoint', socket, ...NODE_ONLY]));
    const second = await runDriverCli(['--endpoint', socket, ...NODE_ONLY]);
    expect(second.code).toBe(1);
    expect(onlyLine(second.stderr)).toBe(`cinder-csi-plugin: cannot serve on unix://${socket}: endpoint ${socket} is in use by another live process; refusing to start`);
  });

  it('after being killed mid-call, a restarted driver replaces the stale socket and serves again', async () => {
    // A "Keystone" that accepts connections and never answers: CreateVolume hangs inside the driver. The driver asks
    // for a token as soon as it starts (its first readiness check), so requests are counted from the start.
    const hanging = http.createServer(() => undefined);
    servers.push(hanging);
    let requests = 0;
    hanging.on('request', () => (requests += 1));
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const port = (hanging.address() as AddressInfo).port;
    const conf = path.join(tmp.dir, 'cloud.conf');
    fs.writeFileSync(conf, `[Global]\nauth-url=http://127.0.0.1:${port}/v3\nuser-id=u1\npassword=p\nproject-id=p1\n`);
    const socket = path.join(tmp.dir, 'csi.sock');
    // --v=4: the driver logs each call as it starts.
    const args = ['--endpoint', socket, '--cloud-config', conf, '--provide-node-service=false', '--v=4'];

    const first = await startDriverProcess(args);
    processes.push(first);
    const client = await connectCsi(socket);
    clients.push(client);
    const call = client.controller
      .createVolume({ name: 'pvc-crash', volumeCapabilities: [{ mount: {}, accessMode: { mode: 'SINGLE_NODE_WRITER' } }] })
      .catch((e: unknown) => e);
    await eventually('a request to reach the fake Keystone', () => requests > 0);
    await eventually('CreateVolume to start in the driver', () => /"method":"CreateVolume".*"msg":"call started"/.test(first.stderr()));
    await first.stop('SIGKILL');
    expect(grpcCode(await call)).toBe(status.UNAVAILABLE);
    expect(fs.statSync(socket).isSocket()).toBe(true);

    const second = await startDriverProcess(args);
    processes.push(second);
    const again = await connectCsi(socket);
    clients.push(again);
    await expect(again.identity.getPluginInfo({})).resolves.toMatchObject({ name: 'cinder.csi.openstack.org' });
  });
});
