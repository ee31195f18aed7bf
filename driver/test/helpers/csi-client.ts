import * as grpc from '@grpc/grpc-js';
import { loadCsiPackageDefinition } from '../../src/grpc/csi-proto';
import type { ProtoGrpcType } from '../../src/gen/csi';
import type * as csi from '../../src/grpc/csi-types';

/** Per-call options. */
export interface CallOptions {
  /** Deadline in milliseconds from now (the driver sees it as ctx.deadline). */
  readonly deadlineMs?: number;
  /** Cancels the call when aborted (the driver sees it as ctx.signal). */
  readonly signal?: AbortSignal;
  /** Extra request metadata, e.g. { 'x-request-id': 'abc' }. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** One RPC: resolves with the decoded response, rejects with the grpc ServiceError (check `.code`). */
export type Rpc<Req, Res> = (request: Req, options?: CallOptions) => Promise<Res>;

export interface IdentityClient {
  getPluginInfo: Rpc<csi.GetPluginInfoRequest, csi.GetPluginInfoResponse__Output>;
  getPluginCapabilities: Rpc<csi.GetPluginCapabilitiesRequest, csi.GetPluginCapabilitiesResponse__Output>;
  probe: Rpc<csi.ProbeRequest, csi.ProbeResponse__Output>;
}

export interface ControllerClient {
  createVolume: Rpc<csi.CreateVolumeRequest, csi.CreateVolumeResponse__Output>;
  deleteVolume: Rpc<csi.DeleteVolumeRequest, csi.DeleteVolumeResponse__Output>;
  controllerPublishVolume: Rpc<csi.ControllerPublishVolumeRequest, csi.ControllerPublishVolumeResponse__Output>;
  controllerUnpublishVolume: Rpc<csi.ControllerUnpublishVolumeRequest, csi.ControllerUnpublishVolumeResponse__Output>;
  validateVolumeCapabilities: Rpc<csi.ValidateVolumeCapabilitiesRequest, csi.ValidateVolumeCapabilitiesResponse__Output>;
  listVolumes: Rpc<csi.ListVolumesRequest, csi.ListVolumesResponse__Output>;
  getCapacity: Rpc<csi.GetCapacityRequest, csi.GetCapacityResponse__Output>;
  controllerGetCapabilities: Rpc<csi.ControllerGetCapabilitiesRequest, csi.ControllerGetCapabilitiesResponse__Output>;
  createSnapshot: Rpc<csi.CreateSnapshotRequest, csi.CreateSnapshotResponse__Output>;
  deleteSnapshot: Rpc<csi.DeleteSnapshotRequest, csi.DeleteSnapshotResponse__Output>;
  listSnapshots: Rpc<csi.ListSnapshotsRequest, csi.ListSnapshotsResponse__Output>;
  getSnapshot: Rpc<csi.GetSnapshotRequest, csi.GetSnapshotResponse__Output>;
  controllerExpandVolume: Rpc<csi.ControllerExpandVolumeRequest, csi.ControllerExpandVolumeResponse__Output>;
  controllerGetVolume: Rpc<csi.ControllerGetVolumeRequest, csi.ControllerGetVolumeResponse__Output>;
  controllerModifyVolume: Rpc<csi.ControllerModifyVolumeRequest, csi.ControllerModifyVolumeResponse__Output>;
}

export interface NodeClient {
  nodeStageVolume: Rpc<csi.NodeStageVolumeRequest, csi.NodeStageVolumeResponse__Output>;
  nodeUnstageVolume: Rpc<csi.NodeUnstageVolumeRequest, csi.NodeUnstageVolumeResponse__Output>;
  nodePublishVolume: Rpc<csi.NodePublishVolumeRequest, csi.NodePublishVolumeResponse__Output>;
  nodeUnpublishVolume: Rpc<csi.NodeUnpublishVolumeRequest, csi.NodeUnpublishVolumeResponse__Output>;
  nodeGetVolumeStats: Rpc<csi.NodeGetVolumeStatsRequest, csi.NodeGetVolumeStatsResponse__Output>;
  nodeExpandVolume: Rpc<csi.NodeExpandVolumeRequest, csi.NodeExpandVolumeResponse__Output>;
  nodeGetCapabilities: Rpc<csi.NodeGetCapabilitiesRequest, csi.NodeGetCapabilitiesResponse__Output>;
  nodeGetInfo: Rpc<csi.NodeGetInfoRequest, csi.NodeGetInfoResponse__Output>;
}

export interface CsiClient {
  readonly identity: IdentityClient;
  readonly controller: ControllerClient;
  readonly node: NodeClient;
  /** Closes the channels; pending calls fail with CANCELLED/UNAVAILABLE. */
  close(): void;
}

export interface ConnectOptions {
  /** How long to wait for the socket to accept a connection; default 10 s. Rejects when it does not. */
  readonly waitMs?: number;
}

/**
 * A typed, promise-based CSI client, as kubelet and the sidecars would dial the driver.
 * `target` is a socket path (/abs/x.sock), unix:///abs/x.sock, or host:port.
 *
 *   const c = await connectCsi(socketPath);
 *   const res = await c.controller.createVolume({ name: 'pvc-1', volumeCapabilities: [...] }, { deadlineMs: 5000 });
 *   c.close();
 */
export async function connectCsi(target: string, options: ConnectOptions = {}): Promise<CsiClient> {
  const address = target.startsWith('/') ? `unix://${target}` : target;
  const proto = grpc.loadPackageDefinition(loadCsiPackageDefinition()) as unknown as ProtoGrpcType;
  const credentials = grpc.credentials.createInsecure();
  const identity = new proto.csi.v1.Identity(address, credentials);
  const controller = new proto.csi.v1.Controller(address, credentials);
  const node = new proto.csi.v1.Node(address, credentials);
  const clients: grpc.Client[] = [identity, controller, node];
  try {
    await new Promise<void>((resolve, reject) => {
      identity.waitForReady(Date.now() + (options.waitMs ?? 10_000), (err) => (err ? reject(err) : resolve()));
    });
  } catch (err) {
    for (const c of clients) c.close();
    throw new Error(`CSI endpoint ${target} did not become ready: ${(err as Error).message}`);
  }
  return {
    identity: wrap<IdentityClient>(identity, ['getPluginInfo', 'getPluginCapabilities', 'probe']),
    controller: wrap<ControllerClient>(controller, [
      'createVolume',
      'deleteVolume',
      'controllerPublishVolume',
      'controllerUnpublishVolume',
      'validateVolumeCapabilities',
      'listVolumes',
      'getCapacity',
      'controllerGetCapabilities',
      'createSnapshot',
      'deleteSnapshot',
      'listSnapshots',
      'getSnapshot',
      'controllerExpandVolume',
      'controllerGetVolume',
      'controllerModifyVolume',
    ]),
    node: wrap<NodeClient>(node, [
      'nodeStageVolume',
      'nodeUnstageVolume',
      'nodePublishVolume',
      'nodeUnpublishVolume',
      'nodeGetVolumeStats',
      'nodeExpandVolume',
      'nodeGetCapabilities',
      'nodeGetInfo',
    ]),
    close: () => {
      for (const c of clients) c.close();
    },
  };
}

type CallbackMethod = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (err: grpc.ServiceError | null, response?: unknown) => void,
) => grpc.ClientUnaryCall;

