import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHART_DIR, GENERATED_DIR, synthesize } from '../../lib/chart/synthesize';
import { listFiles } from '../../lib/chart/write-tree';
import { ROOT } from './chart-harness';

/** The committed generated artifacts are what `npm run synth` produces from the current sources. */
const out = mkdtempSync(join(tmpdir(), 'cinder-csi-synth-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
beforeAll(async () => {
  await synthesize(ROOT, out);
}, 120_000);

describe.each([GENERATED_DIR, CHART_DIR, 'dist'])('%s', (dir) => {
  test('is up to date with the sources (else: run `npm run synth` and commit)', () => {
    const expected = listFiles(join(out, dir));
    const committed = listFiles(join(ROOT, dir));
    expect({ dir, files: committed, hint: 'run `npm run synth`' }).toEqual({ dir, files: expected, hint: 'run `npm run synth`' });
    const stale = expected.filter((f) => readFileSync(join(ROOT, dir, f), 'utf8') !== readFileSync(join(out, dir, f), 'utf8'));
    expect({ dir, stale, hint: 'run `npm run synth`' }).toEqual({ dir, stale: [], hint: 'run `npm run synth`' });
  });
});

test('synthesis is deterministic: a second run writes the same bytes', async () => {
  const again = mkdtempSync(join(tmpdir(), 'cinder-csi-synth-'));
  try {
    await synthesize(ROOT, again);
    for (const dir of [GENERATED_DIR, CHART_DIR, 'dist']) {
      for (const f of listFiles(join(out, dir))) {
        expect({ f, same: readFileSync(join(again, dir, f), 'utf8') === readFileSync(join(out, dir, f), 'utf8') }).toEqual({ f, same: true });
      }
    }
  } finally {
    rmSync(again, { recursive: true, force: true });
  }
}, 120_000);
