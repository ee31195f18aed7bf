import { eventually } from '../helpers/waiting';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { status } from '@grpc/grpc-js';
import { notFound } from '../../src/grpc/errors';
import { startCsiServer, type CsiServerHandle } from '../../src/grpc/server';
import type { CallContext, ControllerService, IdentityService, NodeService } from '../../src/grpc/services';
import { CinderIdentityService } from '../../src/identity/identity-service';
import { createDriverMetrics } from '../../src/metrics/driver-metrics';
import { connectCsi, grpcCode, type CsiClient } from '../helpers/csi-client';
import { captureLogger, makeTempDir } from './support';

const identity: IdentityService = new CinderIdentityService({
  driverName: 'cinder.csi.openstack.org',
  vendorVersion: '0.0.0-test',
  withTopology: true,
});

describe('CSI gRPC server over a unix socket', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let server: CsiServerHandle | undefined;
  let client: CsiClient | undefined;

  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(async () => {
    client?.close();
    client = undefined;
    await server?.close({ graceMs: 1000 });
    server = undefined;
    tmp.cleanup();
  });

  async function start(extra: { controller?: Partial<ControllerService>; node?: Partial<NodeService>; verbosity?: number } = {}) {
    const log = captureLogger(extra.verbosity ?? 2);
    const metrics = createDriverMetrics({ processMetrics: false });
    const socket = path.join(tmp.dir, 'csi.sock');
    server = await startCsiServer({ endpoint: `unix://${socket}`, identity, controller: extra.controller, node: extra.node, logger: log.logger, metrics });
    client = await connectCsi(socket);
    return { log, metrics, socket, client };
  }

  it('answers Identity calls from the registered Identity service', async () => {
    const { client } = await start();
    await expect(client.identity.getPluginInfo({})).resolves.toMatchObject({ name: 'cinder.csi.openstack.org', vendorVersion: '0.0.0-test' });
    const caps = await client.identity.getPluginCapabilities({});
    expect(caps.capabilities.map((c) => c.service?.type ?? c.volumeExpansion?.type)).toEqual([
      'CONTROLLER_SERVICE',
      'VOLUME_ACCESSIBILITY_CONSTRAINTS',
      'ONLINE',
      'OFFLINE',
    ]);
    await expect(client.identity.probe({})).resolves.toEqual({ ready: { value: true } });
  });

  it('creates the socket directory when it does not exist yet', async () => {
    const log = captureLogger();
    const socket = path.join(tmp.dir, 'a', 'b', 'csi.sock');
    server = await startCsiServer({ endpoint: socket, identity, logger: log.logger });
    expect(fs.statSync(socket).isSocket()).toBe(true);
  });

  it('answers UNIMPLEMENTED for a service that was not registered', async () => {
    const { client } = await start();
    const err = await client.controller.createVolume({ name: 'v' }).catch((e: unknown) => e);
    expect(grpcCode(err)).toBe(status.UNIMPLEMENTED);
  });

  it('answers UNIMPLEMENTED, naming the method, for a handler the registered service lacks', async () => {
    const { client } = await start({ controller: { createVolume: async () => ({ volume: { volumeId: 'vol-1', capacityBytes: 1 } }) } });
    await expect(client.controller.createVolume({ name: 'v' })).resolves.toMatchObject({ volume: { volumeId: 'vol-1' } });
    const err = await client.controller.deleteVolume({ volumeId: 'vol-1' }).catch((e: unknown) => e);
    expect(grpcCode(err)).toBe(status.UNIMPLEMENTED);
    expect((err as Error).message).toContain('Controller.DeleteVolume is not implemented');
  });

  it('returns a CsiError with its own code and message', async () => {
    const { client } = await start({ controller: { deleteVolume: async () => { throw notFound('volume vol-9 does not exist'); } } });
    const err = await client.controller.deleteVolume({ volumeId: 'vol-9' }).catch((e: unknown) => e);
    expect(grpcCode(err)).toBe(status.NOT_FOUND);
    expect((err as { details: string }).details).toBe('volume vol-9 does not exist');
  });

  it('turns an unexpected error into INTERNAL with a short message and no stack trace', async () => {
    const { client, log } = await start({
      verbosity: 4,
      node: {
        nodeGetInfo: async () => {
          throw new TypeError('cannot read property x of undefined');
        },
      },
    });
    const err = await client.node.nodeGetInfo({}).catch((e: unknown) => e);
    expect(grpcCode(err)).toBe(status.INTERNAL);
    const details = (err as { details: string }).details;
    expect(details).toBe('internal error: cannot read property x of undefined');
    expect(details).not.toMatch(/\bat\s|\.ts:\d+/);
    // The stack goes to the operator's debug log instead.
    expect(log.text()).toContain('grpc-server.test.ts');
  });

  it('aborts ctx.signal when the client cancels the call', async () => {
    let seen: CallContext | undefined;
    let aborted!: () => void;
    const abortedSeen = new Promise<void>((r) => (aborted = r));
    const { client } = await start({
      controller: {
        createVolume: (_req, ctx) =>
          new Promise((_resolve, reject) => {
            seen = ctx;
            ctx.signal.addEventListener('abort', () => {
              aborted();
              reject(ctx.signal.reason);
            });
          }),
      },
    });
    const cancel = new AbortController();
    const call = client.controller.createVolume({ name: 'v' }, { signal: cancel.signal }).catch((e: unknown) => e);
    await eventually('the handler to be called', () => seen !== undefined);
    expect(seen?.signal.aborted).toBe(false);
    cancel.abort();
    expect(grpcCode(await call)).toBe(status.CANCELLED);
    await abortedSeen;
    expect(seen?.signal.aborted).toBe(true);
  });

  it('passes the deadline to the handler and aborts its signal when the deadline passes', async () => {
    let seen: CallContext | undefined;
    const { client } = await start({
      controller: {
        createVolume: (_req, ctx) =>
          new Promise((_resolve, reject) => {
            seen = ctx;
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
          }),
      },
    });
    const sentAt = Date.now();
    const err = await client.controller.createVolume({ name: 'v' }, { deadlineMs: 300 }).catch((e: unknown) => e);
    expect(grpcCode(err)).toBe(status.DEADLINE_EXCEEDED);
    expect(seen?.deadline).toBeGreaterThanOrEqual(sentAt);
    expect(seen?.deadline).toBeLessThanOrEqual(sentAt + 300 + 5000);
    await eventually('the handler signal to abort', () => seen?.signal.aborted === true);
  });

  it('lets a call with a deadline weeks away run normally', async () => {
    let seen: CallContext | undefined;
    const { client } = await start({ node: { nodeGetCapabilities: async (_r, ctx) => ((seen = ctx), { capabilities: [] }) } });
    await expect(client.node.nodeGetCapabilities({}, { deadlineMs: 40 * 24 * 3600 * 1000 })).resolves.toEqual({ capabilities: [] });
    expect(seen?.signal.aborted).toBe(false);
  });

  it('gives handlers an undefined deadline when the client set none', async () => {
    let seen: CallContext | undefined;
    const { client } = await start({ node: { nodeGetCapabilities: async (_r, ctx) => ((seen = ctx), { capabilities: [] }) } });
    await client.node.nodeGetCapabilities({});
    expect(seen?.deadline).toBeUndefined();
  });

  it('replaces a stale socket file left by a killed process', async () => {
    const socket = path.join(tmp.dir, 'csi.sock');
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => console.log('up'))`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(fs.statSync(socket).isSocket()).toBe(true);

    const log = captureLogger();
    server = await startCsiServer({ endpoint: `unix://${socket}`, identity, logger: log.logger });
    client = await connectCsi(socket);
    await expect(client.identity.getPluginInfo({})).resolves.toMatchObject({ name: 'cinder.csi.openstack.org' });
  });

  it('refuses to start when another live process listens on the socket', async () => {
    const socket = path.join(tmp.dir, 'csi.sock');
    const other = net.createServer();
    await new Promise<void>((r) => other.listen(socket, r));
    try {
      const log = captureLogger();
      await expect(startCsiServer({ endpoint: socket, identity, logger: log.logger })).rejects.toThrow(/in use by another live process/);
      expect(fs.statSync(socket).isSocket()).toBe(true);
    } finally {
      await new Promise((r) => other.close(r));
    }
  });

  it('refuses to delete a regular file at the endpoint path', async () => {
    const file = path.join(tmp.dir, 'csi.sock');
    fs.writeFileSync(file, 'not a socket');
    const log = captureLogger();
    await expect(startCsiServer({ endpoint: file, identity, logger: log.logger })).rejects.toThrow(/not a socket/);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a socket');
  });

  it('never logs the values of csi_secret fields, even at trace verbosity', async () => {
    const { client, log } = await start({
      verbosity: 5,
      controller: { createVolume: async () => ({ volume: { volumeId: 'vol-1' } }) },
      node: { nodeStageVolume: async () => ({}) },
    });
    await client.controller.createVolume({ name: 'pvc-redaction', secrets: { password: 'Zebra-Secret-1', 'application-credential-secret': 'Zebra-Secret-2' } });
    await client.node.nodeStageVolume({
      volumeId: 'vol-1',
      stagingTargetPath: '/stage',
      secrets: { token: 'Zebra-Secret-3' },
      volumeCapability: { mount: { fsType: 'ext4' }, accessMode: { mode: 'SINGLE_NODE_WRITER' } },
    });
    const text = log.text();
    expect(text).toContain('pvc-redaction');
    expect(text).toContain('/stage');
    expect(text).not.toContain('Zebra-Secret');
    // Which secrets were passed stays visible to the operator; only the values are hidden.
    const started = log.lines().find((l) => l.method === 'CreateVolume' && l.msg === 'call started');
    expect(started?.request).toMatchObject({ secrets: { password: '***', 'application-credential-secret': '***' } });
  });

  it('logs one line per call with method, duration and result code', async () => {
    const { client, log } = await start();
    await client.identity.getPluginInfo({}, { metadata: { 'x-request-id': 'req-42' } });
    const lines = log.lines().filter((l) => l.method === 'GetPluginInfo');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', method: 'GetPluginInfo', requestId: 'req-42', code: 'OK' });
    expect(typeof lines[0].durationMs).toBe('number');
  });

  it('counts calls and durations by method and code in Prometheus metrics', async () => {
    const { client, metrics } = await start();
    await client.identity.probe({});
    await client.identity.probe({});
    await client.controller.createVolume({ name: 'x' }).catch(() => undefined);
    const text = await metrics.registry.metrics();
    expect(text).toContain('cinder_csi_grpc_calls_total{service="Identity",method="Probe",code="OK"} 2');
    expect(text).toMatch(/cinder_csi_grpc_call_duration_seconds_count\{service="Identity",method="Probe",code="OK"\} 2/);
  });

  it('lets an in-flight call finish on close, then removes the socket', async () => {
    let release!: () => void;
    let entered = false;
    const { client, socket } = await start({
      controller: {
        createVolume: () =>
          new Promise((resolve) => {
            entered = true;
            release = () => resolve({ volume: { volumeId: 'vol-late' } });
          }),
      },
    });
    const call = client.controller.createVolume({ name: 'v' });
    await eventually('the handler to be entered', () => entered);
    const closing = server!.close({ graceMs: 30_000 });
    expect(server!.isServing()).toBe(false);
    release();
    await expect(call).resolves.toMatchObject({ volume: { volumeId: 'vol-late' } });
    await closing;
    expect(fs.existsSync(socket)).toBe(false);
  });

  it('aborts in-flight calls that outlive the shutdown grace period', async () => {
    let seen: CallContext | undefined;
    const { client } = await start({
      controller: {
        createVolume: (_req, ctx) =>
          new Promise((_resolve, reject) => {
            seen = ctx;
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
          }),
      },
    });
    const call = client.controller.createVolume({ name: 'v' }).catch((e: unknown) => e);
    await eventually('the handler to be called', () => seen !== undefined);
    await server!.close({ graceMs: 200 });
    expect(seen?.signal.aborted).toBe(true);
    // The handler's CANCELLED and the forced shutdown's dropped stream race; either way the call failed, never OK.
    expect([status.CANCELLED, status.UNAVAILABLE]).toContain(grpcCode(await call));
  });

  it('serves on a tcp host:port endpoint too (127.0.0.1, port picked by the kernel)', async () => {
    const log = captureLogger();
    server = await startCsiServer({ endpoint: '127.0.0.1:0', identity, logger: log.logger });
    expect(server.endpoint).toMatchObject({ kind: 'tcp', host: '127.0.0.1' });
    client = await connectCsi(server.target);
    await expect(client.identity.getPluginInfo({})).resolves.toMatchObject({ name: 'cinder.csi.openstack.org' });
  });

  it('logs request bodies only from verbosity 4 on', async () => {
    const quiet = await start({ verbosity: 2, controller: { createVolume: async () => ({ volume: { volumeId: 'v' } }) } });
    await quiet.client.controller.createVolume({ name: 'pvc-quiet-body' });
    expect(quiet.log.text()).not.toContain('pvc-quiet-body');
    expect(quiet.log.text()).toContain('"method":"CreateVolume"');
  });

  it('answers INTERNAL when a handler resolves without a response', async () => {
    const { client } = await start({ node: { nodeGetCapabilities: async () => undefined as never } });
    const err = await client.node.nodeGetCapabilities({}).catch((e: unknown) => e);
    expect(grpcCode(err)).toBe(status.INTERNAL);
    expect((err as { details: string }).details).toBe('internal error: NodeGetCapabilities handler returned no response');
  });
});

