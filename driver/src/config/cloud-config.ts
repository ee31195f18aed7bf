import * as fs from 'node:fs';
import * as ini from 'ini';
import { isSecretKey } from '../log';
import { DEFAULT_NODE_VOLUME_ATTACH_LIMIT, MAX_NODE_VOLUME_ATTACH_LIMIT, MIN_NODE_VOLUME_ATTACH_LIMIT } from './attach-limit';
import { firstBrokenCredentialRule } from './credential-rules';
import { normalizeValue, parseBool, parseDurationMs, protectQuotedValues, ValueError } from './ini-values';

export type EndpointInterface = 'public' | 'internal' | 'admin';
export type MetadataSearchSource = 'configDrive' | 'metadataService';

/** [Global]: where Keystone is and who we are. Absent keys are undefined; aliases are already folded in. */
export interface GlobalConfig {
  readonly authUrl?: string;
  readonly username?: string;
  readonly userId?: string;
  readonly password?: string;
  readonly projectId?: string;
  readonly projectName?: string;
  readonly domainId?: string;
  readonly domainName?: string;
  readonly userDomainId?: string;
  readonly userDomainName?: string;
  readonly projectDomainId?: string;
  readonly projectDomainName?: string;
  readonly region?: string;
  readonly caFile?: string;
  readonly tlsInsecure: boolean;
  readonly applicationCredentialId?: string;
  readonly applicationCredentialName?: string;
  readonly applicationCredentialSecret?: string;
  readonly trustId?: string;
  readonly trusteeId?: string;
  readonly trusteePassword?: string;
  /** endpoint-type / interface / os-endpoint-type; default public. */
  readonly endpointType: EndpointInterface;
}

export interface BlockStorageConfig {
  /** Volumes per node (default 256); --max-volumes-per-node overrides it. */
  readonly nodeVolumeAttachLimit: number;
  readonly rescanOnResize: boolean;
  readonly ignoreVolumeAz: boolean;
  readonly ignoreVolumeMicroversion: boolean;
}

export interface MetadataSectionConfig {
  /** Default configDrive, metadataService. */
  readonly searchOrder: readonly MetadataSearchSource[];
  /** request-timeout; undefined = the consumer's default. */
  readonly requestTimeoutMs: number | undefined;
}

export interface CloudConfig {
  /** [Global]: the default cloud (cloud name ''); all keys undefined when the file has no plain [Global]. */
  readonly global: GlobalConfig;
  /**
   * Every cloud by name: '' for [Global], `name` for each [Global "name"] sub-section (upstream's multi-region
   * layout; a sub-section stands alone and inherits nothing from [Global]). --cloud-name picks among them.
   */
  readonly clouds: ReadonlyMap<string, GlobalConfig>;
  readonly blockStorage: BlockStorageConfig;
  readonly metadata: MetadataSectionConfig;
  /** Files read, in order. */
  readonly files: readonly string[];
}

/** A cloud.conf problem that stops start-up. The message names the file, section and key; never a secret value. */
export class CloudConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloudConfigError';
  }
}

export interface LoadCloudConfigOptions {
  /** The controller talks to OpenStack: auth-url and a usable credential set are then required (per cloud used). */
  readonly requireCredentials: boolean;
  /**
   * The clouds the driver uses (--cloud-name; '' = [Global], the default): each must have its section, and with
   * requireCredentials each must pass the credential rules.
   */
  readonly cloudNames?: readonly string[];
  /** Called once per unknown section or key (the message names it). */
  readonly warn?: (message: string) => void;
}

export { DEFAULT_NODE_VOLUME_ATTACH_LIMIT };

const GLOBAL_KEYS = [
  'auth-url',
  'username',
  'password',
  'user-id',
  'tenant-id',
  'project-id',
  'tenant-name',
  'project-name',
  'domain-id',
  'domain-name',
  'user-domain-id',
  'user-domain-name',
  'project-domain-id',
  'project-domain-name',
  'tenant-domain-id',
  'tenant-domain-name',
  'region',
  'ca-file',
  'tls-insecure',
  'application-credential-id',
  'application-credential-name',
  'application-credential-secret',
  'trust-id',
  'trustee-id',
  'trustee-password',
  'endpoint-type',
  'interface',
  'os-endpoint-type',
] as const;
/** Upstream keys we read but do not act on; a warning says so instead of silently ignoring them. */
const UNSUPPORTED_GLOBAL_KEYS = ['cert-file', 'key-file', 'use-clouds', 'clouds-file', 'cloud'];
const BLOCK_STORAGE_KEYS = ['node-volume-attach-limit', 'rescan-on-resize', 'ignore-volume-az', 'ignore-volume-microversion'] as const;
const METADATA_KEYS = ['search-order', 'request-timeout'] as const;
const SECTIONS: Record<string, readonly string[]> = {
  global: GLOBAL_KEYS,
  blockstorage: BLOCK_STORAGE_KEYS,
  metadata: METADATA_KEYS,
};
const SECTION_TITLES: Record<string, string> = { global: 'Global', blockstorage: 'BlockStorage', metadata: 'Metadata' };

