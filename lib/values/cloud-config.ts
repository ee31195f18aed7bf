import { CloudConfigMode } from './enums';

/*
 * The typed cloud.conf. Every string is one INI value: the pattern `^[^\n\r]*$` rejects line breaks, which
 * would otherwise let a value inject keys or sections. Only keys that are set (non-empty string, true, > 0)
 * are written; the driver applies its own defaults to the rest.
 */

/** [Global]: where Keystone is and how the controller authenticates. Secret values never appear in logs or errors. */
export interface CloudConfigGlobalValues {
  /** Keystone v3 URL (`auth-url`). Required by the controller service. @default "" @pattern ^(https?://[^\s"]+)?$ */
  authUrl: string;
  /** OpenStack region (`region`). @default "" @pattern ^[^\n\r]*$ */
  region: string;
  /** User name (`username`), with `password`. @default "" @pattern ^[^\n\r]*$ */
  username: string;
  /** User id (`user-id`), instead of `username`. @default "" @pattern ^[^\n\r]*$ */
  userId: string;
  /** Password (`password`). Secret. @default "" @pattern ^[^\n\r]*$ */
  password: string;
  /** Domain name of the user (`user-domain-name`). @default "" @pattern ^[^\n\r]*$ */
  userDomainName: string;
  /** Domain id of the user (`user-domain-id`). @default "" @pattern ^[^\n\r]*$ */
  userDomainId: string;
  /** Project name (`project-name`). @default "" @pattern ^[^\n\r]*$ */
  projectName: string;
  /** Project id (`project-id`). @default "" @pattern ^[^\n\r]*$ */
  projectId: string;
  /** Domain name of the project (`project-domain-name`). @default "" @pattern ^[^\n\r]*$ */
  projectDomainName: string;
  /** Domain id of the project (`project-domain-id`). @default "" @pattern ^[^\n\r]*$ */
  projectDomainId: string;
  /** Domain name for both user and project (`domain-name`). @default "" @pattern ^[^\n\r]*$ */
  domainName: string;
  /** Domain id for both user and project (`domain-id`). @default "" @pattern ^[^\n\r]*$ */
  domainId: string;
  /** Application credential id (`application-credential-id`). @default "" @pattern ^[^\n\r]*$ */
  applicationCredentialId: string;
  /** Application credential name (`application-credential-name`), with a user. @default "" @pattern ^[^\n\r]*$ */
  applicationCredentialName: string;
  /** Application credential secret (`application-credential-secret`). Secret. @default "" @pattern ^[^\n\r]*$ */
  applicationCredentialSecret: string;
  /** Keystone trust id (`trust-id`). @default "" @pattern ^[^\n\r]*$ */
  trustId: string;
  /** Path of a CA bundle inside the driver container (`ca-file`). @default "" @pattern ^[^\n\r]*$ */
  caFile: string;
  /** Skip TLS verification of OpenStack endpoints (`tls-insecure`). Never in production. @default false */
  tlsInsecure: boolean;
  /** Endpoint interface from the catalog (`interface`): public, internal or admin; empty: the driver's default (public). @default "" @pattern ^(public|internal|admin)?$ */
  interface: string;
}

/** [BlockStorage]: Cinder behaviour. Read by both the controller and the node service. */
export interface CloudConfigBlockStorageValues {
  /**
   * Volumes one node may attach (`node-volume-attach-limit`); 0: the driver's default (256). Also passed to the
   * node service as `--max-volumes-per-node`, so it holds in every cloud-config mode. The schema's maximum is the
   * driver's own (driver/src/config/attach-limit.ts, read when the chart is generated), so the two cannot differ.
   * @default 0
   * @minimum 0
   * @asType integer
   */
  nodeVolumeAttachLimit: number;
  /** Rescan the block device after an online resize (`rescan-on-resize`). @default false */
  rescanOnResize: boolean;
  /** Create volumes without an availability zone, for clouds whose Cinder and Nova zones differ (`ignore-volume-az`). @default false */
  ignoreVolumeAz: boolean;
}

/** [Metadata]: how the node service finds its instance id and availability zone. */
export interface CloudConfigMetadataValues {
  /**
   * Sources in order (`search-order`): `configDrive`, `metadataService` or both comma-separated; empty: the
   * driver's default (configDrive,metadataService).
   * @default ""
   * @pattern ^((configDrive|metadataService)(,(configDrive|metadataService))?)?$
   */
  searchOrder: string;
}

