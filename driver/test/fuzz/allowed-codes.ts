import { status } from '@grpc/grpc-js';

/**
 * The gRPC codes the CSI spec (v1.12, "Error Scheme") allows each RPC to answer with.
 *
 * Every RPC: OK; INVALID_ARGUMENT (a missing, invalid or unsupported field); ABORTED (an operation is pending for
 * the volume); UNIMPLEMENTED; and, from gRPC itself, CANCELLED. UNKNOWN and INTERNAL are never accepted here:
 * a request the plugin cannot handle must say why with a code the CO acts on. DEADLINE_EXCEEDED is not accepted
 * either: every fuzz call gets a generous deadline, so reaching it means the call hung.
 */
const GENERAL: readonly status[] = [status.OK, status.INVALID_ARGUMENT, status.ABORTED, status.UNIMPLEMENTED, status.CANCELLED];

const PER_RPC: Readonly<Record<string, readonly status[]>> = {
  'Identity/GetPluginInfo': [],
  'Identity/GetPluginCapabilities': [],
  'Identity/Probe': [status.FAILED_PRECONDITION],
  // Source not found (or going away); name exists with other parameters; out of capacity or unsatisfiable topology;
  // capacity range. UNAVAILABLE: a source snapshot or volume still being created (the spec has no row; gRPC's
  // "retry later", as upstream cinder-csi answers). See driver/README.md.
  'Controller/CreateVolume': [status.NOT_FOUND, status.ALREADY_EXISTS, status.RESOURCE_EXHAUSTED, status.OUT_OF_RANGE, status.UNAVAILABLE],
  'Controller/DeleteVolume': [status.FAILED_PRECONDITION],
  // Volume or node not found; published with incompatible capabilities; published elsewhere / attach limit.
  'Controller/ControllerPublishVolume': [status.NOT_FOUND, status.ALREADY_EXISTS, status.FAILED_PRECONDITION, status.RESOURCE_EXHAUSTED],
  'Controller/ControllerUnpublishVolume': [status.NOT_FOUND],
  'Controller/ValidateVolumeCapabilities': [status.NOT_FOUND],
  'Controller/ListVolumes': [],
  'Controller/GetCapacity': [],
  'Controller/ControllerGetCapabilities': [],
  // Source volume not found; name exists for another source; not enough space; an in-use source without force-create.
  'Controller/CreateSnapshot': [status.NOT_FOUND, status.ALREADY_EXISTS, status.RESOURCE_EXHAUSTED, status.FAILED_PRECONDITION],
  'Controller/DeleteSnapshot': [status.FAILED_PRECONDITION],
  'Controller/ListSnapshots': [],
  'Controller/GetSnapshot': [status.NOT_FOUND],
  // Volume not found; in use and not expandable online; unsupported capacity (and the quota: out of space).
  'Controller/ControllerExpandVolume': [status.NOT_FOUND, status.FAILED_PRECONDITION, status.OUT_OF_RANGE, status.RESOURCE_EXHAUSTED],
  'Controller/ControllerGetVolume': [status.NOT_FOUND],
  // Volume not found; the modification is not possible in the volume's current state.
  'Controller/ControllerModifyVolume': [status.NOT_FOUND, status.FAILED_PRECONDITION],
  // Volume/device not found; staged elsewhere with incompatible capabilities; published incompatibly.
  'Node/NodeStageVolume': [status.NOT_FOUND, status.ALREADY_EXISTS, status.FAILED_PRECONDITION],
  'Node/NodeUnstageVolume': [status.NOT_FOUND],
  'Node/NodePublishVolume': [status.NOT_FOUND, status.ALREADY_EXISTS, status.FAILED_PRECONDITION],
  'Node/NodeUnpublishVolume': [status.NOT_FOUND],
  'Node/NodeGetVolumeStats': [status.NOT_FOUND],
  'Node/NodeExpandVolume': [status.NOT_FOUND, status.FAILED_PRECONDITION, status.OUT_OF_RANGE],
  'Node/NodeGetCapabilities': [],
  'Node/NodeGetInfo': [],
};

/** The allowed codes of `service/method`; throws for an RPC the table does not know (a new RPC must be added). */
export function allowedCodes(service: string, method: string): ReadonlySet<status> {
  const specific = PER_RPC[`${service}/${method}`];
  if (!specific) throw new Error(`allowed-codes: no entry for ${service}/${method}; add the spec's codes for it`);
  return new Set([...GENERAL, ...specific]);
}
