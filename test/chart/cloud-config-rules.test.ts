import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CloudConfigError, loadCloudConfig } from '../../driver/src/config/cloud-config';
import { CREDENTIAL_RULES, CredentialField } from '../../driver/src/config/credential-rules';
import { controllerCloudConfigSecretTemplate } from '../../lib/cloud-config';
import { CHART_NAME, CHART_VERSION } from '../../lib/metadata';
import valuesDefaults from '../../lib/generated/values.defaults.json';
import { CinderCsiValuesError, resolveValues } from '../../lib/resolve-values';
import { CinderCsiValuesInput } from '../../lib/values';
import { coalesceValues, evaluate, JsonObject } from '../../lib/template';
import { valuesRules } from '../../lib/values/rules';
import { HELM_VERSIONS, helmTemplate, Scratch, valuesFileText } from '../template/helm-harness';
import { CHART, constructsProblems, pool, Release } from './chart-harness';

/*
 * The chart refuses at `helm template` / `helm install` every cloud config the controller would refuse at start-up,
 * with the driver's own words: for each values file, the cloud.conf the chart's template would write (evaluated
 * without the values rules) is handed to the driver's real loader, as the controller reads it at start-up, and
 * the chart's verdict (constructs, Helm 3 and Helm 4) must be the same, with the same message after the key.
 */
const scratch = new Scratch();
const dir = mkdtempSync(join(tmpdir(), 'cinder-csi-conf-'));
afterAll(() => {
  scratch.cleanup();
  rmSync(dir, { recursive: true, force: true });
});
const RELEASE: Release = { name: 'cinder-csi', namespace: 'kube-system' };
const PASSWORD = 'pw-Qv73-never-print';

/** What the controller prints at start-up for the cloud.conf the chart would write: undefined when it starts. */
function driverRefusal(values: JsonObject): { file: string; message: string } | undefined {
  const coalesced = coalesceValues(valuesDefaults as unknown as JsonObject, values);
  const [secret] = evaluate(controllerCloudConfigSecretTemplate, { values: coalesced, release: RELEASE, chart: { name: CHART_NAME, version: CHART_VERSION } });
  const conf = ((secret!.stringData as JsonObject)['cloud.conf'] as string);
  const file = join(dir, 'cloud.conf');
  writeFileSync(file, conf);
  try {
    loadCloudConfig([file], { requireCredentials: true });
    return undefined;
  } catch (e) {
    if (!(e instanceof CloudConfigError)) throw e;
    return { file, message: e.message };
  }
}


/** The problems the constructs would throw (resolveValues: the validation step of every construct), faster. */
function valuesProblems(values: JsonObject): string[] {
  try {
    resolveValues(values as CinderCsiValuesInput);
    return [];
  } catch (e) {
    if (!(e instanceof CinderCsiValuesError)) throw e;
    return [...e.problems];
  }
}

async function helmError(version: (typeof HELM_VERSIONS)[number], values: JsonObject): Promise<string> {
  const file = scratch.file('values.json', valuesFileText(values));
  const r = await helmTemplate(scratch, version, CHART, [RELEASE.name, '--namespace', RELEASE.namespace, '-f', file]);
  return r.ok ? '' : r.stderr;
}

const secret = (global: JsonObject): JsonObject => ({ cloudConfig: { mode: 'secret', global } });
const AUTH_URL = 'https://keystone.example:5000/v3';

/** The four cloud configs the audit found passing the chart and then stopping the controller. */
const BROKEN: ReadonlyArray<{ readonly what: string; readonly values: JsonObject; readonly field: CredentialField }> = [
  { what: 'authUrl alone', values: secret({ authUrl: AUTH_URL }), field: 'username' },
  {
    what: 'username and password without a user domain',
    values: secret({ authUrl: AUTH_URL, username: 'svc', password: PASSWORD, projectName: 'p', projectDomainName: 'Default' }),
    field: 'userDomainName',
  },
  {
    what: 'username and password without a project',
    values: secret({ authUrl: AUTH_URL, username: 'svc', password: PASSWORD, userDomainName: 'Default' }),
    field: 'projectName',
  },
  { what: 'the empty config (mode secret with nothing set, the former default)', values: { cloudConfig: { mode: 'secret' } }, field: 'authUrl' },
];

describe.each(BROKEN)('$what', ({ values, field }) => {
  const refusal = driverRefusal(values);

  test('the controller refuses the cloud.conf the chart would write', () => {
    expect(refusal).toBeDefined();
    expect(refusal!.message).toMatch(/^cloud config .*: \[Global\] /);
  });

  const driverWords = (): string => refusal!.message.slice(`cloud config ${refusal!.file}: `.length);

  test('the constructs refuse it first with the driver\'s words after the values key', () => {
    const problems = constructsProblems(values, RELEASE);
    expect(problems[0]).toBe(`cloudConfig.global.${field}: ${driverWords()}`);
    expect(problems.join('\n')).not.toContain(PASSWORD);
  });

  test.each(HELM_VERSIONS)('helm %s template fails in templates/validate.yaml with the same message', async (version) => {
    const error = await helmError(version, values);
    expect(error).toContain('cinder-csi/templates/validate.yaml');
    expect(error).toContain(`: cloudConfig.global.${field}: ${driverWords()}\n`);
    expect(error).not.toContain(PASSWORD);
  });
});

