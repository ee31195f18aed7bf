/**
 * The contract between the manifests and the driver binary: flag names, in-container paths and ports.
 * Everything the object templates pass to or expect from the driver is named here and nowhere else, so a
 * test can check each entry against the driver's own option parser (driver/src/options.ts).
 */

/** Version of the driver this package deploys (driver/package.json "version"; checked by a test). */
export const DRIVER_VERSION = '0.1.0';

/** Flags of the cinder-csi driver binary, as `--name` (values follow `=`). */
export const DRIVER_FLAGS = {
  endpoint: '--endpoint',
  cloudConfig: '--cloud-config',
  cloudName: '--cloud-name',
  cluster: '--cluster',
  withTopology: '--with-topology',
  provideControllerService: '--provide-controller-service',
  provideNodeService: '--provide-node-service',
  httpEndpoint: '--http-endpoint',
  verbosity: '--v',
  driverName: '--driver-name',
  kubeletDir: '--kubelet-dir',
  maxVolumesPerNode: '--max-volumes-per-node',
  metadataUrl: '--metadata-url',
} as const;

/**
 * Bounds of the node attach limit, defined once in the driver (driver/src/config/attach-limit.ts; a dependency-free
 * file). The values schema's maximum of `cloudConfig.blockStorage.nodeVolumeAttachLimit` is set from it.
 */
export {
  DEFAULT_NODE_VOLUME_ATTACH_LIMIT, MAX_NODE_VOLUME_ATTACH_LIMIT, MIN_NODE_VOLUME_ATTACH_LIMIT,
} from '../driver/src/config/attach-limit';

/** Flags the manifests set on the driver are all among these; the node/controller choose a subset. */
export type DriverFlag = (typeof DRIVER_FLAGS)[keyof typeof DRIVER_FLAGS];

/** Directory shared by the driver and its sidecars for the CSI socket (an emptyDir or the plugin hostPath). */
export const SOCKET_DIR = '/csi';
/** The driver's CSI socket as the sidecars address it. */
export const SOCKET_PATH = `${SOCKET_DIR}/csi.sock`;
/** The driver's `--endpoint` value. */
export const CSI_ENDPOINT = `unix://${SOCKET_PATH}`;

/** Where cloud.conf is mounted in the driver containers (directory mount for Secrets, file mount for hostPath). */
export const CLOUD_CONFIG_DIR = '/etc/cinder-csi';
export const CLOUD_CONFIG_FILE = `${CLOUD_CONFIG_DIR}/cloud.conf`;
/** Key of cloud.conf in the Secrets the chart creates. */
export const CLOUD_CONFIG_SECRET_KEY = 'cloud.conf';

/** The driver's HTTP endpoint (Prometheus /metrics, /healthz). */
export const DRIVER_METRICS_PORT = 8080;
/** The livenessprobe sidecar's port; the kubelet's liveness probe calls /healthz on it. */
export const LIVENESS_PROBE_PORT = 9808;
/** node-driver-registrar's /healthz port (reports whether the kubelet registration succeeded). */
export const REGISTRAR_HEALTH_PORT = 9809;

/** In-container mount points of the node plugin. */
export const NODE_PATHS = {
  /** Registration socket directory of node-driver-registrar. */
  registrationDir: '/registration',
  /** Host /dev, for block devices of attached volumes. */
  deviceDir: '/dev',
  /** Host udev runtime directory, so `udevadm settle` in the driver waits for the host's udevd (by-id links). */
  udevDir: '/run/udev',
} as const;

/** Host paths below the kubelet directory: `<kubeletDir>/plugins/<driverName>` and `<kubeletDir>/plugins_registry`. */
export const KUBELET_PLUGINS_SUBDIR = '/plugins/';
export const KUBELET_REGISTRY_SUBDIR = '/plugins_registry';

/** UID/GID the controller containers run as (non-root; matches the distroless nonroot user). */
export const NON_ROOT_UID = 65532;
