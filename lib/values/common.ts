/*
 * Shapes shared by several components. They mirror the Kubernetes API types they are inserted into, so the
 * values schema rejects a misspelt key before Kubernetes does.
 */

/**
 * A non-negative Kubernetes resource quantity: a number, or a string such as "100m", "64Mi", "1.5", "2e3".
 * @pattern ^(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$
 * @minimum 0
 */
export type Quantity = string | number;

/** Compute resources of one container (Kubernetes ResourceRequirements). */
export interface ResourceRequirements {
  /** Maximum resources, e.g. `{ "memory": "256Mi" }`. */
  limits?: Record<string, Quantity>;
  /** Guaranteed resources, e.g. `{ "cpu": "10m", "memory": "64Mi" }`. */
  requests?: Record<string, Quantity>;
}

/** A pod toleration (Kubernetes Toleration). */
export interface Toleration {
  /** Taint key; empty with operator Exists matches every taint. */
  key?: string;
  /** `Exists` or `Equal`. */
  operator?: 'Exists' | 'Equal';
  /** Taint value (operator Equal). */
  value?: string;
  /** `NoSchedule`, `PreferNoSchedule` or `NoExecute`; empty matches all effects. */
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /**
   * Seconds a NoExecute taint is tolerated.
   * @asType integer
   */
  tolerationSeconds?: number;
}

/** Free-form Kubernetes object inserted as is (e.g. an Affinity). */
export type FreeFormObject = Record<string, unknown>;

/**
 * A Kubernetes label value: at most 63 characters, alphanumerics with `-`, `_`, `.` inside, or empty.
 * @pattern ^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$
 * @maxLength 63
 */
export type LabelValue = string;

/** Labels (or a node selector): label key to label value. */
export type Labels = Record<string, LabelValue>;

/**
 * A Kubernetes environment variable name: letters, digits, `_`, `-` and `.`, not starting with a digit.
 * @pattern ^[-._a-zA-Z][-._a-zA-Z0-9]*$
 */
export type EnvVarName = string;

/** An environment variable of a container (Kubernetes EnvVar). */
export interface EnvVar {
  /** Variable name. */
  name: EnvVarName;
  /** Literal value; `$(VAR)` refers to a variable defined earlier. @default "" */
  value?: string;
  /** A value read from a Secret, ConfigMap or the pod's fields (Kubernetes EnvVarSource), inserted as is. @default {} */
  valueFrom?: FreeFormObject;
}

/** A ConfigMap or Secret whose keys become environment variables (Kubernetes ConfigMapEnvSource / SecretEnvSource). */
export interface EnvSourceReference {
  /** Name of the ConfigMap or Secret, in the release namespace. @default "" */
  name?: string;
  /** Start the container even when it does not exist. @default false */
  optional?: boolean;
}

/** Environment variables from every key of a ConfigMap or Secret (Kubernetes EnvFromSource). */
export interface EnvFromSource {
  /** Prefix added to every variable name. @default "" */
  prefix?: EnvVarName;
  /** The ConfigMap to read. @default {} */
  configMapRef?: EnvSourceReference;
  /** The Secret to read. @default {} */
  secretRef?: EnvSourceReference;
}

/**
 * A name of a volume (a DNS label): lowercase alphanumerics and `-`, at most 63 characters.
 * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
 * @maxLength 63
 */
export type VolumeName = string;

/**
 * A pod volume (Kubernetes Volume): a `name` plus one volume source (`secret`, `configMap`, `hostPath`, `projected`,
 * ...), inserted as is.
 */
export interface Volume {
  /**
   * Volume name, referred to by a volume mount; unique, and not one of the chart's own: `socket-dir` and
   * `cloud-config` (controller), `plugin-dir`, `registration-dir`, `kubelet-dir`, `device-dir`, `udev-dir` and
   * `cloud-config` (node).
   */
  name: VolumeName;
  /** The volume source, e.g. `secret: { secretName: openstack-ca }`. */
  [source: string]: unknown;
}

