import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { renderManifests } from '../../lib/render/render';
import { atMostOneTrue, failWhen, JsonObject, uniqueField, valuesRef } from '../../lib/template';
import { byIdentity, HELM_VERSIONS, helmTemplate, Scratch, valuesFileText } from '../template/helm-harness';
import { CHART, constructsProblems, pool, Release, renderConstructs, ROOT, SCHEMA } from './chart-harness';
import { isValid, randomValuesFiles } from './random-values';

/*
 * The rules a schema cannot express (lib/values/rules.ts) hold in every way to deploy: the constructs
 * throw, `helm template` (3.17 and 4.1) fails through templates/validate.yaml, and cinder-csi-render fails,
 * each with the same message naming the key and what was expected. Helm stops at the first failed rule;
 * the constructs list them all in the same order, so Helm's message is always the constructs' first.
 */
const scratch = new Scratch();
afterAll(() => scratch.cleanup());
const RELEASE: Release = { name: 'cinder-csi', namespace: 'kube-system' };
const run = promisify(execFile);

// Distinctive, so that a leak into any message or log is found by a plain substring search.
const PASSWORD = 'pw-Zq81-never-print';
const APP_SECRET = 'ac-Xy42-never-print';

interface Outcome { readonly ok: boolean; readonly error: string }

async function helmOutcome(version: (typeof HELM_VERSIONS)[number], values: JsonObject): Promise<Outcome> {
  const file = scratch.file('values.json', valuesFileText(values));
  const r = await helmTemplate(scratch, version, CHART, [RELEASE.name, '--namespace', RELEASE.namespace, '-f', file]);
  return { ok: r.ok, error: r.ok ? '' : r.stderr };
}

