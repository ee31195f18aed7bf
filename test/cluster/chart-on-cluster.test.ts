/**
 * The chart on a real API server with the driver in front of the OpenStack emulator: the shared flow
 * (support/chart-flow.ts) with Helm 3 and Helm 4, and two deliberately broken charts that must fail it.
 * test/cluster/chart-on-openstack.test.ts runs the same flow against real Keystone, Cinder and Nova.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART, describeChartFlow } from './support/chart-flow';
import { type ClusterWorld, NODE_NAME, startClusterWorld } from './support/cluster-world';
import { EmulatedCloud } from './support/emulated-cloud';
import { HelmRelease, HELMS } from './support/helm-release';
import { eventually } from './support/processes';
import { runSidecars, type RunningSidecars } from './support/sidecars';
import { attachmentOf, boundClaim, consumerPod, pvc } from './support/workloads';

let world: ClusterWorld;

beforeAll(async () => {
  world = await startClusterWorld('cluster', (dir, logs) => EmulatedCloud.start(dir, logs, ['--cluster=kubernetes']));
}, 20 * 60_000);

afterAll(async () => {
  await world?.stop();
}, 120_000);

describeChartFlow(() => world);

/** A copy of the chart with one template edited: the suite must notice. */
function brokenChart(name: string, file: string, edit: (text: string) => string): string {
  const dir = join(world.work, 'broken', name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(CHART, dir, { recursive: true });
  const path = join(dir, 'templates', file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing: the chart's template no longer has what this test breaks`);
  writeFileSync(path, after);
  return dir;
}

/**
 * Drops one verb from the rule of a ClusterRole template that names `resource`, whether the template writes its lists
 * in block form (`- "patch"` lines) or in flow form (`verbs: [get, patch]`).
 */
function dropVerb(resource: string, verb: string): (text: string) => string {
  const unquote = (x: string): string => x.trim().replace(/^"(.*)"$/, '$1');
  return (text) => {
    const lines = text.split('\n');
    // A rule on one line: `- { apiGroups: [...], resources: [a, b], verbs: [get, patch] }`.
    const oneLine = lines.findIndex((l) => {
      const rule = /resources:\s*\[([^\]]*)\],\s*verbs:\s*\[([^\]]*)\]/.exec(l);
      return rule !== null && rule[1].split(',').map(unquote).includes(resource) && rule[2].split(',').map(unquote).includes(verb);
    });
    if (oneLine >= 0) {
      lines[oneLine] = lines[oneLine].replace(/(verbs:\s*\[)([^\]]*)\]/, (_m, head: string, verbs: string) =>
        `${head}${verbs.split(',').map((v) => v.trim()).filter((v) => unquote(v) !== verb).join(', ')}]`);
      return lines.join('\n');
    }
    const at = lines.findIndex((l) => {
      const t = l.trim();
      const flow = /^resources:\s*\[(.*)\]$/.exec(t);
      return t === `- "${resource}"` || (flow !== null && flow[1].split(',').map(unquote).includes(resource));
    });
    if (at < 0) return text;
    for (let i = at + 1; i < lines.length && !/^-(\s*$|\s+apiGroups:)/.test(lines[i].trim()); i++) {
      if (lines[i].trim() === `- "${verb}"`) {
        lines.splice(i, 1);
        return lines.join('\n');
      }
      const flow = /^(\s*verbs:\s*)\[(.*)\]$/.exec(lines[i]);
      if (flow) {
        const verbs = flow[2].split(',').map((v) => v.trim());
        lines[i] = `${flow[1]}[${verbs.filter((v) => unquote(v) !== verb).join(', ')}]`;
        return lines.join('\n');
      }
    }
    return text;
  };
}

describe('a deliberately broken chart fails the suite', () => {
  const helm = HELMS[1];
  interface BrokenCase {
    readonly name: string;
    readonly what: string;
    readonly chart: () => string;
    /** The step of the suite that must fail, and how it fails. */
    readonly fails: (namespace: string, sidecars: RunningSidecars) => Promise<void>;
  }
  const logOf = (sidecars: RunningSidecars, container: string): string => sidecars.processes.find((p) => p.name.endsWith(container))?.fullOutput() ?? '';
  const cases: BrokenCase[] = [
    {
      name: 'rbac',
      // Found while writing this: dropping "watch" or "list" from a rule goes unnoticed, because client-go falls back
      // to listing again and again, and its WatchList streams the initial list over a watch. A verb of a write path
      // is what a sidecar cannot do without: csi-attacher patches its finalizer onto the VolumeAttachment first.
      what: 'the attacher ClusterRole without "patch" on volumeattachments',
      chart: () => brokenChart('rbac', 'attacher-rbac.yaml', dropVerb('volumeattachments', 'patch')),
      fails: async (namespace, sidecars) => {
        const kube = world.cluster.admin;
        const { pv } = await boundClaim(kube, 'data', namespace);
        const attached = eventually('the VolumeAttachment to be attached', async () => {
          const a = await attachmentOf(kube, pv.metadata.name, NODE_NAME);
          return a?.status?.attached ? a : undefined;
        }, 30_000);
        await expect(attached).rejects.toThrow('timed out after 30000 ms waiting for the VolumeAttachment to be attached');
        expect(logOf(sidecars, 'csi-attacher')).toMatch(
          // klog quotes the error: \" in the log line.
          /volumeattachments\.storage\.k8s\.io \\"csi-[0-9a-f]+\\" is forbidden: User \\"system:serviceaccount:broken-rbac:broken-rbac-controller\\" cannot patch resource \\"volumeattachments\\"/,
        );
      },
    },
    {
      name: 'driver-name',
      what: 'the StorageClass naming another provisioner than the driver',
      chart: () => brokenChart('driver-name', 'storageclasses.yaml', (t) => t.replace('provisioner: {{ toJson $.Values.driverName }}', 'provisioner: "cinder.csi.example.org"')),
      fails: async (namespace) => {
        await expect(boundClaim(world.cluster.admin, 'data', namespace, 30_000)).rejects.toThrow(
          /Waiting for a volume to be created either by the external provisioner 'cinder\.csi\.example\.org'/,
        );
        expect((await world.cloud.leftovers()).volumes).toEqual([]);
      },
    },
  ];

  test.each(cases)('$what: the suite fails', async (c) => {
    const namespace = `broken-${c.name}`;
    const kube = world.cluster.admin;
    await kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    const release = new HelmRelease(helm, join(world.work, 'admin.kubeconfig'), namespace, namespace, c.chart(), world.work);
    const storageClass = `cinder-${namespace}`;
    await release.install({ cloudConfig: { mode: 'secret', global: world.cloud.cloudConfigGlobal() }, storageClasses: [{ name: storageClass }] });
    const deployment = await kube.get<Parameters<typeof runSidecars>[1]>('deployment', `${namespace}-controller`, namespace);
    const sidecars = await runSidecars(world.cluster, deployment, world.cloud.socket, world.logs);
    try {
      await kube.create(pvc('data', namespace, storageClass, '1Gi'));
      await kube.create(consumerPod('writer', namespace, 'data'));
      await c.fails(namespace, sidecars);
    } finally {
      // The healthy parts of the release clean up after the broken one: nothing may be left for the next test.
      await kube.delete('pod', 'writer', namespace);
      await kube.delete('pvc', 'data', namespace);
      await eventually('the claim volume to be deleted', async () => ((await kube.list('pv')).length === 0 && (await world.cloud.leftovers()).volumes.length === 0 ? true : undefined), 60_000);
      await sidecars.stop();
      await release.uninstall();
      await kube.delete('namespace', namespace);
    }
  });
});
