import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CLOUD_CONFIG_DIR, CLOUD_CONFIG_FILE, CLOUD_CONFIG_SECRET_KEY } from './driver-contract';
import { namespacedMetadata, namespacedName } from './metadata';
import {
  and, concat, defaultTo, eq, Expr, ifElse, not, objectTemplate, or, Ref, renderInto, replace, str, TemplateInputs, TemplateNode, TextLine, textFragment,
  textWhen, valuesRef,
} from './template';
import { CinderCsiValues, CloudConfigMode } from './values';

/*
 * cloud.conf is written in gcfg style, as the upstream OpenStack Cinder CSI driver reads it: every string
 * is double-quoted with `\` and `"` escaped, so passwords with `#`, `;`, `=` or quotes survive; line
 * breaks are rejected by the values schema. Only keys that are set (non-empty, true, > 0) are written.
 */

const v = valuesRef<CinderCsiValues>();
const g = v.cloudConfig.global;
const bs = v.cloudConfig.blockStorage;
const md = v.cloudConfig.metadata;

export const cloudConfigMode = v.cloudConfig.mode;
export const isSecretMode = eq(cloudConfigMode, CloudConfigMode.SECRET);
export const isExistingSecretMode = eq(cloudConfigMode, CloudConfigMode.EXISTING_SECRET);
export const isHostPathMode = eq(cloudConfigMode, CloudConfigMode.HOST_PATH);
/** Mode none: the chart mounts no cloud.conf; something else provides the file. */
export const isNoneMode = eq(cloudConfigMode, CloudConfigMode.NONE);
/** The verbatim cloud.conf of mode secret (`cloudConfig.raw`); when set, the typed keys are empty. */
const raw = v.cloudConfig.raw;

/** Name of the Secret with the controller's full cloud.conf (mode secret). */
export const controllerCloudConfigSecretName = namespacedName('cloud-config');
/** Name of the Secret with the node's credential-free cloud.conf (mode secret). */
export const nodeCloudConfigSecretName = namespacedName('node-cloud-config');

/** A quoted gcfg string: `\` and `"` escaped. */
function quoted(value: Ref<string>): Expr<string> {
  return replace(replace(value, '\\', '\\\\'), '"', '\\"');
}

/** `key = "value"`, only when the value is set. */
function stringKey(key: string, value: Ref<string>): TextLine {
  return textWhen(value, concat(`${key} = "`, quoted(value), '"'));
}

/** `key = true`, only when true. */
function boolKey(key: string, value: Ref<boolean>): TextLine {
  return textWhen(value, `${key} = true`);
}

/** `key = <n>`, only when above 0. */
function intKey(key: string, value: Ref<number>): TextLine {
  return textWhen(value, concat(`${key} = `, str(value)));
}

/** A section: its header and keys, written only when one of its keys is set. */
function section(name: string, keys: ReadonlyArray<readonly [TextLine, Ref<unknown>]>): TextLine {
  const anySet = keys.length === 1 ? keys[0]![1] : or(...keys.map(([, ref]) => ref));
  return textWhen(anySet, `[${name}]`, ...keys.map(([line]) => line));
}

const GLOBAL_STRING_KEYS: ReadonlyArray<readonly [string, Ref<string>]> = [
  ['auth-url', g.authUrl],
  ['region', g.region],
  ['username', g.username],
  ['user-id', g.userId],
  ['password', g.password],
  ['user-domain-name', g.userDomainName],
  ['user-domain-id', g.userDomainId],
  ['project-name', g.projectName],
  ['project-id', g.projectId],
  ['project-domain-name', g.projectDomainName],
  ['project-domain-id', g.projectDomainId],
  ['domain-name', g.domainName],
  ['domain-id', g.domainId],
  ['application-credential-id', g.applicationCredentialId],
  ['application-credential-name', g.applicationCredentialName],
  ['application-credential-secret', g.applicationCredentialSecret],
  ['trust-id', g.trustId],
  ['ca-file', g.caFile],
  ['interface', g.interface],
];

const globalSection = textFragment({
  name: 'cinder-csi.cloudConfig.global',
  description: 'The [Global] section of cloud.conf (Keystone endpoint and credentials): only the keys that are set.',
  params: [],
}, () => [section('Global', [
  ...GLOBAL_STRING_KEYS.map(([key, ref]) => [stringKey(key, ref), ref] as const),
  [boolKey('tls-insecure', g.tlsInsecure), g.tlsInsecure],
])])({});

