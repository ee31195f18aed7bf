import { eventually } from '../helpers/waiting';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { status } from '@grpc/grpc-js';
import { startEmulator, type Emulator } from '../../test-support/emulator';
import { type DriverHandle, runDriver, StartupError } from '../../src/main';
import { connectCsi, grpcCode, type CsiClient } from '../helpers/csi-client';
import { makeTempDir } from './support';

/** Tests never reach the real metadata address: port 1 on loopback refuses at once. */
const NO_METADATA = ['--metadata-url=http://127.0.0.1:1'];

function memoryLog(): { destination: { write: (s: string) => void }; text: () => string } {
  const chunks: string[] = [];
  return { destination: { write: (s: string) => void chunks.push(s) }, text: () => chunks.join('') };
}

describe('the whole driver started in-process with runDriver', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let driver: DriverHandle | undefined;
  let client: CsiClient | undefined;
  let emulator: Emulator | undefined;

  beforeEach(() => (tmp = makeTempDir()));
  afterEach(async () => {
    client?.close();
    client = undefined;
    await driver?.close();
    driver = undefined;
    await emulator?.close();
    emulator = undefined;
    tmp.cleanup();
  });

  it('runs a node-only plugin without any cloud credentials and says so in one start-up line', async () => {
    const log = memoryLog();
    const socket = path.join(tmp.dir, 'csi.sock');
    driver = await runDriver(['--endpoint', `unix://${socket}`, '--provide-controller-service=false', '--with-topology=false', '--node-id=node-1', '--availability-zone=zone-a', ...NO_METADATA], {
      logDestination: log.destination,
    });
    client = await connectCsi(socket);
    await expect(client.identity.getPluginInfo({})).resolves.toMatchObject({ name: 'cinder.csi.openstack.org', vendorVersion: '0.1.0' });
    const caps = await client.identity.getPluginCapabilities({});
    // The same set as the controller instance (spec: every instance of a plugin version returns the same set).
    expect(caps.capabilities.map((c) => c.service?.type ?? c.volumeExpansion?.type)).toEqual(['CONTROLLER_SERVICE', 'ONLINE', 'OFFLINE']);
    await expect(client.identity.probe({})).resolves.toEqual({ ready: { value: true } });
    expect(grpcCode(await client.controller.createVolume({ name: 'x' }).catch((e: unknown) => e))).toBe(status.UNIMPLEMENTED);
    // Without the topology capability the spec forbids reporting topology.
    await expect(client.node.nodeGetInfo({})).resolves.toMatchObject({ nodeId: 'node-1', accessibleTopology: null });

    const started = log
      .text()
      .split('\n')
      .filter((l) => l.includes('cinder-csi-plugin started'));
    expect(started).toHaveLength(1);
    expect(JSON.parse(started[0])).toMatchObject({ version: '0.1.0', endpoint: `unix://${socket}`, services: ['Identity', 'Node'] });
  });

  it('serves /metrics and /healthz on the --http-endpoint, and healthz turns 503 when gRPC stops serving', async () => {
    const socket = path.join(tmp.dir, 'csi.sock');
    driver = await runDriver(['--endpoint', socket, '--provide-controller-service=false', '--node-id=n', '--http-endpoint=127.0.0.1:0', ...NO_METADATA], {
      logDestination: memoryLog().destination,
    });
    const base = `http://127.0.0.1:${driver.http!.address.port}`;
    client = await connectCsi(socket);
    await client.identity.probe({});

    const healthz = await fetch(`${base}/healthz`);
    expect(healthz.status).toBe(200);
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const body = await metrics.text();
    expect(body).toContain('cinder_csi_grpc_calls_total{service="Identity",method="Probe",code="OK"} 1');
    expect(body).toContain('cinder_csi_process_cpu_seconds_total');
    expect((await fetch(`${base}/nope`)).status).toBe(404);

    await driver.server.close({ graceMs: 1000 });
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
  });

  it('refuses to start the controller without a cloud.conf, naming --cloud-config', async () => {
    await expect(runDriver(['--endpoint', path.join(tmp.dir, 'c.sock')], { logDestination: memoryLog().destination })).rejects.toThrow(
      new StartupError('--cloud-config is required by the controller service (OpenStack credentials)', 1),
    );
  });

  it('reports Probe ready=false while the cloud cannot be reached', async () => {
    const conf = path.join(tmp.dir, 'cloud.conf');
    // Port 1 on loopback: connection refused at once; nothing outside 127.0.0.1 is contacted.
    fs.writeFileSync(conf, '[Global]\nauth-url=http://127.0.0.1:1/v3\nusername=u\npassword=p\nuser-domain-name=Default\nproject-name=p\nproject-domain-name=Default\n');
    const socket = path.join(tmp.dir, 'csi.sock');
    driver = await runDriver(['--endpoint', socket, '--cloud-config', conf, '--provide-node-service=false'], { logDestination: memoryLog().destination });
    client = await connectCsi(socket);
    await expect(client.identity.probe({})).resolves.toEqual({ ready: { value: false } });
    const caps = await client.identity.getPluginCapabilities({});
    expect(caps.capabilities[0]).toEqual({ service: { type: 'CONTROLLER_SERVICE' }, type: 'service' });
  });

  it('becomes ready once the cloud answered, and creates volumes through the wired controller (--cluster tagged, no topology when off)', async () => {
    emulator = await startEmulator();
    const conf = path.join(tmp.dir, 'cloud.conf');
    fs.writeFileSync(conf, emulator.cloudConf());
    const socket = path.join(tmp.dir, 'csi.sock');
    driver = await runDriver(['--endpoint', socket, '--cloud-config', conf, '--provide-node-service=false', '--cluster=core-test', '--with-topology=false'], {
      logDestination: memoryLog().destination,
    });
    client = await connectCsi(socket);
    await eventually('Probe to answer ready', async () => (await client!.identity.probe({})).ready?.value === true);
    const created = await client.controller.createVolume(
      { name: 'pvc-core-wiring', capacityRange: { requiredBytes: 1024 ** 3 }, volumeCapabilities: [{ mount: { fsType: 'ext4' }, accessMode: { mode: 'SINGLE_NODE_WRITER' } }] },
      { deadlineMs: 30_000 },
    );
    const volume = emulator.volumes().find((v) => v.id === created.volume?.volumeId);
    // --cluster reaches the controller: it tags what it creates.
    expect(volume?.metadata['cinder.csi.openstack.org/cluster']).toBe('core-test');
    expect(created.volume?.accessibleTopology).toEqual([]);
    await client.controller.deleteVolume({ volumeId: created.volume!.volumeId }, { deadlineMs: 30_000 });
  });

  it('hands flags and cloud.conf to the services: name, attach limit (flag over file), extra topology, text logs', async () => {
    const conf = path.join(tmp.dir, 'cloud.conf');
    fs.writeFileSync(conf, '[BlockStorage]\nnode-volume-attach-limit = 9\n');
    const log = memoryLog();
    const socket = path.join(tmp.dir, 'csi.sock');
    const common = ['--endpoint', socket, '--provide-controller-service=false', '--cloud-config', conf, '--node-id=n1', '--availability-zone=zone-b', ...NO_METADATA];
    driver = await runDriver([...common, '--driver-name=cinder.example.org', '--additional-topology=topology.kubernetes.io/region=r1', '--log-format=text'], {
      logDestination: log.destination,
    });
    client = await connectCsi(socket);
    await expect(client.identity.getPluginInfo({})).resolves.toMatchObject({ name: 'cinder.example.org' });
    const info = await client.node.nodeGetInfo({});
    expect(info.maxVolumesPerNode).toBe(9);
    expect(info.accessibleTopology?.segments).toMatchObject({ 'topology.cinder.csi.openstack.org/zone': 'zone-b', 'topology.kubernetes.io/region': 'r1' });
    expect(log.text()).toMatch(/^\S+ INFO cinder-csi-plugin started /m);
    client.close();
    client = undefined;
    await driver.close();

    driver = await runDriver([...common, '--max-volumes-per-node=3'], { logDestination: memoryLog().destination });
    client = await connectCsi(socket);
    expect((await client.node.nodeGetInfo({})).maxVolumesPerNode).toBe(3);
    client.close();
    client = undefined;
    await driver.close();

    // --device-wait-timeout bounds how long staging waits for a device that never appears.
    driver = await runDriver([...common, '--device-wait-timeout=300ms', `--by-id-dir=${tmp.dir}`], { logDestination: memoryLog().destination });
    client = await connectCsi(socket);
    const missing = await client.node
      .nodeStageVolume({
        volumeId: '00000000-0000-4000-8000-000000000000',
        stagingTargetPath: path.join(tmp.dir, 'staging'),
        volumeCapability: { mount: { fsType: 'ext4' }, accessMode: { mode: 'SINGLE_NODE_WRITER' } },
      })
      .catch((e: unknown) => e as { code?: number; details?: string });
    expect(missing).toMatchObject({ code: status.NOT_FOUND, details: expect.stringContaining('within 300 ms') });
  });
});