async function renderCli(values: JsonObject): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = scratch.file('values.json', valuesFileText(values));
  try {
    const { stdout, stderr } = await run(process.execPath, ['-r', 'ts-node/register/transpile-only', resolve(ROOT, 'lib/render/cli.ts'), '-f', file], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** Each case breaks exactly one rule; `message` is what every path must report. */
const VIOLATIONS: ReadonlyArray<{ readonly rule: string; readonly values: JsonObject; readonly message: string }> = [
  {
    rule: 'at most one default StorageClass',
    values: { storageClasses: [{ name: 'a', isDefault: true }, { name: 'b' }, { name: 'c', isDefault: true }] },
    message: 'storageClasses: at most one entry may have isDefault true (found 2: a, c)',
  },
  {
    rule: 'unique StorageClass names',
    values: { storageClasses: [{ name: 'a' }, { name: 'b', isDefault: true }, { name: 'a', volumeType: 'ssd' }] },
    message: 'storageClasses[2].name: must be unique (storageClasses[0] has the same name)',
  },
  {
    rule: 'at most one default VolumeSnapshotClass (checked even while snapshots are disabled)',
    values: { snapshots: { classes: [{ name: 'x', isDefault: true }, { name: 'y', isDefault: true }] } },
    message: 'snapshots.classes: at most one entry may have isDefault true (found 2: x, y)',
  },
  {
    rule: 'unique VolumeSnapshotClass names',
    values: { snapshots: { enabled: true, classes: [{ name: 'x' }, { name: 'y' }, { name: 'y' }] } },
    message: 'snapshots.classes[2].name: must be unique (snapshots.classes[1] has the same name)',
  },
  {
    rule: 'mode existingSecret names the Secret',
    values: { cloudConfig: { mode: 'existingSecret', existingSecret: { name: '', key: 'cloud.conf' } } },
    message: 'cloudConfig.existingSecret.name: must be a non-empty Secret name when cloudConfig.mode is "existingSecret"',
  },
  {
    rule: '[Global] only in mode secret (the default mode is existingSecret)',
    values: { cloudConfig: { global: { authUrl: 'https://keystone.example:5000/v3', username: 'svc', password: PASSWORD } } },
    message: 'cloudConfig.global: must be empty unless cloudConfig.mode is "secret" (only that mode writes [Global]; the default mode is "existingSecret")',
  },
  {
    rule: 'several regions (cloudNames) only where the user writes cloud.conf: mode secret writes only [Global]',
    values: { cloudConfig: { mode: 'secret', cloudNames: ['region-one'], global: { authUrl: 'https://keystone.example:5000/v3', username: 'svc', password: PASSWORD, userDomainName: 'Default', projectName: 'p', projectDomainName: 'Default' } } },
    message: 'cloudConfig.cloudNames: must be empty when cloudConfig.mode is "secret" without cloudConfig.raw (the typed keys write only [Global]; put the [Global "name"] sub-sections in cloudConfig.raw or in the cloud.conf of mode "existingSecret" or "hostPath")',
  },
  {
    rule: 'a verbatim cloud.conf (raw) only in mode secret',
    values: { cloudConfig: { mode: 'hostPath', raw: `[Global]\npassword = "${PASSWORD}"\n` } },
    message: 'cloudConfig.raw: must be empty unless cloudConfig.mode is "secret" (only that mode writes a cloud.conf)',
  },
  {
    rule: 'a verbatim cloud.conf (raw) or the typed keys, not both',
    values: { cloudConfig: { mode: 'secret', raw: `[Global]\npassword = "${PASSWORD}"\n`, blockStorage: { rescanOnResize: true } } },
    message: 'cloudConfig.raw: must be empty when a typed key of cloudConfig.global, cloudConfig.blockStorage (other than nodeVolumeAttachLimit) or cloudConfig.metadata is set: raw is the whole cloud.conf, so those would be ignored; put them into raw',
  },
  {
    rule: 'a ServiceMonitor needs the metrics Services',
    values: { metrics: { serviceMonitor: { enabled: true } } },
    message: 'metrics.serviceMonitor.enabled: needs metrics.service.enabled: true (the ServiceMonitor scrapes the metrics Services)',
  },
  {
    rule: 'helm test Pods need a StorageClass',
    values: { tests: { enabled: true }, storageClasses: [] },
    message: 'tests.enabled: needs at least one entry in storageClasses (each test Pod claims a volume of one of the release\'s StorageClasses)',
  },
  {
    rule: 'a StorageClass\'s cloud is one the controller serves (its Secret exists only then)',
    values: { cloudConfig: { cloudNames: ['region-one'] }, storageClasses: [{ name: 'a', cloud: 'region-one' }, { name: 'b', cloud: 'region-two' }] },
    message: 'storageClasses[1].cloud: must be empty or one of cloudConfig.cloudNames',
  },
  {
    rule: 'a VolumeSnapshotClass\'s cloud is one the controller serves',
    values: { snapshots: { enabled: true, classes: [{ name: 's', cloud: 'region-one' }] } },
    message: 'snapshots.classes[0].cloud: must be empty or one of cloudConfig.cloudNames',
  },
  {
    rule: 'unique VolumeAttributesClass names',
    values: { volumeAttributesClasses: { enabled: true, classes: [{ name: 'x', parameters: { type: 'a' } }, { name: 'x', parameters: { type: 'b' } }] } },
    message: 'volumeAttributesClasses.classes[1].name: must be unique (volumeAttributesClasses.classes[0] has the same name)',
  },
  {
    rule: 'a user name needs a password (the driver\'s rule)',
    values: { cloudConfig: { mode: 'secret', global: { authUrl: 'https://keystone.example:5000/v3', username: 'svc', userDomainName: 'Default', projectName: 'p', projectDomainName: 'Default' } } },
    message: 'cloudConfig.global.password: [Global] password is required with username',
  },
  {
    rule: 'a user id needs a password (the driver\'s rule)',
    values: { cloudConfig: { mode: 'secret', global: { authUrl: 'https://keystone.example:5000/v3', userId: 'u-1', projectId: 'p-1' } } },
    message: 'cloudConfig.global.password: [Global] password is required with user-id',
  },
  {
    rule: 'a password needs a user (the driver\'s rule)',
    values: { cloudConfig: { mode: 'secret', global: { authUrl: 'https://keystone.example:5000/v3', password: PASSWORD, projectName: 'p', projectDomainName: 'Default' } } },
    message: 'cloudConfig.global.username: [Global] has no usable credentials: set username (or user-id) and password, or application-credential-id and application-credential-secret',
  },
  {
    rule: 'an application credential id needs its secret (the driver\'s rule)',
    values: { cloudConfig: { mode: 'secret', global: { authUrl: 'https://keystone.example:5000/v3', applicationCredentialId: 'ac-1' } } },
    message: 'cloudConfig.global.applicationCredentialSecret: [Global] application-credential-secret is required with application-credential-id/-name',
  },
  {
    rule: 'an application credential name needs a user domain (the driver\'s rule)',
    values: { cloudConfig: { mode: 'secret', global: { authUrl: 'https://keystone.example:5000/v3', applicationCredentialName: 'ac', applicationCredentialSecret: APP_SECRET, username: 'svc' } } },
    message: 'cloudConfig.global.userDomainName: [Global] user-domain-name or user-domain-id is required with username and application-credential-name',
  },
];

describe.each(VIOLATIONS)('rule "$rule": a values file breaking only it', ({ values, message }) => {
  test('the constructs throw exactly this message', () => {
    expect(constructsProblems(values, RELEASE)).toEqual([message]);
  });

  test.each(HELM_VERSIONS)('helm %s template fails in templates/validate.yaml with the same message', async (version) => {
    const r = await helmOutcome(version, values);
    expect(r.ok).toBe(false);
    expect(r.error).toContain(`cinder-csi/templates/validate.yaml`);
    expect(r.error).toContain(`: ${message}\n`);
    expect(r.error).not.toContain(PASSWORD);
  });

  test('cinder-csi-render fails with the same message and prints no manifests', async () => {
    expect(() => renderManifests({ valuesFiles: [{ name: 'values.json', content: valuesFileText(values) }] })).toThrow(message);
    const r = await renderCli(values);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
    expect(r.stderr).toBe(`cinder-csi-render: invalid cinder-csi values:\n  ${message}\n`);
  });
});

/** Values that satisfy each rule just barely: Helm must accept them and render what the constructs render. */
const JUST_VALID: ReadonlyArray<{ readonly why: string; readonly values: JsonObject }> = [
  { why: 'one default among several StorageClasses', values: { storageClasses: [{ name: 'a' }, { name: 'b', isDefault: true }, { name: 'c', isDefault: false }] } },
  { why: 'no StorageClass at all', values: { storageClasses: [] } },
  { why: 'the same name in a StorageClass and a VolumeSnapshotClass (different kinds)', values: { storageClasses: [{ name: 'same' }], snapshots: { enabled: true, classes: [{ name: 'same', isDefault: true }] } } },
  { why: 'mode existingSecret with a name', values: { cloudConfig: { mode: 'existingSecret', existingSecret: { name: 'cloud' } } } },
  { why: 'credential rules apply in mode secret only', values: { cloudConfig: { mode: 'hostPath' } } },
  { why: 'an empty existingSecret.name outside mode existingSecret', values: { cloudConfig: { mode: 'hostPath', existingSecret: { name: '' } } } },
  { why: 'two regions, classes in each and one in [Global]', values: { cloudConfig: { cloudNames: ['region-one', 'region-two'] }, storageClasses: [{ name: 'a', cloud: 'region-one' }, { name: 'b', cloud: 'region-two' }, { name: 'c', cloud: '' }], snapshots: { enabled: true, classes: [{ name: 's', cloud: 'region-two' }] } } },
  { why: 'a user id with a password and a project id', values: { cloudConfig: { mode: 'secret', global: { authUrl: 'https://k.example/v3', userId: 'u-1', password: PASSWORD, projectId: 'p-1' } } } },
  { why: 'a user id with a password and a trust', values: { cloudConfig: { mode: 'secret', global: { authUrl: 'https://k.example/v3', userId: 'u-1', password: PASSWORD, trustId: 't-1' } } } },
  { why: 'a user name with domains given once by domain-name', values: { cloudConfig: { mode: 'secret', global: { authUrl: 'https://k.example/v3', username: 'svc', password: PASSWORD, domainName: 'Default', projectName: 'p' } } } },
  { why: 'an application credential by id alone', values: { cloudConfig: { mode: 'secret', global: { authUrl: 'https://k.example/v3', applicationCredentialId: 'ac-1', applicationCredentialSecret: APP_SECRET } } } },
  { why: 'an application credential by name with a user and its domain', values: { cloudConfig: { mode: 'secret', global: { authUrl: 'https://k.example/v3', applicationCredentialName: 'ac', applicationCredentialSecret: APP_SECRET, username: 'svc', userDomainId: 'default' } } } },
];

describe('values that just satisfy the rules', () => {
  test.each(JUST_VALID)('$why: accepted by the constructs and rendered identically by both Helm versions', async ({ values }) => {
    expect(constructsProblems(values, RELEASE)).toEqual([]);
    const expected = byIdentity(renderConstructs(values, RELEASE));
    for (const version of HELM_VERSIONS) {
      const file = scratch.file('values.json', valuesFileText(values));
      const r = await helmTemplate(scratch, version, CHART, [RELEASE.name, '--namespace', RELEASE.namespace, '-f', file]);
      expect({ version, stderr: r.ok ? '' : r.stderr }).toEqual({ version, stderr: '' });
      expect({ version, objects: byIdentity(r.objects) }).toEqual({ version, objects: expected });
    }
  });
});

describe('several broken rules', () => {
  const values: JsonObject = {
    storageClasses: [{ name: 'a', isDefault: true }, { name: 'a', isDefault: true }],
    cloudConfig: { mode: 'secret', global: { password: PASSWORD, applicationCredentialId: 'ac-1' } },
  };
  const all = [
    'storageClasses: at most one entry may have isDefault true (found 2: a, a)',
    'storageClasses[1].name: must be unique (storageClasses[0] has the same name)',
    'cloudConfig.global.authUrl: [Global] auth-url is required by the controller service',
    'cloudConfig.global.applicationCredentialSecret: [Global] application-credential-secret is required with application-credential-id/-name',
  ];

  test('the constructs report every one, in the order of lib/values/rules.ts', () => {
    expect(constructsProblems(values, RELEASE)).toEqual(all);
  });

  test.each(HELM_VERSIONS)('helm %s reports the first of them', async (version) => {
    const r = await helmOutcome(version, values);
    expect(r.ok).toBe(false);
    expect(r.error).toContain(`: ${all[0]}\n`);
    for (const later of all.slice(1)) expect(r.error).not.toContain(later);
  });
});

/*
 * A seeded sample around the rules: random valid values files (the equivalence test's generator) with the
 * class lists and credentials the rules look at replaced by random ones drawn from few names and few
 * strings, so that about half break some rule. Helm must reject exactly the files the constructs reject,
 * with the constructs' first message.
 */
const SAMPLE = 60;
const SEED = 20261122;

function rulesAround(base: JsonObject, seed: number): JsonObject {
  const name = fc.constantFrom('a', 'b', 'c');
  const cls = fc.record({ name, isDefault: fc.boolean(), cloud: fc.constantFrom('', '', 'r1', 'r2') }, { requiredKeys: ['name'] });
  const str = fc.constantFrom('', '', 'x');
  const arb = fc.record({
    storageClasses: fc.array(cls, { maxLength: 3 }),
    classes: fc.array(cls, { maxLength: 3 }),
    mode: fc.constantFrom('secret', 'secret', 'existingSecret', 'hostPath'),
    secretName: fc.constantFrom('', 'cloud'),
    cloudNames: fc.constantFrom([], ['r1'], ['r1', 'r2']),
    keepGlobal: fc.boolean(),
    authUrl: fc.constantFrom('', 'https://k.example/v3', 'https://k.example/v3'),
    username: str, userId: str, password: fc.constantFrom('', PASSWORD, PASSWORD),
    userDomainName: fc.constantFrom('', 'Default', 'Default'), projectName: fc.constantFrom('', 'p', 'p'),
    projectDomainName: fc.constantFrom('', 'Default', 'Default'), trustId: fc.constantFrom('', '', 'x'),
    applicationCredentialId: str, applicationCredentialName: str, applicationCredentialSecret: fc.constantFrom('', APP_SECRET),
  });
  const [r] = fc.sample(arb, { seed, numRuns: 1 });
  const { global: baseGlobal, ...cc } = (base.cloudConfig ?? {}) as JsonObject;
  const snapshots = (base.snapshots ?? {}) as JsonObject;
  // Outside mode secret [Global] must stay empty: half of those files keep the random credentials (and break that rule).
  const withGlobal = r.mode === 'secret' || r.keepGlobal;
  return {
    ...base,
    storageClasses: r.storageClasses,
    snapshots: { ...snapshots, classes: r.classes },
    cloudConfig: {
      ...cc,
      mode: r.mode,
      // Served clouds outside mode secret (which refuses them: a VIOLATIONS case), so classes name served and unserved ones.
      cloudNames: r.mode === 'secret' ? [] : [...r.cloudNames],
      existingSecret: { ...((cc.existingSecret ?? {}) as JsonObject), name: r.secretName },
      ...(withGlobal ? {
        global: {
          ...((baseGlobal ?? {}) as JsonObject),
          authUrl: r.authUrl, username: r.username, userId: r.userId, password: r.password, userDomainName: r.userDomainName,
          projectName: r.projectName, projectDomainName: r.projectDomainName, trustId: r.trustId,
          applicationCredentialId: r.applicationCredentialId, applicationCredentialName: r.applicationCredentialName,
          applicationCredentialSecret: r.applicationCredentialSecret,
        },
      } : {}),
    },
  };
}

describe(`${SAMPLE} seeded random values files around the rules`, () => {
  const files = randomValuesFiles(SCHEMA, SAMPLE, SEED).map((base, i) => rulesAround(base, SEED + i));

  test('the sample holds both valid files and files breaking each rule', () => {
    const problems = files.map((f) => constructsProblems(f, RELEASE));
    const valid = problems.filter((p) => p.length === 0).length;
    expect(valid).toBeGreaterThan(5);
    expect(SAMPLE - valid).toBeGreaterThan(15);
    const broken = new Set(problems.flat().map((p) => p.replace(/\[\d+\]/g, '[]').replace(/ \(.*\)$/, '')));
    expect(broken.size).toBeGreaterThanOrEqual(6);
  });

  test('helm 3 and 4 reject exactly the files the constructs reject, with the constructs\' first message', async () => {
    const mismatches = await pool(files, 3, async (values, i) => {
      const problems = constructsProblems(values, RELEASE);
      const out: string[] = [];
      for (const version of HELM_VERSIONS) {
        const r = await helmOutcome(version, values);
        if (r.error.includes(PASSWORD) || r.error.includes(APP_SECRET)) out.push(`#${i} helm ${version}: a secret in the error`);
        if (problems.length === 0 && !r.ok) out.push(`#${i} helm ${version}: constructs accept, helm fails: ${r.error.trim()}`);
        if (problems.length > 0 && (r.ok || !r.error.includes(`: ${problems[0]}\n`))) {
          out.push(`#${i} helm ${version}: constructs reject with "${problems[0]}", helm ${r.ok ? 'renders' : `fails: ${r.error.trim()}`}`);
        }
      }
      if (problems.some((p) => p.includes(PASSWORD) || p.includes(APP_SECRET))) out.push(`#${i}: a secret in the constructs' message`);
      // The generator of valid values files keeps to what the constructs accept (it asks the same rules).
      if (isValid(values) !== (problems.length === 0)) out.push(`#${i}: isValid disagrees with the constructs`);
      return out;
    });
    expect(mismatches.flat()).toEqual([]);
  }, 300_000);
});

describe('the rule builders refuse rules whose messages could mislead or leak', () => {
  interface Item { name: string; password: string; isDefault: boolean }
  const v = valuesRef<{ items: Item[]; mode: string }>();

  test('a label field that looks like a secret', () => {
    expect(() => atMostOneTrue(v.items, 'isDefault', 'password')).toThrow(/label field "password" looks like a secret/);
  });

  test('a list that is not a values key (the message could not name it)', () => {
    expect(() => uniqueField(valuesRef<Item[]>(), 'name')).toThrow(/expected a ref to a list in the values/);
  });

  test('a key that is not a dotted values key, or nothing expected', () => {
    expect(() => failWhen(v.mode, 'mode: x', 'must be set')).toThrow(/must be a dotted values key/);
    expect(() => failWhen(v.mode, 'mode', ' ')).toThrow(/expected a description/);
  });
});
