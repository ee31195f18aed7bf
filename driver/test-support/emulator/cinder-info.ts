import type { Context, VolumeTypeRecord } from './context';
import { CINDER } from './cinder-lookup';
import { notFound } from './errors';
import { VOLUME_VERSIONS } from './microversion';
import type { Router } from './router';

type Json = Record<string, unknown>;

function versionDoc(baseUrl: string): Json {
  return {
    id: 'v3.0',
    status: 'CURRENT',
    version: `3.${VOLUME_VERSIONS.maxMinor}`,
    min_version: '3.0',
    updated: '2022-08-31T00:00:00Z',
    links: [
      { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
      { rel: 'self', href: `${baseUrl}/volume/v3/` },
    ],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' }],
  };
}

function typeJson(t: VolumeTypeRecord): Json {
  return {
    id: t.id,
    name: t.name,
    description: null,
    is_public: true,
    'os-volume-type-access:is_public': true,
    qos_specs_id: null,
    extra_specs: { ...t.extraSpecs, volume_backend_name: t.name },
  };
}

export function registerCinderInfo(router: Router, ctx: Context): void {
  router.add('GET', '/volume', (req) => ({ status: 300, body: { versions: [versionDoc(req.baseUrl)] } }));
  router.add('GET', '/volume/v3', (req) => ({ status: 200, body: { versions: [versionDoc(req.baseUrl)] } }));
  router.add('GET', `${CINDER}/types`, () => ({
    status: 200,
    body: { volume_types: ctx.config.volumeTypes.map(typeJson) },
  }));
  router.add('GET', `${CINDER}/types/{type_id}`, (req) => {
    const id = req.params.type_id as string;
    const t = id === 'default' ? ctx.config.volumeTypes[0] : ctx.config.volumeTypes.find((x) => x.id === id);
    if (!t) throw notFound(`Volume type ${id} could not be found.`);
    return { status: 200, body: { volume_type: typeJson(t) } };
  });
  router.add('GET', `${CINDER}/os-availability-zone`, () => ({
    status: 200,
    body: {
      availabilityZoneInfo: ctx.config.availabilityZones.map((z) => ({ zoneName: z, zoneState: { available: true } })),
    },
  }));
  router.add('GET', `${CINDER}/limits`, () => {
    const usage = ctx.state.usage();
    const q = ctx.config.quotas;
    return {
      status: 200,
      body: {
        limits: {
          rate: [],
          absolute: {
            maxTotalVolumes: q.volumes,
            maxTotalSnapshots: q.snapshots,
            maxTotalVolumeGigabytes: q.gigabytes,
            maxTotalBackups: 10,
            maxTotalBackupGigabytes: 1000,
            totalVolumesUsed: usage.volumes,
            totalGigabytesUsed: usage.gigabytes,
            totalSnapshotsUsed: usage.snapshots,
            totalBackupsUsed: 0,
            totalBackupGigabytesUsed: 0,
          },
        },
      },
    };
  });
}