/**
 * A cloud the controller serves: a `[Global "name"]` sub-section of cloud.conf, also part of the name of its
 * `<release>-cloud-<name>` Secret, hence lowercase letters, digits, `-` and `.`.
 * @pattern ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$
 * @maxLength 63
 */
export type CloudName = string;

/** Mode existingSecret: a Secret the user manages that holds a complete cloud.conf. */
export interface CloudConfigExistingSecretValues {
  /**
   * Name of the Secret, in the release namespace. Required in mode existingSecret. Create it before (or right after)
   * installing: `kubectl create secret generic openstack-cloud-config --namespace <namespace> --from-file=cloud.conf=./cloud.conf`.
   * @default "openstack-cloud-config"
   * @pattern ^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$
   */
  name: string;
  /** Key of the cloud.conf inside the Secret. @default "cloud.conf" @pattern ^[-._a-zA-Z0-9]+$ */
  key: string;
  /**
   * Mount this Secret into the node pods too. Off by default: it holds credentials the node service does not
   * need; node settings still reach the node through flags (`--max-volumes-per-node`).
   * @default false
   */
  mountOnNode: boolean;
}

/** Mode hostPath: cloud.conf already present on every node. */
export interface CloudConfigHostPathValues {
  /**
   * Absolute path of cloud.conf on the nodes, mounted read-only into both plugins. The controller runs as
   * UID/GID 65532, so the file must be readable by that user or by everyone (e.g. mode 0644 or group 65532).
   * @default "/etc/kubernetes/cloud.conf"
   * @pattern ^/[^\n\r]*$
   */
  path: string;
}

/**
 * Cloud configuration. In mode `existingSecret` (the default) the controller reads the Secret you create. In mode `secret` the chart writes `<release>-cloud-config` with the full cloud.conf for
 * the controller and, only when a [BlockStorage] or [Metadata] key is set, `<release>-node-cloud-config` with
 * just those sections for the node pods, which therefore never hold OpenStack credentials.
 */
export interface CloudConfigValues {
  /**
   * Where cloud.conf comes from: `existingSecret` (a Secret you create, by default `openstack-cloud-config`),
   * `secret` (the chart writes it from `global`, `blockStorage` and `metadata`, or `raw`), `hostPath`, or `none`
   * (no Secret, no volume: a secret injector or `extraVolumes` puts the file at `/etc/cinder-csi/cloud.conf` in the
   * controller's driver container, and the node service runs on its defaults). The default needs no
   * credentials in values files, so the default deployment (dist/) is complete: the controller starts once the
   * Secret exists. In mode `secret` the chart refuses, at `helm install`, every [Global] section the controller
   * would refuse at start-up, with the driver's own message.
   * @default "existingSecret"
   */
  mode: CloudConfigMode;
  /**
   * Mode secret: the controller's complete cloud.conf, written verbatim (an INI text, e.g. from
   * `--set-file cloudConfig.raw=./cloud.conf`), for keys or `[Global "name"]` sub-sections the typed keys do not
   * offer. When set, the typed `global`, `blockStorage` (except `nodeVolumeAttachLimit`, also a node flag) and
   * `metadata` keys must stay empty, the chart does not check the credentials (the controller does at start-up),
   * and the node pods get no cloud.conf from it (they never hold the controller's credentials). Empty: the typed keys.
   * @default ""
   */
  raw: string;
  /** [Global] section (mode secret only: in the other modes every key must stay empty). */
  global: CloudConfigGlobalValues;
  /** [BlockStorage] section (mode secret; `nodeVolumeAttachLimit` in every mode). */
  blockStorage: CloudConfigBlockStorageValues;
  /** [Metadata] section (mode secret). */
  metadata: CloudConfigMetadataValues;
  /**
   * Several regions: the clouds the controller serves, one `--cloud-name` each, as upstream. Each names a
   * `[Global "name"]` sub-section of the cloud.conf in the existingSecret, hostPath, `raw` or injected file (mode
   * secret from typed keys writes only [Global], so this must stay empty there). Each call goes to the cloud its `cloud` secret names: the chart
   * writes one Secret `<release>-cloud-<name>` holding `cloud: <name>` per entry, lets the controller's sidecars
   * read exactly those Secrets, and a StorageClass or VolumeSnapshotClass picks its cloud with `cloud`. Names are
   * lowercase (they are part of a Secret name) and unique. Empty: [Global] only.
   * @default []
   * @uniqueItems true
   */
  cloudNames: CloudName[];
  /** Mode existingSecret settings. */
  existingSecret: CloudConfigExistingSecretValues;
  /** Mode hostPath settings. */
  hostPath: CloudConfigHostPathValues;
}
