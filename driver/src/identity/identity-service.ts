import type { GetPluginCapabilitiesResponse, GetPluginInfoResponse, IdentityService, PluginCapability, ProbeResponse } from '../grpc/services';
import { failedPrecondition } from '../grpc/errors';
import type { TopologyOption } from '../topology-key';

export interface IdentityServiceOptions extends TopologyOption {
  /** CSI driver name, e.g. cinder.csi.openstack.org. */
  readonly driverName: string;
  /** Reported as vendor_version (the package version). */
  readonly vendorVersion: string;
  /**
   * Probe answers ready=false until this returns true; it may be async. The controller passes "the cloud was
   * reached once"; the node-only plugin omits it and is ready immediately. A throw answers FAILED_PRECONDITION.
   */
  readonly ready?: () => boolean | Promise<boolean>;
}

/** The CSI Identity service: who the plugin is, what it offers, and whether it is ready. */
export class CinderIdentityService implements IdentityService {
  constructor(private readonly options: IdentityServiceOptions) {}

  async getPluginInfo(): Promise<GetPluginInfoResponse> {
    return { name: this.options.driverName, vendorVersion: this.options.vendorVersion, manifest: {} };
  }

  async getPluginCapabilities(): Promise<GetPluginCapabilitiesResponse> {
    // CONTROLLER_SERVICE even on a node-only instance: the spec requires every instance of one plugin version to
    // return the same set, whichever RPCs it serves (the chart runs a controller-only and a node-only instance).
    const capabilities: PluginCapability[] = [{ service: { type: 'CONTROLLER_SERVICE' } }];
    if (this.options.withTopology) capabilities.push({ service: { type: 'VOLUME_ACCESSIBILITY_CONSTRAINTS' } });
    capabilities.push({ volumeExpansion: { type: 'ONLINE' } }, { volumeExpansion: { type: 'OFFLINE' } });
    return { capabilities };
  }

  async probe(): Promise<ProbeResponse> {
    if (!this.options.ready) return { ready: { value: true } };
    let ready: boolean;
    try {
      ready = await this.options.ready();
    } catch (err) {
      throw failedPrecondition(`plugin is not healthy: ${(err as Error).message}`);
    }
    return { ready: { value: ready } };
  }
}