function wrap<T>(client: grpc.Client, methods: ReadonlyArray<keyof T & string>): T {
  const out: Record<string, Rpc<unknown, unknown>> = {};
  for (const name of methods) {
    const method = (client as unknown as Record<string, CallbackMethod>)[name].bind(client);
    out[name] = (request, options = {}) =>
      new Promise((resolve, reject) => {
        const metadata = new grpc.Metadata();
        for (const [k, v] of Object.entries(options.metadata ?? {})) metadata.set(k, v);
        const callOptions: grpc.CallOptions = {};
        if (options.deadlineMs !== undefined) callOptions.deadline = Date.now() + options.deadlineMs;
        const call = method(request, metadata, callOptions, (err, response) => {
          options.signal?.removeEventListener('abort', onAbort);
          if (err) reject(err);
          else resolve(response);
        });
        const onAbort = (): void => call.cancel();
        if (options.signal?.aborted) call.cancel();
        else options.signal?.addEventListener('abort', onAbort, { once: true });
      });
  }
  return out as unknown as T;
}

/** Narrowing helper for `expect(...).rejects` style checks: the gRPC status code of a failed call. */
export function grpcCode(err: unknown): grpc.status | undefined {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number'
    ? ((err as { code: number }).code as grpc.status)
    : undefined;
}
