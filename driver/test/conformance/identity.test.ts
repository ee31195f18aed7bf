import { DriverUnderTest } from './driver-under-test';
import { mountCapability, outcome } from './spec-support';

/** CSI spec, "Identity Service RPC": both the Node and the Controller Plugin MUST implement these RPCs. */
describe('CSI conformance: Identity service', () => {
  let driver: DriverUnderTest;
  beforeAll(async () => {
    driver = await DriverUnderTest.start();
  });
  afterAll(async () => driver?.close());

  describe('GetPluginInfo', () => {
    // spec.md GetPluginInfoResponse.name: REQUIRED; domain name notation, <= 63 chars, alphanumeric at both ends,
    // dashes, dots and alphanumerics between.
    it('returns a non-empty name in domain-name notation of at most 63 characters', async () => {
      const info = await driver.identity.getPluginInfo({});
      expect(info.name.length).toBeGreaterThan(0);
      expect(info.name.length).toBeLessThanOrEqual(63);
      expect(info.name).toMatch(/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/);
      expect(info.name).toBe('cinder.csi.openstack.org');
    });

    // spec.md GetPluginInfoResponse.vendor_version: "This field is REQUIRED."
    it('returns a non-empty vendor_version', async () => {
      const info = await driver.identity.getPluginInfo({});
      expect(info.vendorVersion.length).toBeGreaterThan(0);
    });

    // spec.md "Size Limits": strings SHALL NOT exceed 128 bytes, maps 4 KiB (applies to plugin messages too).
    it('keeps vendor_version and manifest within the general CSI size limits', async () => {
      const info = await driver.identity.getPluginInfo({});
      expect(Buffer.byteLength(info.vendorVersion)).toBeLessThanOrEqual(128);
      const manifestBytes = Object.entries(info.manifest).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
      expect(manifestBytes).toBeLessThanOrEqual(4096);
    });
  });

  describe('GetPluginCapabilities', () => {
    // spec.md PluginCapability.Service.CONTROLLER_SERVICE: the CO only calls the Controller service when present;
    // this plugin serves it on the same socket, so it must be advertised.
    it('advertises CONTROLLER_SERVICE, since the controller RPCs are served', async () => {
      const res = await driver.identity.getPluginCapabilities({});
      const services = res.capabilities.map((c) => c.service?.type);
      expect(services).toContain('CONTROLLER_SERVICE');
      const caps = await driver.controller.controllerGetCapabilities({});
      expect(caps.capabilities.length).toBeGreaterThan(0);
    });

    // spec.md Volume.accessible_topology / NodeGetInfoResponse.accessible_topology: "A plugin that returns this
    // field MUST also set the VOLUME_ACCESSIBILITY_CONSTRAINTS plugin capability."
    it('advertises VOLUME_ACCESSIBILITY_CONSTRAINTS because NodeGetInfo reports an accessible topology', async () => {
      const info = await driver.node.nodeGetInfo({});
      expect(info.accessibleTopology).not.toBeNull();
      const res = await driver.identity.getPluginCapabilities({});
      expect(res.capabilities.map((c) => c.service?.type)).toContain('VOLUME_ACCESSIBILITY_CONSTRAINTS');
    });

    // spec.md VolumeExpansion.ONLINE/OFFLINE: a plugin with either MUST implement the EXPAND_VOLUME controller or
    // node capability (ONLINE: either; OFFLINE: the controller one).
    it('pairs any volume expansion capability with the EXPAND_VOLUME controller or node capability', async () => {
      const res = await driver.identity.getPluginCapabilities({});
      const expansion = res.capabilities.map((c) => c.volumeExpansion?.type).filter((t): t is NonNullable<typeof t> => t != null);
      const controller = (await driver.controller.controllerGetCapabilities({})).capabilities.map((c) => c.rpc?.type);
      const node = (await driver.node.nodeGetCapabilities({})).capabilities.map((c) => c.rpc?.type);
      if (expansion.includes('ONLINE')) expect(controller.includes('EXPAND_VOLUME') || node.includes('EXPAND_VOLUME')).toBe(true);
      if (expansion.includes('OFFLINE')) expect(controller).toContain('EXPAND_VOLUME');
      // And the converse this suite relies on: the plugin expands volumes, so the CO must be told how.
      if (controller.includes('EXPAND_VOLUME')) expect(expansion.length).toBeGreaterThan(0);
    });

    // spec.md Volume.accessible_topology and NodeGetInfoResponse.accessible_topology: "A plugin that returns this
    // field MUST also set the VOLUME_ACCESSIBILITY_CONSTRAINTS plugin capability" — so a plugin run without
    // topology returns none anywhere.
    it('without topology, reports no VOLUME_ACCESSIBILITY_CONSTRAINTS and no topology from NodeGetInfo or CreateVolume', async () => {
      const plain = await DriverUnderTest.start({ withTopology: false });
      try {
        const services = (await plain.identity.getPluginCapabilities({})).capabilities.map((c) => c.service?.type);
        expect(services).toContain('CONTROLLER_SERVICE');
        expect(services).not.toContain('VOLUME_ACCESSIBILITY_CONSTRAINTS');
        expect((await plain.node.nodeGetInfo({})).accessibleTopology).toBeNull();
        const volume = (await plain.controller.createVolume({ name: DriverUnderTest.name(), volumeCapabilities: [mountCapability()] })).volume!;
        expect(volume.accessibleTopology).toEqual([]);
        await plain.controller.deleteVolume({ volumeId: volume.volumeId });
        expect(plain.emu.volumes()).toEqual([]);
      } finally {
        await plain.close();
      }
    });

    // spec.md GetPluginCapabilities: "All instances of the same version ... of the Plugin SHALL return the same set
    // of capabilities, regardless of both: (a) where instances are deployed on the cluster as well as; (b) which
    // RPCs an instance is serving." The chart runs a controller-only Deployment and a node-only DaemonSet.
    it('returns the same capabilities from controller-only and node-only instances as from a combined one', async () => {
      const combined = await driver.identity.getPluginCapabilities({});
      const sorted = (caps: typeof combined): string[] => caps.capabilities.map((c) => JSON.stringify(c)).sort();
      for (const services of ['controller', 'node'] as const) {
        const instance = await DriverUnderTest.start({ services });
        try {
          const info = await instance.identity.getPluginInfo({});
          expect(info.vendorVersion).toBe((await driver.identity.getPluginInfo({})).vendorVersion);
          expect({ services, caps: sorted(await instance.identity.getPluginCapabilities({})) }).toEqual({ services, caps: sorted(combined) });
        } finally {
          await instance.close();
        }
      }
    });

    // spec.md GetPluginCapabilities: every instance of one version SHALL return the same set of capabilities.
    it('returns the same set on every call', async () => {
      const a = await driver.identity.getPluginCapabilities({});
      const b = await driver.identity.getPluginCapabilities({});
      expect(b).toEqual(a);
    });
  });

  describe('Probe', () => {
    // spec.md Probe: "A Plugin MUST implement this RPC call."; ProbeResponse.ready: unset means ready; a
    // successful response with ready=true once initialization finished.
    it('answers OK and reports ready once the cloud is reachable', async () => {
      const res = await driver.identity.probe({});
      expect(res.ready === null || res.ready.value === true).toBe(true);
    });

    // spec.md Probe: "A CO MAY invoke this call multiple times".
    it('can be called repeatedly', async () => {
      const results = await Promise.all(Array.from({ length: 5 }, () => driver.identity.probe({})));
      for (const r of results) expect(r.ready === null || r.ready.value === true).toBe(true);
    });

    // spec.md ProbeResponse.ready: still initializing → "a successful response SHALL be returned with a readiness
    // value of false"; unhealthy → a gRPC error (FAILED_PRECONDITION per the Probe error table); an unset or true
    // value means "ready and accepting calls". While Cinder answers nothing but 503 the controller cannot work, so
    // the plugin must not claim to be ready; once Cinder answers it must become ready.
    it('does not report ready while the cloud is unreachable, and reports ready once it answers', async () => {
      const unready = await DriverUnderTest.start({
        waitReady: false,
        beforeStart: (emu) => void emu.faults.add({ path: '/volume/**', count: Infinity, action: { kind: 'status', status: 503 } }),
      });
      try {
        // Probe until the cloud has demonstrably refused the plugin (503s counted by the emulator), so the answer
        // judged below comes from a plugin that knows Cinder is down, not one that has not looked yet.
        const refusals = (): number =>
          Object.entries(unready.emu.counters.requests)
            .filter(([key]) => key.includes('/volume/'))
            .reduce((n, [, count]) => n + count, 0);
        let answer = '';
        for (let attempt = 0; attempt < 300 && (answer === '' || refusals() < 2); attempt++) {
          answer = await unready.identity.probe({}).then(
            (res) => (res.ready === null ? 'ready (unset)' : res.ready.value ? 'ready' : 'not ready'),
            (error: unknown) => outcome(Promise.reject(error)),
          );
          if (answer.startsWith('ready')) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(refusals()).toBeGreaterThanOrEqual(2);
        expect(['not ready', 'FAILED_PRECONDITION']).toContain(answer);
        unready.emu.faults.clear();
        await unready.waitReady();
      } finally {
        await unready.close();
      }
    });
  });
});
