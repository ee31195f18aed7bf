import { DEFAULT_DRIVER_NAME, EarlyExit, OptionsError, parseOptions } from '../../src/options';

function parseError(argv: string[]): OptionsError {
  try {
    parseOptions(argv);
  } catch (err) {
    if (err instanceof OptionsError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be rejected`);
}

describe('command line options', () => {
  it('uses upstream-compatible defaults when no flag is given', () => {
    expect(parseOptions([])).toEqual({
      endpoint: { kind: 'unix', path: '/csi/csi.sock' },
      cloudConfigPaths: [],
      cloudNames: [''],
      cluster: '',
      withTopology: true,
      provideControllerService: true,
      provideNodeService: true,
      httpEndpoint: undefined,
      verbosity: 2,
      logFormat: 'json',
      driverName: DEFAULT_DRIVER_NAME,
      nodeId: undefined,
      availabilityZone: undefined,
      additionalTopology: {},
      kubeletDir: '/var/lib/kubelet',
      byIdDir: '/dev/disk/by-id',
      metadataUrl: 'http://169.254.169.254',
      configDriveDir: undefined,
      maxVolumesPerNode: undefined,
      shutdownGraceMs: 30_000,
      deviceWaitTimeoutMs: 30_000,
    });
  });

  it('reads every flag in --flag=value form', () => {
    const o = parseOptions([
      '--endpoint=unix:///run/csi/x.sock',
      '--cloud-config=/etc/a.conf',
      '--cloud-config=/etc/b.conf',
      '--cloud-name="region.two"',
      '--cluster=kube-1',
      '--with-topology=false',
      '--provide-controller-service=false',
      '--provide-node-service=true',
      '--http-endpoint=127.0.0.1:8080',
      '--v=5',
      '--log-format=text',
      '--driver-name=cinder.example.org',
      '--node-id=node-a',
      '--availability-zone=az-2',
      '--additional-topology=topology.kubernetes.io/region=r1',
      '--kubelet-dir=/data/kubelet',
      '--by-id-dir=/tmp/by-id',
      '--metadata-url=http://127.0.0.1:8775/',
      '--config-drive-dir=/mnt/config',
      '--max-volumes-per-node=26',
      '--shutdown-grace-period=2m',
      '--device-wait-timeout=500ms',
    ]);
    expect(o).toEqual({
      endpoint: { kind: 'unix', path: '/run/csi/x.sock' },
      cloudConfigPaths: ['/etc/a.conf', '/etc/b.conf'],
      cloudNames: ['region.two'],
      cluster: 'kube-1',
      withTopology: false,
      provideControllerService: false,
      provideNodeService: true,
      httpEndpoint: { host: '127.0.0.1', port: 8080 },
      verbosity: 5,
      logFormat: 'text',
      driverName: 'cinder.example.org',
      nodeId: 'node-a',
      availabilityZone: 'az-2',
      additionalTopology: { 'topology.kubernetes.io/region': 'r1' },
      kubeletDir: '/data/kubelet',
      byIdDir: '/tmp/by-id',
      metadataUrl: 'http://127.0.0.1:8775',
      configDriveDir: '/mnt/config',
      maxVolumesPerNode: 26,
      shutdownGraceMs: 120_000,
      deviceWaitTimeoutMs: 500,
    });
  });

  it('reads space-separated values, bare booleans and Go-style single-dash flags', () => {
    const o = parseOptions(['--endpoint', '/var/run/csi.sock', '-v=4', '-cluster', 'c1', '--with-topology', '--http-endpoint', ':9808']);
    expect(o.endpoint).toEqual({ kind: 'unix', path: '/var/run/csi.sock' });
    expect(o.verbosity).toBe(4);
    expect(o.cluster).toBe('c1');
    expect(o.withTopology).toBe(true);
    expect(o.httpEndpoint).toEqual({ host: '', port: 9808 });
  });

  it.each([
    ['unix:///csi/csi.sock', { kind: 'unix', path: '/csi/csi.sock' }],
    ['unix:/csi/csi.sock', { kind: 'unix', path: '/csi/csi.sock' }],
    ['/csi/csi.sock', { kind: 'unix', path: '/csi/csi.sock' }],
    ['127.0.0.1:10000', { kind: 'tcp', host: '127.0.0.1', port: 10000 }],
    ['tcp://127.0.0.1:10000', { kind: 'tcp', host: '127.0.0.1', port: 10000 }],
  ])('accepts the endpoint %s', (value, expected) => {
    expect(parseOptions([`--endpoint=${value}`]).endpoint).toEqual(expected);
  });

  it.each([
    [['--v=abc'], /^invalid value for --v: expected a non-negative integer, got "abc"$/],
    [['--endpoint=csi.sock'], /^invalid value for --endpoint: expected unix:\/\/\/absolute\/path or host:port/],
    [['--endpoint=unix://relative/x.sock'], /^invalid value for --endpoint/],
    [['--endpoint=http://127.0.0.1:80'], /^invalid value for --endpoint/],
    [['--with-topology=maybe'], /^invalid value for --with-topology: expected true or false, got "maybe"$/],
    [['--http-endpoint=localhost'], /^invalid value for --http-endpoint: expected host:port/],
    [['--http-endpoint=:99999'], /^invalid value for --http-endpoint/],
    [['--max-volumes-per-node=0'], /^invalid value for --max-volumes-per-node: expected an integer from 1 to 4096/],
    [['--max-volumes-per-node=4097'], /^invalid value for --max-volumes-per-node: expected an integer from 1 to 4096/],
    [['--max-volumes-per-node=ten'], /^invalid value for --max-volumes-per-node/],
    [['--log-format=xml'], /--log-format.*Allowed choices are json, text/],
    [['--driver-name=-bad-'], /^invalid value for --driver-name/],
    [['--metadata-url=ftp://x'], /^invalid value for --metadata-url: expected an http\(s\) URL/],
    [['--kubelet-dir=relative'], /^invalid value for --kubelet-dir: expected an absolute path/],
    [['--additional-topology=novalue'], /^invalid value for --additional-topology: expected key=value/],
    [['--shutdown-grace-period=soon'], /^invalid value for --shutdown-grace-period/],
    [['--device-wait-timeout=forever'], /^invalid value for --device-wait-timeout/],
    [['--node-id='], /^invalid value for --node-id: expected a non-empty value$/],
    [['--bogus'], /^unknown option '--bogus'$/],
    [['--cloud-config'], /--cloud-config <path>' argument missing/],
    [['stray'], /too many arguments/],
    [['--provide-controller-service=false', '--provide-node-service=false'], /nothing to serve/],
  ])('rejects %j with one line naming the option', (argv, message) => {
    const err = parseError(argv);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('\n');
  });

  it('--cloud-name: repeatable for the controller, once for a node-only plugin, each a usable sub-section name given once', () => {
    expect(parseOptions(['--provide-controller-service=false', '--cloud-name', 'zone-one']).cloudNames).toEqual(['zone-one']);
    expect(parseError(['--provide-controller-service=false', '--cloud-name=a', '--cloud-name=b']).message).toBe(
      'invalid options: a node plugin serves one cloud, but --cloud-name is given 2 times (a, b); run one node DaemonSet per region',
    );
    expect(parseError(['--cloud-name=a', '--cloud-name="a"']).message).toBe('invalid value for --cloud-name: a is given twice');
    expect(parseError(['--cloud-name=has space']).message).toBe(
      `invalid value for --cloud-name: expected the name of a cloud.conf [Global "name"] sub-section (letters, digits, '.', '_', '-'; at most 63), got "has space"`,
    );
    expect(parseError(['--cloud-name=']).message).toMatch(/^invalid value for --cloud-name: expected the name .* got ""$/);
  });

  it('answers --help and --version without starting', () => {
    const help = (() => {
      try {
        parseOptions(['--help']);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(help).toBeInstanceOf(EarlyExit);
    expect((help as EarlyExit).output).toContain('--cloud-config <path>');
    expect(() => parseOptions(['--version'], '9.9.9')).toThrow(EarlyExit);
  });
});