test('the default values need no [Global]: helm renders them and the controller reads the existing Secret', async () => {
  for (const version of HELM_VERSIONS) expect(await helmError(version, {})).toBe('');
  expect(constructsProblems({}, RELEASE)).toEqual([]);
});

test('every driver rule is one chart rule, in the same order (the chart translates the driver\'s list)', () => {
  const chartCredentialRules = valuesRules.filter((a) => a.kind === 'failWhen' && a.key.startsWith('cloudConfig.global.'));
  expect(chartCredentialRules.map((a) => (a.kind === 'failWhen' ? `${a.key}: ${a.expected}` : ''))).toEqual(
    CREDENTIAL_RULES.map((r) => `cloudConfig.global.${r.field}: ${r.message}`),
  );
});

/*
 * A seeded sample of [Global] sections made of the fields the rules read, each empty or set: the constructs accept
 * exactly the sections the driver accepts, and refuse the others with the driver's message first; a part of the
 * sample also goes through Helm 3 and 4.
 */
const FIELDS: readonly CredentialField[] = [
  'authUrl', 'username', 'userId', 'password', 'userDomainName', 'userDomainId', 'projectName', 'projectId', 'projectDomainName',
  'projectDomainId', 'domainName', 'domainId', 'applicationCredentialId', 'applicationCredentialName', 'applicationCredentialSecret', 'trustId',
];
const VALUE: Record<CredentialField, string> = {
  authUrl: AUTH_URL, username: 'svc', userId: 'u-1', password: PASSWORD, userDomainName: 'Default', userDomainId: 'default',
  projectName: 'p', projectId: 'p-1', projectDomainName: 'Default', projectDomainId: 'default', domainName: 'Default', domainId: 'default',
  applicationCredentialId: 'ac-1', applicationCredentialName: 'ac', applicationCredentialSecret: 'ac-secret', trustId: 't-1',
};

describe('a seeded sample of [Global] sections', () => {
  // authUrl mostly set, so the sample reaches the later rules.
  const arb = fc.record(Object.fromEntries(FIELDS.map((f) => [f, f === 'authUrl' ? fc.constantFrom(true, true, true, false) : fc.boolean()])) as Record<CredentialField, fc.Arbitrary<boolean>>);
  const sample = fc.sample(arb, { seed: 20260917, numRuns: 1000 }).map((pick) =>
    secret(Object.fromEntries(FIELDS.filter((f) => pick[f]).map((f) => [f, VALUE[f]]))));

  test('the constructs accept exactly what the driver accepts, and refuse with the driver\'s words first', () => {
    const mismatches: string[] = [];
    let accepted = 0;
    const messages = new Set<string>();
    sample.forEach((values, i) => {
      const refusal = driverRefusal(values);
      const problems = valuesProblems(values);
      if (refusal === undefined) {
        accepted++;
        if (problems.length > 0) mismatches.push(`#${i}: the driver starts, the chart refuses: ${problems[0]}`);
        return;
      }
      const words = refusal.message.slice(`cloud config ${refusal.file}: `.length);
      messages.add(words);
      if (problems.length === 0 || !problems[0]!.endsWith(`: ${words}`)) {
        mismatches.push(`#${i}: the driver says "${words}", the chart ${problems.length === 0 ? 'accepts' : `says "${problems[0]}"`}`);
      }
    });
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(20);
    expect(messages.size).toBe(CREDENTIAL_RULES.length);
  });

  test('helm 3 and 4 agree on a part of the sample', async () => {
    const part = sample.slice(0, 24);
    const mismatches = await pool(part, 3, async (values, i) => {
      const refusal = driverRefusal(values);
      const out: string[] = [];
      for (const version of HELM_VERSIONS) {
        const error = await helmError(version, values);
        if (refusal === undefined && error !== '') out.push(`#${i} helm ${version}: the driver starts, helm fails: ${error.trim()}`);
        if (refusal !== undefined) {
          const words = refusal.message.slice(`cloud config ${refusal.file}: `.length);
          if (!error.includes(`: ${words}\n`)) out.push(`#${i} helm ${version}: the driver says "${words}", helm ${error ? `says ${error.trim()}` : 'renders'}`);
        }
      }
      return out;
    });
    expect(mismatches.flat()).toEqual([]);
  }, 300_000);
});
