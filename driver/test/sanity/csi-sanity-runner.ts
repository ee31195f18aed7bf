import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** The repository root (driver/ is one level below it). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** What a child process printed and how it ended. */
interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/**
 * Runs a command without blocking the event loop: the driver under test serves gRPC in this same process, so a
 * synchronous spawn would deadlock the conformance tool against it.
 */
function run(command: string, args: readonly string[], cwd: string): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => void (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (output += d.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, output }));
  });
}

/**
 * Builds (or finds, cached by version) csi-sanity with the project's referee script and returns the binary's path.
 * A missing Go toolchain or module proxy fails here with the script's own message: this suite never skips.
 */
export async function buildCsiSanity(): Promise<string> {
  const script = path.join(REPO_ROOT, 'scripts', 'referees', 'build.sh');
  const result = await run('bash', [script, 'csi-sanity'], REPO_ROOT);
  if (result.code !== 0) {
    throw new Error(`bash ${script} csi-sanity failed (exit ${result.code ?? result.signal}):\n${result.output.trim()}`);
  }
  // "referees: csi-sanity v5.4.0 (cached: /path)" or "referees: csi-sanity v5.4.0 built in 42 s (/path)"
  const line = result.output.split('\n').find((l) => l.startsWith('referees: csi-sanity '));
  const binary = line?.match(/\((?:cached: )?(\/[^)]+)\)\s*$/)?.[1];
  if (binary === undefined) throw new Error(`cannot find the csi-sanity path in the output of ${script}:\n${result.output.trim()}`);
  await fs.access(binary, fs.constants.X_OK);
  return binary;
}

/** One csi-sanity spec that did not pass, as ginkgo reports it. */
export interface SpecOutcome {
  /** The full spec name: container texts and the It text, joined by spaces (e.g. "Node Service NodeGetInfo ..."). */
  readonly name: string;
  /** Skip(...)'s message for a skipped spec ("pending" for a pending one), the failure message for a failed one. */
  readonly reason: string;
}

export interface SanityResult {
  readonly passed: number;
  readonly failed: SpecOutcome[];
  /** Skipped and pending specs: neither ran to an assertion. */
  readonly skipped: SpecOutcome[];
  /** csi-sanity's console output (for a failure message). */
  readonly output: string;
}

/** The parts of ginkgo's JSON report (--ginkgo.json-report) this suite reads. */
interface GinkgoSpecReport {
  readonly LeafNodeType: string;
  readonly LeafNodeText: string;
  readonly ContainerHierarchyTexts: string[] | null;
  readonly State: string;
  readonly Failure?: { readonly Message?: string };
}

interface GinkgoSuiteReport {
  readonly SpecReports: GinkgoSpecReport[] | null;
}

/** Counts the It specs of a ginkgo JSON report by state. Setup nodes (BeforeSuite, ...) count only when they fail. */
export function summarizeGinkgoReport(reports: readonly GinkgoSuiteReport[], output = ''): SanityResult {
  let passed = 0;
  const failed: SpecOutcome[] = [];
  const skipped: SpecOutcome[] = [];
  for (const spec of reports.flatMap((r) => r.SpecReports ?? [])) {
    const name = [...(spec.ContainerHierarchyTexts ?? []), spec.LeafNodeText].filter((t) => t !== '').join(' ');
    const reason = spec.Failure?.Message ?? '';
    if (spec.LeafNodeType !== 'It') {
      if (spec.State !== 'passed' && spec.State !== 'skipped') failed.push({ name: `[${spec.LeafNodeType}] ${name}`, reason });
      continue;
    }
    switch (spec.State) {
      case 'passed':
        passed++;
        break;
      case 'skipped':
        skipped.push({ name, reason });
        break;
      case 'pending':
        skipped.push({ name, reason: 'pending' });
        break;
      default: // failed, panicked, interrupted, aborted, timedout
        failed.push({ name, reason: `${spec.State}: ${reason}` });
    }
  }
  return { passed, failed, skipped, output };
}

export interface SanityRunOptions {
  /** The csi-sanity binary. */
  readonly binary: string;
  /** unix:///... */
  readonly endpoint: string;
  readonly accessType: 'mount' | 'block';
  /** Parent of NodePublishVolume's target: csi-sanity creates it with mkdir (not -p) and removes it after each spec. */
  readonly mountDir: string;
  /** NodeStageVolume's staging path, likewise created and removed by csi-sanity. */
  readonly stagingDir: string;
  /** Where the parameter files, the report and the console log go. */
  readonly workDir: string;
  readonly volumeSizeBytes: number;
  readonly expandSizeBytes: number;
  /** ControllerModifyVolume's mutable_parameters for the ModifyVolume specs. */
  readonly mutableParameters: Readonly<Record<string, string>>;
  /** Runs the ControllerPublishVolume attach-limit spec (the node must report a small max_volumes_per_node). */
  readonly testNodeVolumeAttachLimit: boolean;
}

/** Runs csi-sanity once against the endpoint and summarizes its ginkgo JSON report. */
export async function runCsiSanity(o: SanityRunOptions): Promise<SanityResult> {
  const mutable = path.join(o.workDir, `mutable-parameters-${o.accessType}.yaml`);
  // A flat YAML map of strings; JSON is YAML, and quoting keeps every value a string.
  await fs.writeFile(mutable, `${JSON.stringify(o.mutableParameters)}\n`);
  const report = path.join(o.workDir, `csi-sanity-${o.accessType}.json`);
  const args = [
    `--csi.endpoint=${o.endpoint}`,
    `--csi.mountdir=${o.mountDir}`,
    `--csi.stagingdir=${o.stagingDir}`,
    `--csi.testvolumeaccesstype=${o.accessType}`,
    `--csi.testvolumesize=${o.volumeSizeBytes}`,
    `--csi.testvolumeexpandsize=${o.expandSizeBytes}`,
    `--csi.testvolumemutableparameters=${mutable}`,
    ...(o.testNodeVolumeAttachLimit ? ['--csi.testnodevolumeattachlimit'] : []),
    `--ginkgo.json-report=${report}`,
    '--ginkgo.no-color',
  ];
  const result = await run(o.binary, args, o.workDir);
  await fs.writeFile(path.join(o.workDir, `csi-sanity-${o.accessType}.log`), result.output);
  let reports: GinkgoSuiteReport[];
  try {
    reports = JSON.parse(await fs.readFile(report, 'utf8')) as GinkgoSuiteReport[];
  } catch (error) {
    throw new Error(
      `csi-sanity (${o.accessType}) wrote no readable report (exit ${result.code ?? result.signal}: ${(error as Error).message}):\n` +
        result.output.slice(-4000),
    );
  }
  return summarizeGinkgoReport(reports, result.output);
}

/** "csi-sanity mount: 82 passed, 0 failed, 10 skipped" */
export function countsLine(accessType: string, r: SanityResult): string {
  return `csi-sanity ${accessType}: ${r.passed} passed, ${r.failed.length} failed, ${r.skipped.length} skipped`;
}