/** How mounts propagate between the host and a container. */
export enum MountPropagation {
  NONE = 'None',
  HOST_TO_CONTAINER = 'HostToContainer',
  BIDIRECTIONAL = 'Bidirectional',
}

/** A mount of a pod volume into a container (Kubernetes VolumeMount). */
export interface VolumeMount {
  /** Name of the volume (one of the `extraVolumes`). */
  name: VolumeName;
  /** Absolute path in the container. @pattern ^/[^\n\r]*$ */
  mountPath: string;
  /** Mount read-only. @default false */
  readOnly?: boolean;
  /** Path inside the volume to mount instead of its root. @default "" @pattern ^[^\n\r]*$ */
  subPath?: string;
  /**
   * How mounts propagate (`None`, `HostToContainer`, `Bidirectional`). `Bidirectional` needs a privileged container:
   * Kubernetes refuses it in the controller, whose containers are not.
   * @default "None"
   */
  mountPropagation?: MountPropagation;
}

/** Whether a topology spread constraint may be violated. */
export enum UnsatisfiableConstraintAction {
  DO_NOT_SCHEDULE = 'DoNotSchedule',
  SCHEDULE_ANYWAY = 'ScheduleAnyway',
}

/** Whether node affinity or taints are honoured when counting pods for a topology spread constraint. */
export enum NodeInclusionPolicy {
  HONOR = 'Honor',
  IGNORE = 'Ignore',
}

/** How the pods spread over topology domains (Kubernetes TopologySpreadConstraint). */
export interface TopologySpreadConstraint {
  /**
   * Largest allowed difference in pod count between two domains.
   * @minimum 1
   * @asType integer
   */
  maxSkew: number;
  /** Node label whose values are the domains, e.g. `topology.kubernetes.io/zone`. @pattern ^[^\s]+$ */
  topologyKey: string;
  /** `DoNotSchedule` (a hard rule) or `ScheduleAnyway` (a preference). */
  whenUnsatisfiable: UnsatisfiableConstraintAction;
  /**
   * Pods counted (Kubernetes LabelSelector). Empty: the chart's selector labels of these pods, which is what a
   * constraint on the chart's own pods needs.
   * @default {}
   */
  labelSelector?: FreeFormObject;
  /**
   * Least number of eligible domains (with `DoNotSchedule` only).
   * @minimum 1
   * @asType integer
   */
  minDomains?: number;
  /** Count only pods on nodes matching the pods' node affinity and selector (`Honor`, Kubernetes' default) or all (`Ignore`). */
  nodeAffinityPolicy?: NodeInclusionPolicy;
  /** Count only pods on nodes whose taints the pods tolerate (`Honor`) or all (`Ignore`, Kubernetes' default). */
  nodeTaintsPolicy?: NodeInclusionPolicy;
  /** Pod label keys whose values further narrow the pods counted (e.g. `pod-template-hash`). @default [] */
  matchLabelKeys?: string[];
}

/** HTTP proxy settings, as the environment variables `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY`. */
export interface ProxyValues {
  /**
   * Proxy for `http://` endpoints (`HTTP_PROXY`), an `http://` URL, optionally with `user:password@`, e.g.
   * `http://proxy.example:3128`. Empty: none.
   * @default ""
   * @pattern ^(http://[^\s"]+)?$
   */
  httpProxy: string;
  /**
   * Proxy for `https://` endpoints (`HTTPS_PROXY`): the driver opens a CONNECT tunnel through it, so TLS and
   * `caFile` still apply end to end. An `http://` URL (TLS to the proxy itself is not supported). Empty: none.
   * @default ""
   * @pattern ^(http://[^\s"]+)?$
   */
  httpsProxy: string;
  /**
   * Hosts reached directly (`NO_PROXY`): comma-separated names, domain suffixes (`.example`), IP addresses or CIDRs
   * (e.g. `keystone.internal,.svc,10.0.0.0/8`). The Nova metadata service and the config drive never use the proxy.
   * @default ""
   * @pattern ^[^\s"]*$
   */
  noProxy: string;
}
