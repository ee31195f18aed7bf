// Original file: proto/csi.proto


export interface ControllerPublishVolumeResponse {
  /**
   * Opaque context passed to NodeStageVolume / NodePublishVolume.
   * OPTIONAL.
   */
  'publishContext'?: ({[key: string]: string});
}

export interface ControllerPublishVolumeResponse__Output {
  /**
   * Opaque context passed to NodeStageVolume / NodePublishVolume.
   * OPTIONAL.
   */
  'publishContext': ({[key: string]: string});
}
