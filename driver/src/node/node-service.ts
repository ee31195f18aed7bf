import * as path from 'node:path';
import { operationPending, unavailable } from '../grpc/errors';
import type {
  CallContext,
  NodeExpandVolumeRequest__Output,
  NodeExpandVolumeResponse,
  NodeGetCapabilitiesResponse,
  NodeGetInfoResponse,
  NodeGetVolumeStatsRequest__Output,
  NodeGetVolumeStatsResponse,
  NodePublishVolumeRequest__Output,
  NodePublishVolumeResponse,
  NodeRpcType__Output,
  NodeService,
  NodeStageVolumeRequest__Output,
  NodeStageVolumeResponse,
  NodeUnpublishVolumeRequest__Output,
  NodeUnpublishVolumeResponse,
  NodeUnstageVolumeRequest__Output,
  NodeUnstageVolumeResponse,
} from '../grpc/services';
import { MetadataProvider } from '../metadata/metadata-provider';
import { LinuxMounter } from '../mounter/linux-mounter';
import type { Mounter } from '../mounter/mounter';
import { InFlightGuard } from '../util/in-flight';
import { DeviceFinder } from './device-finder';
import { VolumeExpander } from './expand';
import { type NodeServiceConfig } from './node-config';
import { ZONE_TOPOLOGY_KEY } from '../topology-key';
import { VolumePublisher } from './publish';
import {
  requireAbsolutePath,
  requireDeviceVolumeId,
  requirePublishStagingPath,
  requirePublishTarget,
  requireVolumeAccess,
  requireVolumePath,
} from '../grpc/request-validation';
import { VolumeStager } from './stage';
import { VolumeStatsReader } from './volume-stats';

export const NODE_CAPABILITIES: readonly NodeRpcType__Output[] = ['STAGE_UNSTAGE_VOLUME', 'GET_VOLUME_STATS', 'EXPAND_VOLUME', 'VOLUME_CONDITION', 'SINGLE_NODE_MULTI_WRITER'];

/**
 * The CSI Node service: formats, mounts, grows and reports on Cinder volumes attached to this machine. Each RPC
 * checks its request (grpc/request-validation), takes the in-flight guard for the volume, and hands the work to a
 * collaborator.
 */
export class CinderNodeService implements NodeService {
  private readonly inFlight = new InFlightGuard(operationPending);
  private readonly stager: VolumeStager;
  private readonly publisher: VolumePublisher;
  private readonly expander: VolumeExpander;
  private readonly stats: VolumeStatsReader;
  private readonly metadata: MetadataProvider;

  constructor(
    private readonly config: NodeServiceConfig,
    mounter: Mounter = new LinuxMounter(),
  ) {
    const devices = new DeviceFinder(mounter, {
      byIdDir: config.byIdDir,
      waitTimeoutMs: config.deviceWaitTimeoutMs,
      waitIntervalMs: config.deviceWaitIntervalMs,
    });
    this.stager = new VolumeStager(mounter, devices);
    this.publisher = new VolumePublisher(mounter, devices, config.kubeletDir);
    this.expander = new VolumeExpander(mounter, devices);
    this.stats = new VolumeStatsReader(mounter);
    this.metadata = new MetadataProvider(mounter, config.metadata);
  }

  async nodeStageVolume(req: NodeStageVolumeRequest__Output, ctx: CallContext): Promise<NodeStageVolumeResponse> {
    const volumeId = requireDeviceVolumeId(req.volumeId);
    const stagingPath = requireAbsolutePath('staging_target_path', req.stagingTargetPath);
    const access = requireVolumeAccess('volume_capability', req.volumeCapability);
    await this.inFlight.run(guardKeys(volumeId, stagingPath), () => this.stager.stage({ volumeId, stagingPath, access }, ctx));
    return {};
  }

  async nodeUnstageVolume(req: NodeUnstageVolumeRequest__Output, ctx: CallContext): Promise<NodeUnstageVolumeResponse> {
    const volumeId = requireDeviceVolumeId(req.volumeId);
    const stagingPath = requireAbsolutePath('staging_target_path', req.stagingTargetPath);
    await this.inFlight.run(guardKeys(volumeId, stagingPath), () => this.stager.unstage(volumeId, stagingPath, ctx));
    return {};
  }

