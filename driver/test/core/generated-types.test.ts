import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { csiDescriptorText, CSI_DESCRIPTOR_PATH } from '../../scripts/csi-descriptor';
import { makeTempDir } from './support';

const DRIVER_DIR = path.resolve(__dirname, '../..');

function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

describe('generated CSI types in src/gen', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir('cinder-csi-gen-')));
  afterEach(() => tmp.cleanup());

  it('match what `npm run gen:types` produces from proto/csi.proto (regenerate and commit when this fails)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(DRIVER_DIR, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const args = pkg.scripts['gen:types'].split(/\s+/);
    expect(args[0]).toBe('proto-loader-gen-types');
    const outIndex = args.indexOf('-O');
    expect(args[outIndex + 1]).toBe('src/gen');
    args[outIndex + 1] = tmp.dir;
    const bin = require.resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js');
    const result = spawnSync(process.execPath, [bin, ...args.slice(1)], { cwd: DRIVER_DIR, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);

    const committed = path.join(DRIVER_DIR, 'src/gen');
    const expected = listFiles(tmp.dir);
    expect(listFiles(committed).filter((f) => f !== path.basename(CSI_DESCRIPTOR_PATH))).toEqual(expected);
    const stale = expected.filter((f) => fs.readFileSync(path.join(tmp.dir, f), 'utf8') !== fs.readFileSync(path.join(committed, f), 'utf8'));
    expect(stale).toEqual([]);
  });

  it('include the descriptor the driver loads at start-up, as `npm run gen:descriptor` writes it from proto/csi.proto', () => {
    expect(fs.readFileSync(CSI_DESCRIPTOR_PATH, 'utf8')).toBe(csiDescriptorText());
  });
});
