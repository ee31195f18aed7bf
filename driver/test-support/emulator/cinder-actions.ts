import type { Context } from './context';
import { CINDER, findVolumeType, getVolume } from './cinder-lookup';
import { badRequest } from './errors';
import { checkQuota } from './quota';
import type { ApiRequest, ApiResponse, Router } from './router';
import type { VolumeRecord } from './state';
import type { VolumeStatus } from './types';
import { optBoolean, optPositiveInt, optString } from './validate';

type Json = Record<string, unknown>;

const RESETTABLE: VolumeStatus[] = [
  'creating', 'available', 'reserved', 'attaching', 'in-use', 'detaching', 'extending', 'retyping', 'deleting',
  'error', 'error_deleting', 'error_extending',
];

/** Extending an attached volume (online extend) needs microversion 3.42. */
const ONLINE_EXTEND_MV = 42;

function extend(ctx: Context, req: ApiRequest, v: VolumeRecord, args: Json): ApiResponse {
  const newSize = optPositiveInt(args, 'new_size');
  if (newSize === undefined) throw badRequest("Invalid input for field/attribute new_size. Value: None. 'new_size' is a required property");
  // Cinder checks the size before the status, and words a status refusal with the Python dict it expected (only
  // an in-use volume at >= 3.42 takes the attached path, so the expectation shown is always available).
  if (newSize <= v.size) {
    throw badRequest(`Invalid input received: New size for extend must be greater than current size. (current: ${v.size}, extended: ${newSize}).`);
  }
  const allowed: VolumeStatus[] = req.mv >= ONLINE_EXTEND_MV ? ['available', 'in-use'] : ['available'];
  if (!allowed.includes(v.status)) {
    throw badRequest(`Invalid volume: Volume ${v.id} status must be '{'status': 'available'}' to extend, currently ${v.status}.`);
  }
  checkQuota(ctx, { gigabytes: newSize - v.size });
  const previous = v.status;
  v.status = 'extending';
  ctx.state.touch(v);
  const fail = ctx.faults.takeExtendFailure(v.id);
  ctx.transitions.run('extend', async () => {
    if (fail) {
      v.status = 'error_extending';
    } else {
      try {
        await ctx.hypervisor.extend(v.id, newSize);
        v.size = newSize;
        v.status = previous;
      } catch (e) {
        ctx.log(`extending volume ${v.id} failed: ${String(e)}`);
        v.status = 'error_extending';
      }
    }
    ctx.state.touch(v);
  });
  return { status: 202 };
}

const RETYPE_REFUSED =
  'Invalid volume: Retype needs volume to be in available or in-use state, not be part of an active migration or a consistency group, ' +
  'requested type has to be different that the one from the volume, and for in-use volumes front-end qos specs cannot change.';

function retype(ctx: Context, v: VolumeRecord, args: Json): ApiResponse {
  const newTypeName = optString(args, 'new_type');
  if (!newTypeName) throw badRequest("Invalid input for field/attribute new_type. Value: None. 'new_type' is a required property");
  const policy = optString(args, 'migration_policy') ?? 'never';
  if (policy !== 'never' && policy !== 'on-demand') {
    throw badRequest(`Invalid input for field/attribute migration_policy. Value: ${policy}. '${policy}' is not one of ['on-demand', 'never']`);
  }
  const type = findVolumeType(ctx, newTypeName);
  // Cinder checks status and "different type" in one conditional update and answers one message for either.
  if ((v.status !== 'available' && v.status !== 'in-use') || type.id === v.volumeTypeId) {
    throw badRequest(RETYPE_REFUSED);
  }
  if (v.status === 'in-use' && type.multiattach !== v.multiattach) {
    throw badRequest('Invalid volume: Retyping a volume to or from multiattach while it is in use is not supported.');
  }
  const previous = v.status;
  v.status = 'retyping';
  // Real Cinder's cross-backend retype migrates the data; when that fails the volume keeps its OLD type.
  const migrationFails = ctx.faults.takeRetypeFailure(v.id);
  v.migrationStatus = migrationFails ? 'migrating' : null;
  ctx.state.touch(v);
  ctx.transitions.run('retype', async () => {
    if (migrationFails) {
      v.migrationStatus = 'error';
      v.status = previous;
      ctx.state.touch(v);
      return;
    }
    v.volumeType = type.name;
    v.volumeTypeId = type.id;
    v.multiattach = type.multiattach;
    v.status = previous;
    ctx.state.touch(v);
  });
  return { status: 202 };
}

function resetStatus(ctx: Context, v: VolumeRecord, args: Json): ApiResponse {
  const status = optString(args, 'status');
  if (status !== null) {
    if (!RESETTABLE.includes(status as VolumeStatus)) throw badRequest(`Invalid input received: Must specify a valid status`);
    v.status = status as VolumeStatus;
  }
  const attachStatus = optString(args, 'attach_status');
  if (attachStatus !== null && attachStatus !== 'attached' && attachStatus !== 'detached') {
    throw badRequest('Invalid input received: Must specify a valid attach status');
  }
  if (status === null && attachStatus === null && optString(args, 'migration_status') === null) {
    throw badRequest('Invalid input received: Must specify status, attach_status or migration_status for update!');
  }
  ctx.state.touch(v);
  return { status: 202 };
}

export function registerCinderActions(router: Router, ctx: Context): void {
  router.add('POST', `${CINDER}/volumes/{volume_id}/action`, (req) => {
    const body = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).length !== 1) {
      throw badRequest('Malformed request body');
    }
    const [action, rawArgs] = Object.entries(body as Json)[0] as [string, unknown];
    const args = (typeof rawArgs === 'object' && rawArgs !== null ? rawArgs : {}) as Json;
    const v = getVolume(ctx, req.params.volume_id as string);
    switch (action) {
      case 'os-extend':
        return extend(ctx, req, v, args);
      case 'os-retype':
        return retype(ctx, v, args);
      case 'os-reset_status':
        return resetStatus(ctx, v, args);
      case 'os-set_bootable': {
        const bootable = optBoolean(args, 'bootable');
        if (bootable === undefined) throw badRequest("Invalid input for field/attribute bootable. 'bootable' is a required property");
        v.bootable = bootable;
        ctx.state.touch(v);
        return { status: 200 };
      }
      default:
        throw badRequest(`There is no such action: ${action}`);
    }
  });
}
