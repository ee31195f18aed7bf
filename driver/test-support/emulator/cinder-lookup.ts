import type { Context, VolumeTypeRecord } from './context';
import { notFound } from './errors';
import type { VolumeRecord } from './state';

/** The Cinder v3 route prefix every Cinder route file registers under. */
export const CINDER = '/volume/v3/{project_id}';

export function getVolume(ctx: Context, id: string): VolumeRecord {
  const v = ctx.state.volumes.get(id);
  if (!v) throw notFound(`Volume ${id} could not be found.`);
  return v;
}

export function findVolumeType(ctx: Context, nameOrId: string): VolumeTypeRecord {
  const t = ctx.config.volumeTypes.find((x) => x.name === nameOrId || x.id === nameOrId);
  if (!t) throw notFound(`Volume type with name ${nameOrId} could not be found.`);
  return t;
}
