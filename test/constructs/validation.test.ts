import { CinderCsiProps, CinderCsiValuesError, CloudConfigMode, semanticProblems, defaultValues } from '../../lib';
import { errorOf, synth } from './synth';

/** Props that are wrong for TypeScript too, as they would come from untyped input (JSON, YAML). */
const untyped = (props: unknown): CinderCsiProps => props as CinderCsiProps;

describe('bad props fail at construction with an error naming the prop and what was expected', () => {
  test.each<[string, CinderCsiProps, RegExp]>([
    ['negative replicas', { controller: { replicas: -1 } }, /controller\.replicas: must be >= 0/],
    ['fractional replicas', { controller: { replicas: 1.5 } }, /controller\.replicas: must be an integer/],
    ['replicas as a string', untyped({ controller: { replicas: 'two' } }), /controller\.replicas: must be an integer/],
    ['empty driverName', { driverName: '' }, /driverName: must be a DNS name: lower-case letters/],
    ['driverName with upper case', { driverName: 'Cinder.CSI' }, /driverName: must be a DNS name/],
    ['unknown top-level key', untyped({ replica: 2 }), /replica: unknown key/],
    ['unknown nested key', untyped({ controller: { replicaCount: 2 } }), /controller\.replicaCount: unknown key$/m],
    ['a misspelt key names the nearest known key', untyped({ controller: { replicsa: 2 } }), /controller\.replicsa: unknown key \(did you mean "replicas"\?\)/],
    ['a misspelt key in a section', untyped({ cloudConfig: { global: { regoin: 'r' } } }), /cloudConfig\.global\.regoin: unknown key \(did you mean "region"\?\)/],
    ['a key in the wrong case', untyped({ nameoverride: 'x' }), /nameoverride: unknown key \(did you mean "nameOverride"\?\)/],
    ['bad enum', untyped({ csiDriver: { fsGroupPolicy: 'Sometimes' } }), /csiDriver\.fsGroupPolicy: must be one of "File", "ReadWriteOnceWithFSType", "None"/],
    ['bad pull policy', untyped({ controller: { driver: { image: { pullPolicy: 'Maybe' } } } }), /controller\.driver\.image\.pullPolicy: must be one of/],
    ['a digest that is not sha256', { controller: { provisioner: { image: { digest: 'md5:abc' } } } }, /controller\.provisioner\.image\.digest: must be empty or an image digest "sha256:" followed by 64 lower-case hex digits$/m],
    ['relative kubelet dir', { node: { kubeletDir: 'var/lib/kubelet' } }, /node\.kubeletDir: must be an absolute path/],
    ['trailing slash on kubelet dir', { node: { kubeletDir: '/var/lib/kubelet/' } }, /node\.kubeletDir: must be an absolute path \(starting with "\/", without a trailing "\/"\)/],
    ['storage class without a name', untyped({ storageClasses: [{ isDefault: true }] }), /storageClasses\[0\]\.name: is required/],
    ['bad reclaim policy', untyped({ storageClasses: [{ name: 'a', reclaimPolicy: 'Recycle' }] }), /storageClasses\[0\]\.reclaimPolicy: must be one of "Delete", "Retain"/],
    ['two default StorageClasses', { storageClasses: [{ name: 'a', isDefault: true }, { name: 'b', isDefault: true }] }, /storageClasses: at most one entry may have isDefault true \(found 2: a, b\)/],
    ['duplicate StorageClass names', { storageClasses: [{ name: 'a' }, { name: 'a' }] }, /storageClasses\[1\]\.name: must be unique/],
    ['two default VolumeSnapshotClasses', { snapshots: { enabled: true, classes: [{ name: 'a', isDefault: true }, { name: 'b', isDefault: true }] } }, /snapshots\.classes: at most one entry may have isDefault true/],
    ['existingSecret mode without a Secret name', { cloudConfig: { mode: CloudConfigMode.EXISTING_SECRET, existingSecret: { name: '' } } }, /cloudConfig\.existingSecret\.name: must be a non-empty Secret name/],
    ['[Global] keys outside mode secret (the default mode is existingSecret)', { cloudConfig: { global: { authUrl: 'https://k/v3' } } }, /cloudConfig\.global: must be empty unless cloudConfig\.mode is "secret"/],
    ['a node attach limit above the driver\'s maximum', { cloudConfig: { blockStorage: { nodeVolumeAttachLimit: 4097 } } }, /cloudConfig\.blockStorage\.nodeVolumeAttachLimit: must be <= 4096/],
    ['a metadata URL that is not http(s)', { node: { metadataUrl: '169.254.169.254' } }, /node\.metadataUrl: must be empty or an http:\/\/ or https:\/\/ URL/],
    ['a VolumeAttributesClass without a volume type', untyped({ volumeAttributesClasses: { enabled: true, classes: [{ name: 'x', parameters: {} }] } }), /volumeAttributesClasses\.classes\[0\]\.parameters\.type: is required/],
    ['a VolumeAttributesClass parameter the driver cannot modify', untyped({ volumeAttributesClasses: { enabled: true, classes: [{ name: 'x', parameters: { type: 'ssd', iops: '100' } }] } }), /volumeAttributesClasses\.classes\[0\]\.parameters\.iops: unknown key/],
    ['duplicate VolumeAttributesClass names', { volumeAttributesClasses: { classes: [{ name: 'a', parameters: { type: 'x' } }, { name: 'a', parameters: { type: 'y' } }] } }, /volumeAttributesClasses\.classes\[1\]\.name: must be unique/],
    ['bad search order', { cloudConfig: { metadata: { searchOrder: 'configDrive,cloud' } } }, /cloudConfig\.metadata\.searchOrder: must be empty, "configDrive", "metadataService" or both/],
    ['bad auth URL', { cloudConfig: { global: { authUrl: 'keystone:5000' } } }, /cloudConfig\.global\.authUrl: must be empty or an http:\/\/ or https:\/\/ URL/],
    ['a label value Kubernetes rejects', { global: { labels: { team: 'storage team' } } }, /global\.labels\.team: must be a label value/],
    ['a label value over 63 characters', { controller: { podLabels: { x: 'a'.repeat(64) } } }, /controller\.podLabels\.x: must NOT have more than 63 characters/],
    ['a resource quantity that is not one', { controller: { driver: { resources: { requests: { memory: '64 MB' } } } } }, /controller\.driver\.resources\.requests\.memory: must be a Kubernetes quantity/],
    ['a negative resource quantity', { node: { driver: { resources: { limits: { cpu: -1 } } } } }, /node\.driver\.resources\.limits\.cpu: must be >= 0/],
    ['bad operation timeout', { controller: { operationTimeout: '3 minutes' } }, /controller\.operationTimeout: must be a duration/],
    ['maxUnavailable 0 on the PDB', { controller: { podDisruptionBudget: { maxUnavailable: 0 } } }, /controller\.podDisruptionBudget\.maxUnavailable: must be >= 1/],
    ['bad release name', { releaseName: 'Cinder_CSI' }, /releaseName: must be a DNS subdomain/],
    ['too long release name', { releaseName: 'r'.repeat(54) }, /releaseName: must be a DNS subdomain .* at most 53 characters/],
    ['bad namespace', { namespace: 'kube system' }, /namespace: must be a DNS label/],
    ['a function as a value', untyped({ clusterId: () => 'x' }), /clusterId: must be plain JSON data/],
    ['a class instance as a map', untyped({ global: { labels: new Map([['a', 'b']]) } }), /global\.labels: must be plain JSON data/],
    ['null for a map', untyped({ global: null }), /global: is required/],
  ])('%s', (_name, props, expected) => {
    const message = errorOf(() => synth(props));
    expect(message).toMatch(expected);
  });

  test('every problem is reported at once, as a CinderCsiValuesError listing each key', () => {
    let error: unknown;
    try {
      synth(untyped({ controller: { replicas: -1 }, driverName: '', bogus: true }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CinderCsiValuesError);
    const problems = (error as CinderCsiValuesError).problems;
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^controller\.replicas: /), expect.stringMatching(/^driverName: /), expect.stringMatching(/^bogus: unknown key/),
    ]));
  });

  test('semanticProblems accepts the defaults (generators of valid values start from them)', () => {
    expect(semanticProblems(defaultValues())).toEqual([]);
  });
});

