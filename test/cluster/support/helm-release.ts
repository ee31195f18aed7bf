import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ROOT } from './referees';

export const HELMS = [
  { label: 'helm3', version: 'v3.17.3', bin: join(ROOT, '.tmp/helm/v3/helm') },
  { label: 'helm4', version: 'v4.1.4', bin: join(ROOT, '.tmp/helm/v4/helm') },
] as const;

export type HelmBinary = (typeof HELMS)[number];

/** One Helm release of a chart directory, driven by a real Helm binary against the test cluster. */
export class HelmRelease {
  constructor(
    readonly helm: HelmBinary,
    readonly kubeconfig: string,
    readonly name: string,
    readonly namespace: string,
    readonly chartDir: string,
    readonly workDir: string,
  ) {}

  run(args: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        this.helm.bin,
        [...args, `--kubeconfig=${this.kubeconfig}`, `--namespace=${this.namespace}`],
        { env: { ...process.env, HELM_CACHE_HOME: join(this.workDir, 'helm-cache'), HELM_CONFIG_HOME: join(this.workDir, 'helm-config'), HELM_DATA_HOME: join(this.workDir, 'helm-data') }, timeout: 180_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${this.helm.label} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout)),
      );
    });
  }

  private valuesFile(values: unknown, revision: string): string {
    const file = join(this.workDir, `${this.name}-${revision}.values.yaml`);
    writeFileSync(file, stringify(values), { mode: 0o600 });
    return file;
  }

  install(values: unknown): Promise<string> {
    return this.run(['install', this.name, this.chartDir, '-f', this.valuesFile(values, 'install')]);
  }

  upgrade(values: unknown): Promise<string> {
    return this.run(['upgrade', this.name, this.chartDir, '-f', this.valuesFile(values, 'upgrade')]);
  }

  rollback(revision: number): Promise<string> {
    return this.run(['rollback', this.name, String(revision)]);
  }

  uninstall(): Promise<string> {
    return this.run(['uninstall', this.name]);
  }

  /** The manifest Helm stored for the current revision. */
  manifest(): Promise<string> {
    return this.run(['get', 'manifest', this.name]);
  }

  async history(): Promise<{ revision: number; status: string }[]> {
    return JSON.parse(await this.run(['history', this.name, '-o', 'json'])) as { revision: number; status: string }[];
  }
}