  async nodePublishVolume(req: NodePublishVolumeRequest__Output, ctx: CallContext): Promise<NodePublishVolumeResponse> {
    const volumeId = requireDeviceVolumeId(req.volumeId);
    const access = requireVolumeAccess('volume_capability', req.volumeCapability);
    const targetPath = requirePublishTarget('target_path', req.targetPath, this.config.kubeletDir, access.kind === 'block');
    // After the REQUIRED fields: a missing staging path is FAILED_PRECONDITION, a missing required field is not.
    const stagingPath = requirePublishStagingPath('staging_target_path', req.stagingTargetPath);
    await this.inFlight.run(guardKeys(volumeId, targetPath), () =>
      this.publisher.publish({ volumeId, stagingPath, targetPath, access, readOnly: req.readonly }, ctx),
    );
    return {};
  }

  async nodeUnpublishVolume(req: NodeUnpublishVolumeRequest__Output, ctx: CallContext): Promise<NodeUnpublishVolumeResponse> {
    const volumeId = requireDeviceVolumeId(req.volumeId);
    const targetPath = requirePublishTarget('target_path', req.targetPath, this.config.kubeletDir, true);
    await this.inFlight.run(guardKeys(volumeId, targetPath), () => this.publisher.unpublish(volumeId, targetPath, ctx));
    return {};
  }

  async nodeGetVolumeStats(req: NodeGetVolumeStatsRequest__Output): Promise<NodeGetVolumeStatsResponse> {
    const volumeId = requireDeviceVolumeId(req.volumeId);
    const volumePath = requireVolumePath('volume_path', req.volumePath, volumeId);
    // Deliberately not behind the in-flight guard: kubelet polls stats all the time and they only read.
    return this.stats.read(volumeId, volumePath);
  }

  async nodeExpandVolume(req: NodeExpandVolumeRequest__Output, ctx: CallContext): Promise<NodeExpandVolumeResponse> {
    const volumeId = requireDeviceVolumeId(req.volumeId);
    const volumePath = requireVolumePath('volume_path', req.volumePath, volumeId);
    if (req.volumeCapability) requireVolumeAccess('volume_capability', req.volumeCapability);
    const requiredBytes = req.capacityRange?.requiredBytes ?? 0;
    const capacityBytes = await this.inFlight.run(guardKeys(volumeId), () =>
      this.expander.expand({ volumeId, volumePath, requiredBytes, rescan: this.config.rescanOnResize, stagingPath: path.isAbsolute(req.stagingTargetPath) ? req.stagingTargetPath : undefined }, ctx),
    );
    return { capacityBytes };
  }

  async nodeGetCapabilities(): Promise<NodeGetCapabilitiesResponse> {
    return { capabilities: NODE_CAPABILITIES.map((type) => ({ rpc: { type } })) };
  }

  async nodeGetInfo(_req: unknown, ctx: CallContext): Promise<NodeGetInfoResponse> {
    const { nodeIdOverride, availabilityZoneOverride } = this.config;
    let nodeId = nodeIdOverride;
    let zone = availabilityZoneOverride;
    if (nodeId === undefined || zone === undefined) {
      let metadata;
      try {
        metadata = await this.metadata.get(ctx.signal);
      } catch (error) {
        // UNAVAILABLE: the node registrar retries, and the metadata service may simply not be up yet.
        throw unavailable(
          `cannot determine ${nodeId === undefined ? 'the node id' : 'the availability zone'}: ${(error as Error).message}` +
            ' (set the node id and availability zone explicitly where there is no metadata)',
        );
      }
      nodeId ??= metadata.uuid;
      zone ??= metadata.availabilityZone;
    }
    // --with-topology=false: the plugin does not advertise VOLUME_ACCESSIBILITY_CONSTRAINTS, and the spec then
    // forbids topology here.
    if (!this.config.withTopology) return { nodeId, maxVolumesPerNode: this.config.maxVolumesPerNode, accessibleTopology: null };
    const segments: Record<string, string> = { ...this.config.additionalTopology };
    if (zone !== undefined) segments[ZONE_TOPOLOGY_KEY] = zone;
    return {
      nodeId,
      maxVolumesPerNode: this.config.maxVolumesPerNode,
      accessibleTopology: Object.keys(segments).length === 0 ? null : { segments },
    };
  }
}

/**
 * The in-flight guard's keys for a call: the volume, and the path it mounts or unmounts (normalised, so `/a/b/`
 * and `/a/b` are one key). Two calls for different volumes on one path would otherwise race on the same mount
 * point; the second gets ABORTED ("operation pending") like a second call for the same volume.
 */
function guardKeys(volumeId: string, mountPath?: string): string[] {
  const keys = [`volume ${volumeId}`];
  if (mountPath !== undefined) keys.push(`path ${path.normalize(mountPath).replace(/(.)\/+$/, '$1')}`);
  return keys;
}
