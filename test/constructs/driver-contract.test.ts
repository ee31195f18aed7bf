import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCloudConfigText } from '../../driver/src/config/cloud-config';
import { parseOptions } from '../../driver/src/options';
import {
  CloudConfigMode, CLOUD_CONFIG_FILE, DRIVER_FLAGS, DRIVER_METRICS_PORT, DRIVER_VERSION, SOCKET_PATH,
} from '../../lib';
import { containerOf, daemonSetOf, deploymentOf, EVERYTHING_ON, K8sObject, objectsOf, one } from './synth';

/*
 * The manifests and the driver binary agree: the arguments the constructs give the driver containers are
 * accepted by the driver's own option parser and mean what the manifests intend, and the cloud.conf the
 * chart writes is read back by the driver's own cloud.conf parser with the same values.
 */

const driverArgs = (workload: K8sObject): string[] => containerOf(workload, 'cinder-csi-plugin').args;

test('the driver image tag and version label follow the driver package version', () => {
  const driverPackage = JSON.parse(readFileSync(join(__dirname, '../../driver/package.json'), 'utf8')) as { version: string };
  expect(DRIVER_VERSION).toBe(driverPackage.version);
  expect(containerOf(deploymentOf(objectsOf()), 'cinder-csi-plugin').image).toMatch(new RegExp(`:${driverPackage.version.replace(/\./g, '\\.')}$`));
});

describe('the driver parses the arguments the manifests give it', () => {
  const objects = objectsOf({ ...EVERYTHING_ON, driverName: 'cinder.example.com', clusterId: 'prod', logVerbosity: 4 });

  test('controller: controller service only, on the shared socket, with cloud.conf, cluster id and metrics port', () => {
    const options = parseOptions(driverArgs(deploymentOf(objects)), DRIVER_VERSION);
    expect(options).toEqual(expect.objectContaining({
      endpoint: { kind: 'unix', path: SOCKET_PATH },
      cloudConfigPaths: [CLOUD_CONFIG_FILE],
      cluster: 'prod',
      withTopology: true,
      provideControllerService: true,
      provideNodeService: false,
      verbosity: 4,
      driverName: 'cinder.example.com',
    }));
    expect(options.httpEndpoint?.port).toBe(DRIVER_METRICS_PORT);
  });

  test('node: node service only, with the kubelet dir, attach limit and credential-free cloud.conf', () => {
    const options = parseOptions(driverArgs(daemonSetOf(objects)), DRIVER_VERSION);
    expect(options).toEqual(expect.objectContaining({
      endpoint: { kind: 'unix', path: SOCKET_PATH },
      cloudConfigPaths: [CLOUD_CONFIG_FILE],
      withTopology: true,
      provideControllerService: false,
      provideNodeService: true,
      driverName: 'cinder.example.com',
      kubeletDir: '/var/lib/kubelet',
      maxVolumesPerNode: 26,
      metadataUrl: 'http://169.254.169.254:8775',
    }));
    expect(options.httpEndpoint?.port).toBe(DRIVER_METRICS_PORT);
  });

  test('topology off reaches the driver as withTopology false', () => {
    const o = objectsOf({ topology: { enabled: false } });
    expect(parseOptions(driverArgs(deploymentOf(o)), DRIVER_VERSION).withTopology).toBe(false);
    expect(parseOptions(driverArgs(daemonSetOf(o)), DRIVER_VERSION).withTopology).toBe(false);
  });

  test('cloudConfig.cloudNames reach the controller as one --cloud-name each (several regions); none is [Global]', () => {
    const regions = objectsOf({ cloudConfig: { cloudNames: ['region-one', 'region.two'] } });
    expect(parseOptions(driverArgs(deploymentOf(regions)), DRIVER_VERSION).cloudNames).toEqual(['region-one', 'region.two']);
    expect(parseOptions(driverArgs(daemonSetOf(regions)), DRIVER_VERSION).cloudNames).toEqual(['']);
    expect(parseOptions(driverArgs(deploymentOf(objects)), DRIVER_VERSION).cloudNames).toEqual(['']);
  });

  test('every flag named in the contract is used by some manifest (no stale entries)', () => {
    const regions = objectsOf({ cloudConfig: { cloudNames: ['region-one'] } });
    const used = [deploymentOf(objects), daemonSetOf(objects), deploymentOf(regions)].flatMap(driverArgs).map((a) => a.split('=')[0]);
    for (const flag of Object.values(DRIVER_FLAGS)) expect(used).toContain(flag);
  });
});

describe("the driver's cloud.conf parser reads what the chart writes", () => {
  const password = 'p"a\\ss#w;o=rd <&> ü';
  const objects = objectsOf({
    cloudConfig: {
      mode: CloudConfigMode.SECRET,
      global: {
        authUrl: 'https://keystone.example:5000/v3', region: 'RegionOne', username: 'svc', password,
        userDomainName: 'Default', projectName: 'storage', projectDomainId: 'default', caFile: '/etc/ssl/ca.pem',
        tlsInsecure: true, interface: 'internal',
      },
      blockStorage: { nodeVolumeAttachLimit: 40, rescanOnResize: true, ignoreVolumeAz: true },
      metadata: { searchOrder: 'metadataService,configDrive' },
    },
  });
  const conf = (name: string): string => one(objects, 'Secret', name).stringData['cloud.conf'];

  test('controller cloud.conf: every value comes back exactly, without warnings', () => {
    const warnings: string[] = [];
    const config = parseCloudConfigText(conf('cinder-csi-cloud-config'), { requireCredentials: true, warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    expect(config.global).toEqual(expect.objectContaining({
      authUrl: 'https://keystone.example:5000/v3', region: 'RegionOne', username: 'svc', password,
      userDomainName: 'Default', projectName: 'storage', projectDomainId: 'default', caFile: '/etc/ssl/ca.pem',
      tlsInsecure: true, endpointType: 'internal',
    }));
    expect(config.blockStorage).toEqual(expect.objectContaining({ nodeVolumeAttachLimit: 40, rescanOnResize: true, ignoreVolumeAz: true }));
    expect(config.metadata.searchOrder).toEqual(['metadataService', 'configDrive']);
  });

  test('node cloud.conf: readable without credentials and holds none', () => {
    const config = parseCloudConfigText(conf('cinder-csi-node-cloud-config'), { requireCredentials: false });
    expect(config.global.password).toBeUndefined();
    expect(config.global.authUrl).toBeUndefined();
    expect(config.blockStorage.nodeVolumeAttachLimit).toBe(40);
    expect(config.metadata.searchOrder).toEqual(['metadataService', 'configDrive']);
  });

  test('by default the node service gets no cloud.conf at all and the driver accepts that', () => {
    const options = parseOptions(driverArgs(daemonSetOf(objectsOf())), DRIVER_VERSION);
    expect(options.cloudConfigPaths).toEqual([]);
    expect(options.provideNodeService).toBe(true);
  });

  test('application-credential cloud.conf satisfies the driver as a controller', () => {
    const text = one(objectsOf({
      cloudConfig: { mode: CloudConfigMode.SECRET, global: { authUrl: 'https://k/v3', applicationCredentialId: 'id-1', applicationCredentialSecret: 's"ecret' } },
    }), 'Secret', 'cinder-csi-cloud-config').stringData['cloud.conf'];
    const config = parseCloudConfigText(text, { requireCredentials: true });
    expect(config.global.applicationCredentialSecret).toBe('s"ecret');
  });
});
