import { App, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { CinderCsi, CloudConfigMode, ReclaimPolicy } from 'cinder-csi';

/**
 * A storage chart as a platform team would write it: cinder-csi in kube-system reading an existing
 * cloud.conf Secret, two StorageClasses, snapshots on, and one patch for a setting the props do not cover.
 */
export class StorageChart extends Chart {
  public readonly csi: CinderCsi;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.csi = new CinderCsi(this, 'cinder', {
      namespace: 'kube-system',
      cloudConfig: {
        mode: CloudConfigMode.EXISTING_SECRET,
        existingSecret: { name: 'openstack-cloud-config', key: 'cloud.conf' },
      },
      storageClasses: [
        { name: 'cinder-ssd', isDefault: true, volumeType: 'ssd' },
        { name: 'cinder-retain', reclaimPolicy: ReclaimPolicy.RETAIN },
      ],
      snapshots: { enabled: true },
      global: { labels: { team: 'platform' } },
    });
    // Anything the props do not cover stays reachable as a plain cdk8s ApiObject.
    this.csi.controller.deployment.addJsonPatch(
      JsonPatch.add('/spec/template/spec/terminationGracePeriodSeconds', 60),
    );
  }
}

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'cdk8s.out' });
new StorageChart(app, 'storage');
app.synth();
