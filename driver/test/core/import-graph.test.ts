import * as path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { importCycles, importGraph, importsLeaving } from '../../scripts/import-cycles';

const SRC = path.join(__dirname, '..', '..', 'src');

describe('import graph of driver/src', () => {
  test('has no cycle between modules or between folders (scripts/import-cycles.ts)', () => {
    expect(importCycles(SRC)).toEqual([]);
  });

  test('production code imports nothing outside src/ (the emulator and the trial live in test-support/)', () => {
    expect(importsLeaving(SRC)).toEqual([]);
  });

  test('an import reaching outside the root is reported with both ends', () => {
    expect(importsLeaving(path.join(__dirname, '..', '..', 'test-support'))).toEqual(['trial.ts -> ../src/main']);
  });

  test('util/ is a leaf: its modules import only each other', () => {
    const util = path.join(SRC, 'util') + path.sep;
    const outside = [...importGraph(SRC)]
      .filter(([file]) => file.startsWith(util))
      .flatMap(([file, targets]) => targets.filter((t) => !t.startsWith(util)).map((t) => `${path.relative(SRC, file)} -> ${path.relative(SRC, t)}`));
    expect(outside).toEqual([]);
  });
});