/** `fileIndex` orders values across --cloud-config files, so a later file's alias can override an earlier key. */
type RawSections = Map<string, Map<string, { value: string; file: string; fileIndex: number }>>;

/**
 * Reads and merges cloud.conf files (later files override earlier keys; section and key names are
 * case-insensitive as in gcfg) into a typed CloudConfig. Throws CloudConfigError on a missing file, a
 * malformed value, or (with requireCredentials) missing auth-url / credentials.
 */
export function loadCloudConfig(paths: readonly string[], options: LoadCloudConfigOptions): CloudConfig {
  const sections: RawSections = new Map();
  const warn = options.warn ?? (() => undefined);
  for (const [fileIndex, file] of paths.entries()) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new CloudConfigError(`cloud config ${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    mergeFile(sections, file, fileIndex, text, warn);
  }
  return buildConfig(sections, paths, options);
}

/** Same as loadCloudConfig for in-memory text (tests, --cloud-config from a Secret already read). */
export function parseCloudConfigText(text: string, options: LoadCloudConfigOptions, name = 'cloud.conf'): CloudConfig {
  const sections: RawSections = new Map();
  mergeFile(sections, name, 0, text, options.warn ?? (() => undefined));
  return buildConfig(sections, [name], options);
}

/** A gcfg sub-section header, `[Global "name"]`: the section word and the quoted name (\" and \\ escapes). */
const SUBSECTION_HEADER = /^\s*\[\s*([A-Za-z][A-Za-z0-9-]*)\s+"((?:[^"\\\r\n]|\\["\\])*)"\s*\]\s*(?:[;#].*)?$/;

/**
 * Replaces each sub-section header by a plain one `ini` passes through (it would split a name at dots), and
 * returns the names by token index.
 */
function protectSubsections(text: string): { text: string; names: string[] } {
  const names: string[] = [];
  const lines = text.split(/\r?\n/).map((line) => {
    const match = SUBSECTION_HEADER.exec(line);
    if (!match) return line;
    names.push(match[2].replace(/\\(["\\])/g, '$1'));
    return `[${match[1]}\u0001${names.length - 1}]`;
  });
  return { text: lines.join('\n'), names };
}

/** The section key of a [Global "name"] sub-section in RawSections. */
function cloudSection(name: string): string {
  return name === '' ? 'global' : `global "${name}"`;
}

/** How a section is written in messages: [Global], [Global "zone-one"]. */
function sectionTitle(section: string): string {
  const sub = /^global "(.*)"$/s.exec(section);
  return sub ? `Global "${sub[1]}"` : SECTION_TITLES[section];
}

function mergeFile(sections: RawSections, file: string, fileIndex: number, text: string, warn: (m: string) => void): void {
  const subsections = protectSubsections(text);
  const protectedText = protectQuotedValues(subsections.text);
  const parsed = ini.parse(protectedText.text) as Record<string, unknown>;
  for (const [parsedName, body] of Object.entries(parsed)) {
    const sub = /^(.*)\u0001(\d+)$/s.exec(parsedName);
    const sectionName = sub ? `${sub[1]} "${subsections.names[Number(sub[2])]}"` : parsedName;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new CloudConfigError(`cloud config ${file}: key ${sectionName} is outside any [section]`);
    }
    const base = (sub ? sub[1] : parsedName).toLowerCase();
    // Only [Global] has named sub-sections (one per cloud); any other is unknown.
    const known = sub && base !== 'global' ? undefined : SECTIONS[base];
    if (!known) {
      warn(`cloud config ${file}: unknown section [${sectionName}] ignored`);
      continue;
    }
    const section = sub ? cloudSection(subsections.names[Number(sub[2])]) : base;
    const target = sections.get(section) ?? new Map<string, { value: string; file: string; fileIndex: number }>();
    sections.set(section, target);
    for (const [keyName, rawValue] of Object.entries(body as Record<string, unknown>)) {
      const key = keyName.toLowerCase().replace(/_/g, '-');
      const where = `cloud config ${file}: [${sectionTitle(section)}] ${key}`;
      if (!known.includes(key)) {
        if (base === 'global' && UNSUPPORTED_GLOBAL_KEYS.includes(key)) warn(`${where} is not supported by this driver and is ignored`);
        else warn(`${where}: unknown key ignored`);
        continue;
      }
      let value: string;
      try {
        value = normalizeValue(rawValue, protectedText.raw);
      } catch (err) {
        if (err instanceof ValueError) throw new CloudConfigError(`${where}: ${err.message}`);
        throw err;
      }
      target.set(key, { value, file, fileIndex });
    }
  }
}

function buildConfig(sections: RawSections, files: readonly string[], options: LoadCloudConfigOptions): CloudConfig {
  const get = (section: string, key: string): string | undefined => {
    const value = sections.get(section)?.get(key)?.value;
    return value === undefined || value === '' ? undefined : value;
  };
  const where = (section: string, key: string): string => {
    const file = sections.get(section)?.get(key)?.file;
    return `cloud config ${file ?? files.join(',')}: [${sectionTitle(section)}] ${key}`;
  };
  const bad = (section: string, key: string, expected: string): CloudConfigError => {
    const value = sections.get(section)?.get(key)?.value ?? '';
    const shown = isSecretKey(key) ? '' : `, got ${JSON.stringify(value)}`;
    return new CloudConfigError(`${where(section, key)}: expected ${expected}${shown}`);
  };
  const bool = (section: string, key: string, fallback: boolean): boolean => {
    const value = sections.get(section)?.get(key)?.value;
    if (value === undefined) return fallback;
    const parsed = parseBool(value === '' ? 'true' : value);
    if (parsed === undefined) throw bad(section, key, 'true or false');
    return parsed;
  };
  /**
   * Aliases (project-name / tenant-name ...): the one from the latest file wins, like any overridden key;
   * two aliases with different values in the same file are an error naming both.
   */
  const either = (section: string, ...keys: string[]): string | undefined => {
    const set = keys.filter((k) => get(section, k) !== undefined).map((k) => ({ key: k, ...sections.get(section)!.get(k)! }));
    if (set.length === 0) return undefined;
    const latest = Math.max(...set.map((e) => e.fileIndex));
    const winners = set.filter((e) => e.fileIndex === latest);
    if (new Set(winners.map((e) => e.value)).size > 1) {
      throw new CloudConfigError(
        `cloud config ${winners[0].file}: [${sectionTitle(section)}] ${winners.map((e) => e.key).join(' and ')} are aliases but have different values; set only one`,
      );
    }
    return winners[0].value;
  };

  const globalOf = (section: string): GlobalConfig => {
    const endpointRaw = either(section, 'endpoint-type', 'interface', 'os-endpoint-type');
    let endpointType: EndpointInterface = 'public';
    if (endpointRaw !== undefined) {
      const normalized = endpointRaw.toLowerCase().replace(/url$/, '');
      if (normalized !== 'public' && normalized !== 'internal' && normalized !== 'admin') {
        const key = ['endpoint-type', 'interface', 'os-endpoint-type'].find((k) => get(section, k) !== undefined) ?? 'endpoint-type';
        throw bad(section, key, 'one of public, internal, admin');
      }
      endpointType = normalized;
    }

    const authUrl = get(section, 'auth-url');
    if (authUrl !== undefined) {
      let url: URL | undefined;
      try {
        url = new URL(authUrl);
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw bad(section, 'auth-url', 'an http(s) URL of Keystone v3');
    }

    const global: GlobalConfig = {
      authUrl,
      username: get(section, 'username'),
      userId: get(section, 'user-id'),
      password: get(section, 'password'),
      projectId: either(section, 'project-id', 'tenant-id'),
      projectName: either(section, 'project-name', 'tenant-name'),
      domainId: get(section, 'domain-id'),
      domainName: get(section, 'domain-name'),
      userDomainId: get(section, 'user-domain-id'),
      userDomainName: get(section, 'user-domain-name'),
      projectDomainId: either(section, 'project-domain-id', 'tenant-domain-id'),
      projectDomainName: either(section, 'project-domain-name', 'tenant-domain-name'),
      region: get(section, 'region'),
      caFile: get(section, 'ca-file'),
      tlsInsecure: bool(section, 'tls-insecure', false),
      applicationCredentialId: get(section, 'application-credential-id'),
      applicationCredentialName: get(section, 'application-credential-name'),
      applicationCredentialSecret: get(section, 'application-credential-secret'),
      trustId: get(section, 'trust-id'),
      trusteeId: get(section, 'trustee-id'),
      trusteePassword: get(section, 'trustee-password'),
      endpointType,
    };
    return global;
  };
  const clouds = new Map<string, GlobalConfig>();
  for (const section of sections.keys()) {
    const sub = /^global "(.*)"$/s.exec(section);
    if (sub) clouds.set(sub[1], globalOf(section));
  }
  const global = globalOf('global');
  if (sections.has('global')) clouds.set('', global);

  const limitRaw = get('blockstorage', 'node-volume-attach-limit');
  let nodeVolumeAttachLimit = DEFAULT_NODE_VOLUME_ATTACH_LIMIT;
  if (limitRaw !== undefined) {
    if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < MIN_NODE_VOLUME_ATTACH_LIMIT || Number(limitRaw) > MAX_NODE_VOLUME_ATTACH_LIMIT) {
      throw bad('blockstorage', 'node-volume-attach-limit', `an integer from ${MIN_NODE_VOLUME_ATTACH_LIMIT} to ${MAX_NODE_VOLUME_ATTACH_LIMIT}`);
    }
    nodeVolumeAttachLimit = Number(limitRaw);
  }
  const blockStorage: BlockStorageConfig = {
    nodeVolumeAttachLimit,
    rescanOnResize: bool('blockstorage', 'rescan-on-resize', false),
    ignoreVolumeAz: bool('blockstorage', 'ignore-volume-az', false),
    ignoreVolumeMicroversion: bool('blockstorage', 'ignore-volume-microversion', false),
  };

  const orderRaw = get('metadata', 'search-order') ?? 'configDrive,metadataService';
  const searchOrder: MetadataSearchSource[] = [];
  for (const part of orderRaw.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const source = part.toLowerCase() === 'configdrive' ? 'configDrive' : part.toLowerCase() === 'metadataservice' ? 'metadataService' : undefined;
    if (!source) throw bad('metadata', 'search-order', 'a comma-separated list of configDrive and metadataService');
    if (!searchOrder.includes(source)) searchOrder.push(source);
  }
  if (searchOrder.length === 0) throw bad('metadata', 'search-order', 'a comma-separated list of configDrive and metadataService');
  const timeoutRaw = get('metadata', 'request-timeout');
  let requestTimeoutMs: number | undefined;
  if (timeoutRaw !== undefined) {
    requestTimeoutMs = parseDurationMs(timeoutRaw);
    if (requestTimeoutMs === undefined || requestTimeoutMs <= 0) throw bad('metadata', 'request-timeout', 'a positive duration such as 5s');
  }

  const config: CloudConfig = { global, clouds, blockStorage, metadata: { searchOrder, requestTimeoutMs }, files };
  for (const name of options.cloudNames ?? ['']) {
    const cloud = clouds.get(name);
    if (name !== '' && cloud === undefined) {
      const where = files.length > 0 ? `cloud config ${files.join(',')}` : 'cloud config';
      const have = [...clouds.keys()].filter((n) => n !== '').map((n) => `"${n}"`);
      throw new CloudConfigError(
        `${where}: --cloud-name ${name} has no [Global "${name}"] section` + (have.length > 0 ? ` (the sub-sections are ${have.join(', ')})` : ' (there are no [Global "name"] sub-sections)'),
      );
    }
    if (options.requireCredentials) checkCredentials(cloud ?? global, files, sectionTitle(cloudSection(name)));
  }
  return config;
}

/**
 * The controller needs a Keystone URL and one complete way to authenticate: the first of the shared rules
 * (credential-rules.ts, also enforced by the chart at `helm install`) that the [Global] section breaks stops start-up.
 */
function checkCredentials(g: GlobalConfig, files: readonly string[], title: string): void {
  const broken = firstBrokenCredentialRule(g);
  if (broken === undefined) return;
  const where = files.length > 0 ? `cloud config ${files.join(',')}` : 'cloud config';
  // The rules' messages name [Global]; a named cloud's section is named instead.
  throw new CloudConfigError(`${where}: ${title === 'Global' ? broken.message : broken.message.replace(/\[Global\]/g, `[${title}]`)}`);
}
