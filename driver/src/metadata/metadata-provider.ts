import type { Mounter } from '../mounter/mounter';
import type { MetadataConfig } from './metadata-config';
import { readConfigDrive } from './config-drive';
import type { InstanceMetadata } from './instance-metadata';

/**
 * Instance metadata from the sources in the configured order, the first that answers winning. The result is kept:
 * an instance's uuid and zone do not change while it runs.
 */
export class MetadataProvider {
  private cached?: Promise<InstanceMetadata>;

  constructor(
    private readonly mounter: Mounter,
    private readonly config: MetadataConfig,
  ) {}

  get(signal?: AbortSignal): Promise<InstanceMetadata> {
    if (!this.cached) {
      const attempt = this.lookUp(signal);
      this.cached = attempt;
      // A failure is not cached: the metadata service may come up later.
      attempt.catch(() => {
        if (this.cached === attempt) this.cached = undefined;
      });
    }
    return this.cached;
  }

  private async lookUp(signal?: AbortSignal): Promise<InstanceMetadata> {
    const failures: string[] = [];
    for (const source of this.config.searchOrder) {
      try {
        if (source === 'configDrive') {
          return await readConfigDrive(this.mounter, {
            mountedDir: this.config.configDriveDir,
            label: this.config.configDriveLabel,
          });
        }
        // Loaded on first use: the HTTP client is most of a node plugin's start-up, and with --node-id and
        // --availability-zone given (or a config drive) it is never needed.
        const { readMetadataService } = await import('./metadata-service');
        return await readMetadataService({ url: this.config.metadataUrl, timeoutMs: this.config.requestTimeoutMs, signal });
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    throw new Error(`instance metadata unavailable (search order ${this.config.searchOrder.join(',')}): ${failures.join('; ')}`);
  }
}
