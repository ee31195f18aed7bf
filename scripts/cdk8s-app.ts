import { App, Chart } from 'cdk8s';
import { CinderCsi } from '../lib';

/**
 * The cdk8s app of cdk8s.yaml (`npx cdk8s synth`): the default deployment, for users of the cdk8s CLI.
 * The project's own `npm run synth` does not need the CLI.
 */
// The cdk8s CLI passes its `output` directory in CDK8S_OUTDIR; never default to dist/, which npm run synth owns.
const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'cdk8s.out' });
const chart = new Chart(app, 'cinder-csi');
new CinderCsi(chart, 'cinder-csi');
app.synth();
