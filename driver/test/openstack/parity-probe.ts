import { startEmulator } from '../../test-support/emulator';
import { ADMIN, OpenStackAdmin } from './openstack-admin';
import { probeRequests, type Step, view } from './parity-requests';

/*
 * Prints the real OpenStack's and the emulator's answers to the same requests side by side (ids and times masked),
 * to find where the emulator departs from the real services. Run by hand with the harness services up:
 *   node -r ./test/helpers/ts-register.js test/openstack/parity-probe.ts
 */
async function main(): Promise<void> {
  const emu = await startEmulator({ volumeTypes: [{ name: 'fake' }, { name: 'localfs' }], transitionDelayMs: 20 });
  try {
    const emuServer = emu.addServer({ name: 'parity' });
    const emuSteps = await probeRequests(await OpenStackAdmin.login({ ...ADMIN, authUrl: emu.authUrl }), emuServer.id);
    const real = await OpenStackAdmin.login();
    const server = await real.bootServer(`parity-${process.pid}`);
    let realSteps: Step[];
    try {
      realSteps = await probeRequests(real, server.serverId);
    } finally {
      await real.deleteServer(server.serverId, server.bootVolumeId);
    }
    realSteps.forEach((step, i) => {
      const r = JSON.stringify(view(step.res));
      const e = JSON.stringify(view(emuSteps[i]!.res));
      process.stdout.write(`### ${step.name} ${r === e ? '(same)' : ''}\nREAL ${r}\nEMU  ${e}\n`);
    });
  } finally {
    await emu.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
