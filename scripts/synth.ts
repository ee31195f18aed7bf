import { resolve } from 'node:path';
import { synthesize } from '../lib/chart/synthesize';

/** `npm run synth`: regenerates lib/generated/, charts/cinder-csi/ and dist/ from the TypeScript sources. */
synthesize(resolve(__dirname, '..')).then(
  () => console.log('synth: wrote lib/generated/, charts/cinder-csi/, dist/cinder-csi.yaml'),
  (e: unknown) => {
    console.error(`synth failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
