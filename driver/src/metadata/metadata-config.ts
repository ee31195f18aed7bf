/** Where NodeGetInfo may look for the instance's metadata, in upstream's [Metadata] search-order spelling. */
export type MetadataSource = 'configDrive' | 'metadataService';
export const METADATA_SOURCES: readonly MetadataSource[] = ['configDrive', 'metadataService'];

export interface MetadataConfig {
  /** Sources tried in order until one answers (upstream default: configDrive,metadataService). */
  readonly searchOrder: readonly MetadataSource[];
  /** Base URL of the metadata service; `/openstack/latest/meta_data.json` is appended. */
  readonly metadataUrl: string;
  /** A config drive that is already mounted here is read directly instead of being looked up by label. */
  readonly configDriveDir?: string;
  /** Label of the config drive filesystem. */
  readonly configDriveLabel: string;
  /** Bound for one metadata service request. */
  readonly requestTimeoutMs: number;
}
