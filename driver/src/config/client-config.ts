import type { CloudClientConfig } from '../cloud/config';
import { type CloudConfig, CloudConfigError } from './cloud-config';

/** Maps cloud.conf's [Global] onto the OpenStack client's own config (trustee-* stand in for the user). */
export function toCloudClientConfig(config: CloudConfig): CloudClientConfig {
  const g = config.global;
  if (!g.authUrl) throw new CloudConfigError('cloud config: [Global] auth-url is required by the controller service');
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
  };
}
