// Original file: proto/csi.proto

import type { CapacityRange as _csi_v1_CapacityRange, CapacityRange__Output as _csi_v1_CapacityRange__Output } from '../../csi/v1/CapacityRange';
import type { VolumeCapability as _csi_v1_VolumeCapability, VolumeCapability__Output as _csi_v1_VolumeCapability__Output } from '../../csi/v1/VolumeCapability';
import type { VolumeContentSource as _csi_v1_VolumeContentSource, VolumeContentSource__Output as _csi_v1_VolumeContentSource__Output } from '../../csi/v1/VolumeContentSource';
import type { TopologyRequirement as _csi_v1_TopologyRequirement, TopologyRequirement__Output as _csi_v1_TopologyRequirement__Output } from '../../csi/v1/TopologyRequirement';

export interface CreateVolumeRequest {
  /**
   * Idempotency key and suggested name. REQUIRED.
   */
  'name'?: (string);
  /**
   * OPTIONAL; when set it MUST be honoured.
   */
  'capacityRange'?: (_csi_v1_CapacityRange | null);
  /**
   * Every capability the volume must satisfy. REQUIRED.
   */
  'volumeCapabilities'?: (_csi_v1_VolumeCapability)[];
  /**
   * Opaque plugin parameters (StorageClass parameters). OPTIONAL.
   */
  'parameters'?: ({[key: string]: string});
  /**
   * OPTIONAL. See "Secrets Requirements" in the spec.
   */
  'secrets'?: ({[key: string]: string});
  /**
   * Pre-populate the volume from this source. OPTIONAL.
   */
  'volumeContentSource'?: (_csi_v1_VolumeContentSource | null);
  /**
   * Where the volume must be accessible from. OPTIONAL.
   */
  'accessibilityRequirements'?: (_csi_v1_TopologyRequirement | null);
  /**
   * Parameters that ControllerModifyVolume may change later; they take
   * precedence over `parameters`. OPTIONAL; only with MODIFY_VOLUME.
   */
  'mutableParameters'?: ({[key: string]: string});
}

export interface CreateVolumeRequest__Output {
  /**
   * Idempotency key and suggested name. REQUIRED.
   */
  'name': (string);
  /**
   * OPTIONAL; when set it MUST be honoured.
   */
  'capacityRange': (_csi_v1_CapacityRange__Output | null);
  /**
   * Every capability the volume must satisfy. REQUIRED.
   */
  'volumeCapabilities': (_csi_v1_VolumeCapability__Output)[];
  /**
   * Opaque plugin parameters (StorageClass parameters). OPTIONAL.
   */
  'parameters': ({[key: string]: string});
  /**
   * OPTIONAL. See "Secrets Requirements" in the spec.
   */
  'secrets': ({[key: string]: string});
  /**
   * Pre-populate the volume from this source. OPTIONAL.
   */
  'volumeContentSource': (_csi_v1_VolumeContentSource__Output | null);
  /**
   * Where the volume must be accessible from. OPTIONAL.
   */
  'accessibilityRequirements': (_csi_v1_TopologyRequirement__Output | null);
  /**
   * Parameters that ControllerModifyVolume may change later; they take
   * precedence over `parameters`. OPTIONAL; only with MODIFY_VOLUME.
   */
  'mutableParameters': ({[key: string]: string});
}
