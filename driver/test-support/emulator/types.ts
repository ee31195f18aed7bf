/**
 * Public types of the OpenStack emulator. Other packages' tests code against these; keep them stable.
 */

export interface VolumeTypeSpec {
  name: string;
  multiattach?: boolean;
  extraSpecs?: Record<string, string>;
}

export interface QuotaLimits {
  volumes?: number;
  gigabytes?: number;
  snapshots?: number;
}

/** An application credential Keystone accepts (id+secret, or name+user+secret). */
export interface ApplicationCredentialSpec {
  id: string;
  name?: string;
  secret: string;
  /** Owner; defaults to the emulator's main user. */
  userId?: string;
  /** Roles granted; defaults to all roles of the owner. */
  restricted?: boolean;
}

/** A trust Keystone accepts with the token method and an "OS-TRUST:trust" scope. */
export interface TrustSpec {
  id: string;
  /** The user whose token may be rescoped to this trust; defaults to the main user. */
  trusteeUserId?: string;
  impersonation?: boolean;
}

/** An additional Keystone user (e.g. a trustee) with a role on the emulator's project. */
export interface UserSpec {
  id?: string;
  name: string;
  password: string;
}

export interface EmulatorOptions {
  /** TCP port of the API server; 0 (default) picks a random free port. Always bound to 127.0.0.1. */
  port?: number;
  /** Directory for the sparse volume/snapshot files. Default: a fresh temp dir removed by close(). */
  dataDir?: string;
  /** Directory where attached volumes appear as virtio-<id20> links. Default: a fresh temp dir. */
  byIdDir?: string;
  /** Lifetime of issued tokens. Default 3600. */
  tokenTtlSeconds?: number;
  /** Latency added to every API request. Default 0. */
  latencyMs?: number;
  /** Region of every catalog endpoint. Default RegionOne. */
  region?: string;
  /** Cinder and Nova availability zones. Default ['nova']. */
  availabilityZones?: string[];
  quotas?: QuotaLimits;
  /** Default: `standard` and `multiattach` (extra spec multiattach="<is> True"). */
  volumeTypes?: VolumeTypeSpec[];
  /** Duration of creating/attaching/detaching/extending/deleting. Default 50. */
  transitionDelayMs?: number;
  /** Main user's credentials. Defaults admin / secret / project admin / domain Default. */
  username?: string;
  password?: string;
  projectName?: string;
  /** Domain name of the user and project (its id is `default` for Default, else the lowercase name). */
  domain?: string;
  /** Fixed ids (default: generated) so cloud.conf files can use ids. */
  userId?: string;
  projectId?: string;
  applicationCredentials?: ApplicationCredentialSpec[];
  trusts?: TrustSpec[];
  users?: UserSpec[];
  /** Port of the metadata server; 0 (default) picks a random free port. */
  metadataPort?: number;
  /**
   * Nova's `[compute] max_disk_devices_to_attach`: the most disk devices one server may have, its root disk included.
   * An attachment past it is refused with Nova's 403. Default -1 (unlimited), as in Nova.
   */
  maxDiskDevicesToAttach?: number;
}

export interface Server {
  readonly id: string;
  readonly name: string;
  readonly availabilityZone: string;
  readonly hostname: string;
}

export interface VolumeAttachmentView {
  attachmentId: string;
  serverId: string;
  device: string;
  /** /dev/loopN backing this attachment once the volume is in-use. */
  loopDevice?: string;
  /** byIdDir/virtio-<id20> link once the volume is in-use. */
  byIdPath?: string;
}

export type VolumeStatus =
  | 'creating'
  | 'available'
  | 'reserved'
  | 'attaching'
  | 'in-use'
  | 'detaching'
  | 'extending'
  | 'retyping'
  | 'deleting'
  | 'error'
  | 'error_deleting'
  | 'error_extending';

export type SnapshotStatus = 'creating' | 'available' | 'deleting' | 'error' | 'error_deleting';

export interface VolumeView {
  id: string;
  name: string | null;
  description: string | null;
  size: number;
  status: VolumeStatus;
  volumeType: string;
  availabilityZone: string;
  multiattach: boolean;
  metadata: Record<string, string>;
  snapshotId: string | null;
  sourceVolid: string | null;
  attachments: VolumeAttachmentView[];
  /** Sparse backing file (dataDir/volume-<id>). */
  file: string;
}

export interface SnapshotView {
  id: string;
  volumeId: string;
  name: string | null;
  description: string | null;
  size: number;
  status: SnapshotStatus;
  metadata: Record<string, string>;
  file: string;
}

