import type { CloudClientConfig } from '../cloud/config';
import { proxySettingsFromEnv } from '../cloud/proxy';
import { type CloudConfig, CloudConfigError } from './cloud-config';

/**
 * Maps cloud.conf's [Global] (or, for a --cloud-name, its [Global "name"] sub-section) onto the OpenStack client's
 * own config (trustee-* stand in for the user), with the proxies of `env` (HTTP_PROXY, HTTPS_PROXY, NO_PROXY).
 */
export function toCloudClientConfig(
  config: CloudConfig,
  cloudName = '',
  env: Readonly<Record<string, string | undefined>> = process.env,
): CloudClientConfig {
  const section = cloudName === '' ? 'Global' : `Global "${cloudName}"`;
  const g = config.clouds.get(cloudName) ?? (cloudName === '' ? config.global : undefined);
  if (!g) throw new CloudConfigError(`cloud config: no [${section}] section for --cloud-name ${cloudName}`);
  if (!g.authUrl) throw new CloudConfigError(`cloud config: [${section}] auth-url is required by the controller service`);
  const trustee = g.trustId !== undefined && g.trusteeId !== undefined;
  return {
    authUrl: g.authUrl,
    username: trustee ? undefined : g.username,
    userId: trustee ? g.trusteeId : g.userId,
    password: trustee ? g.trusteePassword : g.password,
    userDomainName: g.userDomainName,
    userDomainId: g.userDomainId,
    domainName: g.domainName,
    domainId: g.domainId,
    projectName: g.projectName,
    projectId: g.projectId,
    projectDomainName: g.projectDomainName,
    projectDomainId: g.projectDomainId,
    applicationCredentialId: g.applicationCredentialId,
    applicationCredentialName: g.applicationCredentialName,
    applicationCredentialSecret: g.applicationCredentialSecret,
    trustId: g.trustId,
    region: g.region,
    endpointInterface: g.endpointType,
    caFile: g.caFile,
    tlsInsecure: g.tlsInsecure,
    ignoreVolumeMicroversion: config.blockStorage.ignoreVolumeMicroversion,
    proxy: proxySettingsFromEnv(env),
  };
}