const blockStorageSection = textFragment({
  name: 'cinder-csi.cloudConfig.blockStorage',
  description: 'The [BlockStorage] section of cloud.conf: only the keys that are set.',
  params: [],
}, () => [section('BlockStorage', [
  [intKey('node-volume-attach-limit', bs.nodeVolumeAttachLimit), bs.nodeVolumeAttachLimit],
  [boolKey('rescan-on-resize', bs.rescanOnResize), bs.rescanOnResize],
  [boolKey('ignore-volume-az', bs.ignoreVolumeAz), bs.ignoreVolumeAz],
])])({});

const metadataSection = textFragment({
  name: 'cinder-csi.cloudConfig.metadata',
  description: 'The [Metadata] section of cloud.conf, when search-order is set.',
  params: [],
}, () => [section('Metadata', [[stringKey('search-order', md.searchOrder), md.searchOrder]])])({});

function secretBody(name: Expr<string>, content: Expr<string>): TemplateNode {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: namespacedMetadata(name, 'cloud-config'),
    type: 'Opaque',
    stringData: { [CLOUD_CONFIG_SECRET_KEY]: content },
  };
}

/** Mode secret: the controller's complete cloud.conf, `cloudConfig.raw` verbatim or written from the typed keys. */
export const controllerCloudConfigSecretTemplate = objectTemplate({
  file: 'cloud-config-secret',
  enabledWhen: isSecretMode,
  body: () => secretBody(controllerCloudConfigSecretName, defaultTo(raw, concat(globalSection, blockStorageSection, metadataSection))),
});

/** Whether any [BlockStorage] or [Metadata] key is set: only then does the node service need a cloud.conf. */
const nodeSettingsSet = or(bs.nodeVolumeAttachLimit, bs.rescanOnResize, bs.ignoreVolumeAz, md.searchOrder);

/**
 * Mode secret, when a node setting is set: the node's cloud.conf without [Global], so node pods never hold
 * OpenStack credentials. Without node settings the node service runs on its defaults and mounts nothing.
 */
export const nodeCloudConfigSecretTemplate = objectTemplate({
  file: 'node-cloud-config-secret',
  enabledWhen: and(isSecretMode, nodeSettingsSet),
  body: () => secretBody(nodeCloudConfigSecretName, concat(blockStorageSection, metadataSection)),
});

export const cloudConfigTemplates = [controllerCloudConfigSecretTemplate, nodeCloudConfigSecretTemplate] as const;

/** Whether the node pods mount a cloud.conf (never the controller's credentials unless the user asks). */
/** Whether the controller pods mount a cloud.conf (every mode but none). */
export const controllerHasCloudConfig = not(isNoneMode);

export const nodeHasCloudConfig = or(
  and(isSecretMode, nodeSettingsSet), isHostPathMode, and(isExistingSecretMode, v.cloudConfig.existingSecret.mountOnNode),
);

const SECRET_FILE_MODE = 0o440;

/** The pod volume holding cloud.conf; `secretName` is the chart's own Secret for that pod kind. */
export function cloudConfigVolume(secretName: Expr<string>): TemplateNode {
  return ifElse(
    isHostPathMode,
    { name: 'cloud-config', hostPath: { path: v.cloudConfig.hostPath.path, type: 'File' } },
    {
      name: 'cloud-config',
      secret: {
        secretName: ifElse(isExistingSecretMode, v.cloudConfig.existingSecret.name, secretName),
        items: [{ key: ifElse(isExistingSecretMode, v.cloudConfig.existingSecret.key, CLOUD_CONFIG_SECRET_KEY), path: 'cloud.conf' }],
        defaultMode: SECRET_FILE_MODE,
      },
    },
  );
}

/** Mount of the cloud-config volume: the Secret as a directory, a host file directly at the file path. */
export const cloudConfigVolumeMount: TemplateNode = {
  name: 'cloud-config',
  mountPath: ifElse(isHostPathMode, CLOUD_CONFIG_FILE, CLOUD_CONFIG_DIR),
  readOnly: true,
};

/**
 * The cloud configuration Secrets (mode secret only): `<release>-cloud-config` for the controller and,
 * when a node setting is set, `<release>-node-cloud-config` ([BlockStorage] and [Metadata] only) for the node plugin.
 */
export class CloudConfig extends Construct {
  /** The controller's Secret, when the chart creates it. */
  public readonly secret?: ApiObject;
  /** The node plugin's Secret, when the chart creates it. */
  public readonly nodeSecret?: ApiObject;

  public constructor(scope: Construct, id: string, inputs: TemplateInputs) {
    super(scope, id);
    this.secret = renderInto(this, controllerCloudConfigSecretTemplate, inputs)[0];
    this.nodeSecret = renderInto(this, nodeCloudConfigSecretTemplate, inputs)[0];
  }
}