/** What a fault does to a matching request. */
export type FaultAction =
  /** Answer with this status and a real-looking OpenStack error body (500, 503, 413, 429...). */
  | { kind: 'status'; status: number; retryAfterSeconds?: number; message?: string }
  /** Destroy the socket without any response. */
  | { kind: 'drop' }
  /** Hold the request this long, then serve it normally. */
  | { kind: 'delay'; ms: number }
  /**
   * Expire the request's token, so this request (and every later use of the token) gets 401. Only requests
   * carrying an X-Auth-Token match such a rule.
   */
  | { kind: 'expireToken' };

export interface FaultRule {
  /** HTTP method to match; default any. */
  method?: string;
  /**
   * What to match: either a route template exactly as in `counters.requests` without the method
   * (e.g. "/volume/v3/{project_id}/volumes"), or a glob over the request path where `*` matches within
   * one segment and `**` across segments (e.g. "/compute/v2.1/servers/*\/os-volume_attachments").
   * Default: every path.
   */
  path?: string;
  /** How many matching requests fire the fault; default 1. Use Infinity (or -1 over HTTP) for no bound. */
  count?: number;
  /** Chance (0..1) that a matching request fires; default 1. Draws come from a PRNG seeded with `seed`. */
  probability?: number;
  seed?: number;
  action: FaultAction;
}

/** Volume operations whose transitions can be paused and failed. */
export type TransitionKind = 'create' | 'attach' | 'detach' | 'extend' | 'delete' | 'snapshot' | 'retype';

export interface FaultInjector {
  /** Adds a rule; returns its id. */
  add(rule: FaultRule): string;
  remove(id: string): void;
  /** Removes every rule and volume fault, restores the latency of the options; resumes paused transitions. */
  clear(): void;
  /** Latency added to every API request from now on. */
  setLatency(ms: number): void;
  /** The next `count` (default 1) volume creations whose name matches (default any) end in "error". */
  failVolumeCreate(opts?: { count?: number; name?: string }): void;
  /** The next `count` (default 1) extends (optionally of one volume) end in "error_extending". */
  failVolumeExtend(opts?: { count?: number; volumeId?: string }): void;
  /**
   * The next `count` (default 1) retypes (optionally of one volume) fail as real Cinder's cross-backend migration
   * does: `retyping` with migration_status `migrating`, then back to the previous status with the OLD type and
   * migration_status `error`.
   */
  failVolumeRetype(opts?: { count?: number; volumeId?: string }): void;
  /** Hold transitions of these kinds (default all) in their intermediate state until resumed. */
  pauseTransitions(kinds?: TransitionKind[]): void;
  resumeTransitions(kinds?: TransitionKind[]): void;
  /** How many times each rule fired so far, by rule id. */
  readonly fired: Record<string, number>;
}

export interface EmulatorCounters {
  tokensIssued: number;
  /** Requests served by route, keyed "METHOD /path-template", e.g. "POST /volume/v3/{project_id}/volumes". */
  requests: Record<string, number>;
}

export interface Emulator {
  /** Keystone v3 URL, http://127.0.0.1:PORT/identity/v3 */
  readonly authUrl: string;
  /** Base URL serving /openstack/latest/meta_data.json for the server chosen with setMetadataServer. */
  readonly metadataUrl: string;
  readonly byIdDir: string;
  readonly dataDir: string;
  readonly region: string;
  readonly projectId: string;
  readonly userId: string;
  /** Base URL for the /_emulator control API (faults, servers, state) used by other processes. */
  readonly controlUrl: string;
  /**
   * A ready [Global] cloud.conf (auth-url, region, username, password, user-domain-name, project-name,
   * project-domain-name); `extra` adds or overrides keys, and an empty value removes one.
   */
  cloudConf(extra?: Record<string, string>): string;
  addServer(opts?: { id?: string; name?: string; availabilityZone?: string }): Server;
  setMetadataServer(serverId: string): void;
  /**
   * Deletes a Nova instance as `openstack server delete` would: its volumes are detached (loop devices and
   * links removed, volumes back to available) and the server is then unknown (404).
   */
  removeServer(serverId: string): Promise<void>;
  readonly faults: FaultInjector;
  readonly counters: EmulatorCounters;
  volumes(): VolumeView[];
  snapshots(): SnapshotView[];
  expireAllTokens(): void;
  /** Stops HTTP, detaches every loop device, removes by-id links and deletes the files it created. */
  close(): Promise<void>;
}
