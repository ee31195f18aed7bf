import { Labels, ProxyValues } from './common';
import { CloudConfigValues } from './cloud-config';
import { ControllerValues } from './controller';
import { NodeValues } from './node';
import { CsiDriverValues, SnapshotValues, StorageClassValues, VolumeAttributesClassesValues } from './storage';
import { MetricsValues } from './metrics';
import { TestsValues } from './tests';

export * from './enums';
export * from './common';
export * from './images';
export * from './containers';
export * from './cloud-config';
export * from './controller';
export * from './node';
export * from './storage';
export * from './metrics';
export * from './tests';

/**
 * Settings that apply to every component. As a subchart, this is the parent chart's `global` map, so keys this
 * chart does not know are accepted (and ignored); the keys below are still checked.
 */
export interface GlobalValues {
  /** Registry that replaces every image's `registry` (mirrors, air-gapped clusters). Empty: each image's own. @default "" @pattern ^[^\s/]*(/[^\s/]+)*$ */
  imageRegistry: string;
  /** Names of Secrets (in the release namespace) used to pull images. @default [] */
  imagePullSecrets: string[];
  /** Labels added to every object. The standard app.kubernetes.io labels win over these. @default {} */
  labels: Labels;
  /** Annotations added to every object. @default {} */
  annotations: Record<string, string>;
  /**
   * HTTP proxy of the driver's calls to OpenStack (Keystone, Cinder, Nova): each non-empty field becomes an
   * environment variable of the driver containers, which the driver honours. The sidecars talk to the Kubernetes
   * API only and get none.
   */
  proxy: ProxyValues;
}

/** Topology: Cinder availability zones as Kubernetes topology. */
export interface TopologyValues {
  /**
   * Report each node's availability zone and provision volumes in the zone of their consumer: the driver's
   * `--with-topology` on the controller and the node service. When off, the driver advertises no topology
   * capability, so the provisioner (where Topology is GA and always on) sends no zone and Cinder picks its default.
   * StorageClasses' `allowedTopologies` need it on. Turn off when Nova and Cinder zones differ.
   * @default true
   */
  enabled: boolean;
}

/** OpenShift support. */
export interface OpenShiftValues {
  /**
   * Let the controller and node service accounts use the `privileged` SecurityContextConstraints (what
   * `oc adm policy add-scc-to-user privileged -z <sa>` does by hand). Only for OpenShift/OKD clusters.
   * @default false
   */
  enabled: boolean;
}

/**
 * Every setting of a cinder-csi deployment. These are the Helm chart's values (values key == property name)
 * and the props of the CinderCsi construct; release name and namespace are construct props outside this type.
 */
export interface CinderCsiValues {
  /**
   * Render the chart's objects. A parent chart that lists this chart as a dependency with
   * `condition: cinder-csi.enabled` sets it; false renders nothing (the values are still checked).
   * @default true
   */
  enabled: boolean;
  /**
   * Name of the application: the `app.kubernetes.io/name` label, pod selectors included (so changing it on an
   * upgrade fails: selectors are immutable). Empty: `cinder-csi`. Unlike charts made by `helm create`, object names
   * never contain the chart name (they are `<release>-controller`, ...), so this changes no name; `fullnameOverride` does.
   * @default ""
   * @pattern ^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$
   * @maxLength 63
   */
  nameOverride: string;
  /**
   * Prefix of every object name the chart chooses, instead of the release name:
   * `<fullnameOverride>-controller`, `<fullnameOverride>-<namespace>-controller` for cluster-scoped objects. The
   * `app.kubernetes.io/instance` label stays the release name. Empty: the release name.
   * @default ""
   * @pattern ^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$
   * @maxLength 53
   */
  fullnameOverride: string;
  /**
   * Name of the CSI driver (CSIDriver object, provisioner of the StorageClasses). Cluster-wide: two
   * installs with the same name collide.
   * @default "cinder.csi.openstack.org"
   * @pattern ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$
   * @maxLength 63
   */
  driverName: string;
  /** Cluster id the driver stores in the metadata of the volumes it creates (`--cluster`). @default "kubernetes" @pattern ^[^\n\r]*$ */
  clusterId: string;
  /**
   * Log verbosity of the driver and the sidecars (`--v`); 4 and above log requests (secrets redacted).
   * @default 2
   * @minimum 0
   * @maximum 10
   * @asType integer
   */
  logVerbosity: number;
  /** Settings for every component; open to a parent chart's own `global` keys. @additionalProperties true */
  global: GlobalValues;
  /** Availability-zone topology. */
  topology: TopologyValues;
  /** Cloud configuration (cloud.conf). */
  cloudConfig: CloudConfigValues;
  /** The controller plugin Deployment. */
  controller: ControllerValues;
  /** The node plugin DaemonSet. */
  node: NodeValues;
  /** The CSIDriver object. */
  csiDriver: CsiDriverValues;
  /**
   * StorageClasses to create. None is the cluster default unless marked.
   * @default [{"name":"cinder-csi","reclaimPolicy":"Delete","allowVolumeExpansion":true,"volumeBindingMode":"WaitForFirstConsumer"}]
   */
  storageClasses: StorageClassValues[];
  /** Volume snapshots. */
  snapshots: SnapshotValues;
  /** VolumeAttributesClasses: change a volume's Cinder type in place (ControllerModifyVolume). */
  volumeAttributesClasses: VolumeAttributesClassesValues;
  /** OpenShift support. */
  openshift: OpenShiftValues;
  /** Prometheus metrics: Services and a ServiceMonitor. */
  metrics: MetricsValues;
  /** `helm test` Pods. */
  tests: TestsValues;
}

/** Makes every property optional, recursively, except inside arrays (Helm replaces lists whole). */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** What a user may pass: any subset of the values; the rest come from the defaults. */
export type CinderCsiValuesInput = DeepPartial<CinderCsiValues>;
