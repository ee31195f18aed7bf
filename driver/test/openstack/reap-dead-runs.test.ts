import { spawnSync } from 'node:child_process';
import { OpenStackAdmin } from './openstack-admin';

/*
 * The harness's OpenStack outlives a run: a run killed before its clean-up leaves volumes that count against the
 * project's quota in every later run. The global setup deletes what dead runs left (reapDeadRuns); this checks that
 * it deletes exactly those: a dead run's volume goes, a live run's volume and an untagged volume stay.
 */
let admin: OpenStackAdmin;
beforeAll(async () => {
  admin = await OpenStackAdmin.login();
});

it('deletes the volumes of a run whose process is gone, and nothing of a live run or of nobody', async () => {
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid; // exited: a pid no live run has
  const live = `e2e-${process.pid}-reap-live`;
  const ids = {
    dead: await admin.createVolume(`e2e-${deadPid}-reap-dead`),
    live: await admin.createVolume(live),
    nobody: await admin.createVolume(`reap-untagged-${process.pid}`),
  };
  try {
    const reaped = await admin.reapDeadRuns();
    expect(reaped.volumes).toContain(ids.dead);
    expect(reaped.volumes).not.toContain(ids.live);
    expect(reaped.volumes).not.toContain(ids.nobody);
    expect(await admin.volume(ids.dead)).toBeUndefined();
    expect((await admin.volume(ids.live))?.status).toBe('available');
    expect((await admin.volume(ids.nobody))?.status).toBe('available');
  } finally {
    for (const id of [ids.live, ids.nobody]) await admin.deleteVolumeAndWait(id);
  }
});
