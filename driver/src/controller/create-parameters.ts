import { invalidArgument } from '../grpc/errors';

/** StorageClass parameters this driver understands. */
export const PARAM_TYPE = 'type';
export const PARAM_AVAILABILITY = 'availability';
/** Added by the external-provisioner with --extra-create-metadata; stored as volume metadata. */
export const EXTRA_METADATA_KEYS: readonly string[] = [
  'csi.storage.k8s.io/pvc/name',
  'csi.storage.k8s.io/pvc/namespace',
  'csi.storage.k8s.io/pv/name',
];

export interface CreateParameters {
  readonly volumeType?: string;
  readonly availability?: string;
  /** The extra-create-metadata values present in the request. */
  readonly metadata: Record<string, string>;
}

/**
 * Parses CreateVolume parameters and mutable_parameters. Unknown keys are rejected rather than ignored: a
 * misspelt StorageClass parameter silently doing nothing is worse than a clear error.
 */
export function parseCreateParameters(parameters: Record<string, string>, mutable: Record<string, string>): CreateParameters {
  const metadata: Record<string, string> = {};
  let volumeType: string | undefined;
  let availability: string | undefined;
  for (const [key, value] of Object.entries(parameters)) {
    if (key === PARAM_TYPE) {
      volumeType = nonEmpty(value, `parameters.${key}`, 'a Cinder volume type name or id');
    } else if (key === PARAM_AVAILABILITY) {
      availability = nonEmpty(value, `parameters.${key}`, 'a Cinder availability zone');
    } else if (EXTRA_METADATA_KEYS.includes(key)) {
      metadata[key] = value;
    } else {
      throw invalidArgument(`parameters.${key}`, `unknown parameter; expected one of ${[PARAM_TYPE, PARAM_AVAILABILITY, ...EXTRA_METADATA_KEYS].join(', ')}`);
    }
  }
  for (const [key, value] of Object.entries(mutable)) {
    if (key !== PARAM_TYPE) {
      throw invalidArgument(`mutable_parameters.${key}`, `unknown mutable parameter; expected ${PARAM_TYPE}`);
    }
    // The spec: values in mutable_parameters MUST take precedence over those in parameters (a VolumeAttributesClass
    // overrides its StorageClass).
    volumeType = nonEmpty(value, `mutable_parameters.${key}`, 'a Cinder volume type name or id');
  }
  return { volumeType, availability, metadata };
}

function nonEmpty(value: string, field: string, expected: string): string {
  if (value.trim() === '') throw invalidArgument(field, `expected ${expected}, got an empty string`);
  return value;
}