const SECRET_MODE = CloudConfigMode.SECRET;

describe('secret values never appear in error messages', () => {
  const SECRET = 'Tr0ub4dor&3-secret';

  test.each<[string, CinderCsiProps, RegExp]>([
    ['password with a line break', { cloudConfig: { mode: SECRET_MODE, global: { username: 'u', password: `${SECRET}\nregion = evil` } } }, /cloudConfig\.global\.password: must be a single line \(no line break\)/],
    ['application credential secret with a line break', { cloudConfig: { mode: SECRET_MODE, global: { applicationCredentialId: 'id', applicationCredentialSecret: `${SECRET}\r` } } }, /cloudConfig\.global\.applicationCredentialSecret: must be a single line \(no line break\)/],
    ['password of the wrong type', untyped({ cloudConfig: { mode: SECRET_MODE, global: { password: { value: SECRET } } } }), /cloudConfig\.global\.password: must be of type string/],
    ['password without a user', { cloudConfig: { mode: SECRET_MODE, global: { authUrl: 'https://k/v3', password: SECRET } } }, /cloudConfig\.global\.username: \[Global\] has no usable credentials/],
    ['unknown key next to a password', untyped({ cloudConfig: { mode: SECRET_MODE, global: { username: 'u', password: SECRET, passwd: SECRET } } }), /cloudConfig\.global\.passwd: unknown key/],
  ])('%s', (_name, props, expected) => {
    const message = errorOf(() => synth(props));
    expect(message).toMatch(expected);
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain('Tr0ub4dor');
  });

  test('a user without a password is told which key is missing, not what was given', () => {
    const message = errorOf(() => synth({ cloudConfig: { mode: SECRET_MODE, global: { authUrl: 'https://k/v3', username: 'admin-user' } } }));
    expect(message).toMatch(/cloudConfig\.global\.password: \[Global\] password is required with username/);
    expect(message).not.toContain('admin-user');
  });
});
