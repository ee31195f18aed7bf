import { objectTemplates, templateInputs } from '../../lib';
import { evaluate } from '../../lib/template';
import { EVERYTHING_ON, objectsOf } from './synth';

describe('objectTemplates (what the chart generator turns into templates/)', () => {
  test('file names are unique and valid template file names', () => {
    const files = objectTemplates.map((t) => t.file);
    expect(new Set(files).size).toBe(files.length);
    for (const f of files) expect(f).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
  });

  test('evaluated in list order they give exactly what the CinderCsi construct synthesizes, in the same order', () => {
    for (const props of [{}, { ...EVERYTHING_ON, releaseName: 'blk', namespace: 'storage' }]) {
      const inputs = templateInputs(props);
      const fromTemplates = objectTemplates.flatMap((t) => evaluate(t, inputs));
      expect(objectsOf(props)).toEqual(fromTemplates);
    }
  });
});
