import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloudConfigError, loadCloudConfig, parseCloudConfigText } from '../../src/config/cloud-config';
import { toCloudClientConfig } from '../../src/config/client-config';
import { makeTempDir } from './support';

const CONTROLLER = { requireCredentials: true } as const;
const NODE = { requireCredentials: false } as const;

const BASE = `[Global]
auth-url = http://127.0.0.1:5000/v3
username = csi
password = plain-pass
user-domain-name = Default
project-name = kube
project-domain-name = Default
region = RegionOne
`;

function configError(fn: () => unknown): CloudConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CloudConfigError) return err;
    throw err;
  }
  throw new Error('expected a CloudConfigError');
}

describe('cloud.conf', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());
  const write = (name: string, text: string): string => {
    const file = path.join(tmp.dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('reads the [Global] keys the chart writes into a typed config', () => {
    const cfg = parseCloudConfigText(BASE, CONTROLLER);
    expect(cfg.global).toMatchObject({
      authUrl: 'http://127.0.0.1:5000/v3',
      username: 'csi',
      password: 'plain-pass',
      userDomainName: 'Default',
      projectName: 'kube',
      projectDomainName: 'Default',
      region: 'RegionOne',
      tlsInsecure: false,
      endpointType: 'public',
    });
    expect(cfg.blockStorage).toEqual({ nodeVolumeAttachLimit: 256, rescanOnResize: false, ignoreVolumeAz: false, ignoreVolumeMicroversion: false });
    expect(cfg.metadata).toEqual({ searchOrder: ['configDrive', 'metadataService'], requestTimeoutMs: undefined });
  });

  it('decodes double-quoted values with \\" and \\\\ escapes as gcfg does', () => {
    const cfg = parseCloudConfigText(
      `${BASE}application-credential-secret = "s\\"e\\\\c;#ret" ; trailing comment\ntrust-id = "\\"quoted\\""\ntrustee-password = 'single'\n`,
      NODE,
    );
    expect(cfg.global.applicationCredentialSecret).toBe('s"e\\c;#ret');
    expect(cfg.global.trustId).toBe('"quoted"');
    // gcfg has no single-quote syntax; the quotes stay part of the value.
    expect(cfg.global.trusteePassword).toBe("'single'");
  });

  it('names the key, but never shows the value, of a malformed quoted secret', () => {
    const err = configError(() => parseCloudConfigText(`${BASE.replace('password = plain-pass', 'password = "Tiger\\qSecret"')}`, CONTROLLER));
    expect(err.message).toMatch(/\[Global\] password: invalid escape sequence \\q/);
    expect(err.message).not.toContain('Tiger');
    const unterminated = configError(() => parseCloudConfigText(BASE.replace('password = plain-pass', 'password = "TigerSecret'), CONTROLLER));
    expect(unterminated.message).toMatch(/\[Global\] password: unterminated double quote/);
    expect(unterminated.message).not.toContain('Tiger');
  });

  it('lets later files override earlier keys, key by key', () => {
    const first = write('a.conf', `${BASE}[BlockStorage]\nnode-volume-attach-limit = 100\nrescan-on-resize = true\n`);
    const second = write('b.conf', `[Global]\npassword = "second-pass"\nregion = RegionTwo\n[BlockStorage]\nnode-volume-attach-limit = 26\n`);
    const cfg = loadCloudConfig([first, second], CONTROLLER);
    expect(cfg.global.password).toBe('second-pass');
    expect(cfg.global.region).toBe('RegionTwo');
    expect(cfg.global.username).toBe('csi');
    expect(cfg.blockStorage.nodeVolumeAttachLimit).toBe(26);
    expect(cfg.blockStorage.rescanOnResize).toBe(true);
    expect(cfg.files).toEqual([first, second]);
  });

  it('treats section and key names case-insensitively', () => {
    const cfg = parseCloudConfigText(`${BASE}[blockstorage]\nIgnore-Volume-AZ = yes\n[METADATA]\nsearch-order = metadataService\nrequest-timeout = 3s\n`, CONTROLLER);
    expect(cfg.blockStorage.ignoreVolumeAz).toBe(true);
    expect(cfg.metadata).toEqual({ searchOrder: ['metadataService'], requestTimeoutMs: 3000 });
  });

  it('folds the tenant-* and endpoint-type aliases', () => {
    const cfg = parseCloudConfigText(
      `[Global]\nauth-url=http://127.0.0.1:5000/v3\nuser-id=u1\npassword=p\ntenant-id=t1\ntenant-domain-name=D\nos-endpoint-type=internalURL\n`,
      CONTROLLER,
    );
    expect(cfg.global.projectId).toBe('t1');
    expect(cfg.global.projectDomainName).toBe('D');
    expect(cfg.global.endpointType).toBe('internal');
    const err = configError(() => parseCloudConfigText(`${BASE}tenant-name = other\n`, CONTROLLER));
    expect(err.message).toMatch(/project-name and tenant-name are aliases but have different values/);
  });

  it('lets an alias in a later file override the key from an earlier file', () => {
    const first = write('a.conf', BASE);
    const second = write('b.conf', '[Global]\ntenant-name = from-second\ninterface = admin\n');
    const cfg = loadCloudConfig([first, second], CONTROLLER);
    expect(cfg.global.projectName).toBe('from-second');
    expect(cfg.global.endpointType).toBe('admin');
  });

  it('requires auth-url for the controller, naming the key', () => {
    const err = configError(() => parseCloudConfigText(BASE.replace('auth-url = http://127.0.0.1:5000/v3\n', ''), CONTROLLER));
    expect(err.message).toMatch(/\[Global\] auth-url is required by the controller service/);
  });

  it.each([
    ['password', BASE.replace('password = plain-pass\n', ''), /\[Global\] password is required with username/],
    ['username', BASE.replace('username = csi\n', ''), /no usable credentials/],
    ['user-domain-name', BASE.replace('user-domain-name = Default\n', ''), /user-domain-name .* is required with username/],
    ['project-name', BASE.replace('project-name = kube\n', ''), /project-id or project-name .* is required/],
    ['application-credential-secret', '[Global]\nauth-url=http://127.0.0.1:5000/v3\napplication-credential-id=ac1\n', /application-credential-secret is required/],
  ])('reports a missing %s as a start-up error naming it', (_key, text, message) => {
    expect(configError(() => parseCloudConfigText(text, CONTROLLER)).message).toMatch(message);
  });

  it('accepts an application credential on its own', () => {
    const cfg = parseCloudConfigText('[Global]\nauth-url=http://127.0.0.1:5000/v3\napplication-credential-id=ac1\napplication-credential-secret=acs\n', CONTROLLER);
    expect(toCloudClientConfig(cfg)).toMatchObject({ authUrl: 'http://127.0.0.1:5000/v3', applicationCredentialId: 'ac1', applicationCredentialSecret: 'acs' });
  });

  describe('[Global "name"] sub-sections (--cloud-name, one per region)', () => {
    const TWO = `${BASE}
[Global "region-one"]
auth-url = http://127.0.0.1:5001/v3
application-credential-id = ac1
application-credential-secret = acs1
region = one

[global "region.two"]
auth-url = "http://127.0.0.1:5002/v3"
username = csi2
password = pass2
user-domain-name = Default
project-name = kube2
project-domain-name = Default
region = two
`;

    it('reads each sub-section as its own cloud (dots in the name kept), [Global] as the cloud named ""', () => {
      const cfg = parseCloudConfigText(TWO, { ...CONTROLLER, cloudNames: ['region-one', 'region.two'] });
      expect([...cfg.clouds.keys()].sort()).toEqual(['', 'region-one', 'region.two']);
      expect(toCloudClientConfig(cfg, 'region-one')).toMatchObject({ authUrl: 'http://127.0.0.1:5001/v3', applicationCredentialId: 'ac1', region: 'one', username: undefined });
      expect(toCloudClientConfig(cfg, 'region.two')).toMatchObject({ authUrl: 'http://127.0.0.1:5002/v3', username: 'csi2', projectName: 'kube2', region: 'two' });
      expect(toCloudClientConfig(cfg)).toMatchObject({ authUrl: 'http://127.0.0.1:5000/v3', username: 'csi', region: 'RegionOne' });
      expect(cfg.global.authUrl).toBe('http://127.0.0.1:5000/v3');
    });

    it('a sub-section inherits nothing from [Global]: the credential rules apply to each cloud named, naming its section', () => {
      const text = `${BASE}\n[Global "region-one"]\nauth-url = http://127.0.0.1:5001/v3\nusername = csi\n`;
      expect(configError(() => parseCloudConfigText(text, { ...CONTROLLER, cloudNames: ['region-one'] })).message).toBe(
        'cloud config cloud.conf: [Global "region-one"] password is required with username',
      );
      // A cloud the driver is not told to use is parsed but not held to the rules.
      expect(parseCloudConfigText(text, CONTROLLER).clouds.get('region-one')?.username).toBe('csi');
    });

    it('a --cloud-name without its sub-section stops start-up naming the sections there are, for the node too', () => {
      expect(configError(() => parseCloudConfigText(TWO, { ...NODE, cloudNames: ['region-3'] })).message).toBe(
        'cloud config cloud.conf: --cloud-name region-3 has no [Global "region-3"] section (the sub-sections are "region-one", "region.two")',
      );
      expect(configError(() => parseCloudConfigText(BASE, { ...CONTROLLER, cloudNames: ['x'] })).message).toBe(
        'cloud config cloud.conf: --cloud-name x has no [Global "x"] section (there are no [Global "name"] sub-sections)',
      );
    });

    it('names the sub-section of a malformed value, and warns about a sub-section of another section', () => {
      const warnings: string[] = [];
      const bad = `${BASE}\n[Global "r1"]\nauth-url = ftp://x\n`;
      expect(configError(() => parseCloudConfigText(bad, NODE)).message).toBe(
        'cloud config cloud.conf: [Global "r1"] auth-url: expected an http(s) URL of Keystone v3, got "ftp://x"',
      );
      parseCloudConfigText(`${BASE}\n[BlockStorage "r1"]\nrescan-on-resize = true\n`, { ...NODE, warn: (m) => warnings.push(m) });
      expect(warnings).toEqual(['cloud config cloud.conf: unknown section [BlockStorage "r1"] ignored']);
    });

    it('later files override a sub-section key by key, as for [Global]', () => {
      const first = write('a.conf', TWO);
      const second = write('b.conf', '[Global "region-one"]\nregion = one-b\n');
      const cfg = loadCloudConfig([first, second], { ...CONTROLLER, cloudNames: ['region-one'] });
      expect(cfg.clouds.get('region-one')).toMatchObject({ region: 'one-b', applicationCredentialId: 'ac1' });
    });
  });

  it('lets the node service start with no credentials at all', () => {
    const cfg = parseCloudConfigText('[BlockStorage]\nnode-volume-attach-limit = 12\n', NODE);
    expect(cfg.global.authUrl).toBeUndefined();
    expect(cfg.blockStorage.nodeVolumeAttachLimit).toBe(12);
  });

  it('warns about unknown keys and sections by name, and keeps going', () => {
    const warnings: string[] = [];
    parseCloudConfigText(`${BASE}colour = blue\nuse-clouds = true\n[LoadBalancer]\nsubnet-id = x\n`, { ...CONTROLLER, warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      expect.stringMatching(/\[Global\] colour: unknown key ignored/),
      expect.stringMatching(/\[Global\] use-clouds is not supported/),
      expect.stringMatching(/unknown section \[LoadBalancer\] ignored/),
    ]);
  });

  it.each([
    ['tls-insecure = maybe', /\[Global\] tls-insecure: expected true or false, got "maybe"/],
    ['endpoint-type = private', /\[Global\] endpoint-type: expected one of public, internal, admin, got "private"/],
    ['auth-url = keystone', /\[Global\] auth-url: expected an http\(s\) URL/],
  ])('rejects %s naming key and expected values', (line, message) => {
    const text = BASE.replace('auth-url = http://127.0.0.1:5000/v3', line.startsWith('auth-url') ? line : 'auth-url = http://127.0.0.1:5000/v3') + (line.startsWith('auth-url') ? '' : `${line}\n`);
    expect(configError(() => parseCloudConfigText(text, CONTROLLER)).message).toMatch(message);
  });

  it.each([
    ['[BlockStorage]\nnode-volume-attach-limit = 0', /node-volume-attach-limit: expected an integer from 1 to 4096, got "0"/],
    ['[BlockStorage]\nrescan-on-resize = sometimes', /rescan-on-resize: expected true or false/],
    ['[Metadata]\nsearch-order = configDrive,cloudInit', /search-order: expected a comma-separated list of configDrive and metadataService/],
    ['[Metadata]\nrequest-timeout = soon', /request-timeout: expected a positive duration/],
  ])('rejects %s in the node-side sections', (text, message) => {
    expect(configError(() => parseCloudConfigText(text, NODE)).message).toMatch(message);
  });

  it('never puts a secret value into an error or warning', () => {
    const secret = 'Hush-Hush-42';
    const texts = [
      `[Global]\nauth-url=http://127.0.0.1:5000/v3\nusername=u\npassword=${secret}\n`,
      `[Global]\nauth-url=http://127.0.0.1:5000/v3\napplication-credential-name=n\napplication-credential-secret=${secret}\n`,
      `[Global]\npassword="${secret}\\z"\n`,
      `[Global]\ntrustee-password=${secret}\nbogus-key=${secret}\n`,
    ];
    for (const text of texts) {
      const warnings: string[] = [];
      let message = '';
      try {
        parseCloudConfigText(text, { requireCredentials: true, warn: (m) => warnings.push(m) });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message + warnings.join('\n')).not.toContain(secret);
    }
  });

  it('names the file it cannot read', () => {
    const missing = path.join(tmp.dir, 'nope.conf');
    expect(configError(() => loadCloudConfig([missing], NODE)).message).toBe(`cloud config ${missing}: cannot read: ENOENT`);
  });
});
