// @ts-check
'use strict';
/**
 * Bundles the driver (src/main.ts and everything it imports, production dependencies included) into ONE JavaScript
 * file with esbuild, which is what the image runs: start-up then reads and compiles one file instead of resolving and
 * loading a few hundred modules (node_modules lookups, package.json reads, one wrapper per module). Next to it goes
 * THIRD-PARTY-NOTICES.txt: the license text of every npm package whose code is in the bundle. It refuses to bundle
 * anything but the sources and production dependencies (no test code, emulator or dev-only package can slip in).
 *
 *   node scripts/bundle.js [outDir] [--code-cache=<node flags>]      (default outDir: build/bundle; `npm run bundle`)
 *
 * Lays out outDir as: driver.js (the bundle), main.js (scripts/bundle-loader.js: the file to run; it starts driver.js
 * from V8's code cache when there is one), THIRD-PARTY-NOTICES.txt, and with --code-cache driver.js.cache: the
 * compiled code of driver.js's module initialisation, written by running `node <node flags> main.js --version` with
 * this very node, then checked to be accepted. V8 takes a cache only with the same V8 version and flags, so the
 * flags must be those the bundle runs with (the image: its ENTRYPOINT's) and the node the one that runs it.
 *
 * Identifiers are kept (stack traces and error names stay readable); whitespace and syntax are minified.
 * The driver reads its version from ../package.json relative to the bundle, so the bundle's directory sits one
 * level below a copy of package.json (build/bundle/ here, /opt/cinder-csi/bundle/ in the image).
 */
const fs = require('node:fs');
const path = require('node:path');

const DRIVER_DIR = path.resolve(__dirname, '..');
/** The file name of the bundle inside outDir. */
const BUNDLE_FILE = 'main.js';
/** The esbuild output, which main.js loads. */
const DRIVER_FILE = 'driver.js';
const NOTICES_FILE = 'THIRD-PARTY-NOTICES.txt';

/**
 * @param {{ srcDir?: string, outDir?: string, codeCacheNodeFlags?: string[] }} [options] srcDir: the driver
 *   sources (default driver/src; the bench passes an older commit's); outDir: where the files go (default
 *   driver/build/bundle); codeCacheNodeFlags: write driver.js.cache for node run with these flags (none: no cache).
 * @returns {Promise<{ bundle: string, notices: string, packages: string[], codeCache: string | undefined }>}
 */
async function bundleDriver(options = {}) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild');
  const srcDir = path.resolve(options.srcDir ?? path.join(DRIVER_DIR, 'src'));
  const outDir = path.resolve(options.outDir ?? path.join(DRIVER_DIR, 'build/bundle'));
  fs.mkdirSync(outDir, { recursive: true });
  const bundle = path.join(outDir, BUNDLE_FILE);
  const driver = path.join(outDir, DRIVER_FILE);
  // V8 checks a cache against the source's length only: one left from an earlier bundle must never be read.
  fs.rmSync(`${driver}.cache`, { force: true });
  const result = await esbuild.build({
    entryPoints: [path.join(srcDir, 'main.ts')],
    outfile: driver,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Packages resolve from the driver's node_modules even when srcDir is elsewhere (an older commit's sources).
    nodePaths: [path.join(DRIVER_DIR, 'node_modules')],
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    legalComments: 'none',
    sourcemap: false,
    metafile: true,
    logLevel: 'warning',
    tsconfig: path.join(DRIVER_DIR, 'tsconfig.build.json'),
    // debug (of the proxy agents) tries require('supports-color') in a try/catch, for coloured DEBUG output only; it
    // is not a production dependency, so it stays out (the require fails and debug goes without colours).
    external: ['supports-color'],
    // axios (bundled whole; the driver always asks for its adapter 'http') reads the global FormData in its utils and,
    // in its fetch adapter, Request and Response when it loads; in node those globals are getters that load node's
    // internal undici (about 10 MiB RSS). The image's node runs with --no-experimental-fetch (driver/Dockerfile), so
    // they do not exist there and undici is never loaded; leaving the fetch adapter out here would not be enough
    // (utils reads FormData all the same). Node 23 removed that flag; node 22 has it.
  });
  const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(process.cwd(), input));
  const stray = inputs.filter((input) => !input.startsWith(srcDir + path.sep) && !input.split(path.sep).includes('node_modules'));
  if (stray.length > 0) throw new Error(`the bundle would take in files outside the sources and node_modules: ${stray.join(', ')}`);
  const packages = bundledPackages(inputs);
  const lock = JSON.parse(fs.readFileSync(path.join(DRIVER_DIR, 'package-lock.json'), 'utf8'));
  const devOnly = packages.filter((dir) => lock.packages?.[dir]?.dev === true);
  if (devOnly.length > 0) throw new Error(`the bundle would take in dev-only packages: ${devOnly.join(', ')}`);
  const notices = path.join(outDir, NOTICES_FILE);
  fs.writeFileSync(notices, noticesText(packages));
  fs.copyFileSync(path.join(__dirname, 'bundle-loader.js'), bundle);
  const codeCache = options.codeCacheNodeFlags ? writeCodeCache(bundle, options.codeCacheNodeFlags) : undefined;
  return { bundle, notices, packages, codeCache };
}

/**
 * Runs the bundle once (--version) with CINDER_CSI_CODE_CACHE=write, then once more to check that V8 accepts the
 * cache with these flags; throws otherwise.
 * @param {string} bundle main.js
 * @param {string[]} nodeFlags
 * @returns {string} the cache file
 */
function writeCodeCache(bundle, nodeFlags) {
  const { spawnSync } = require('node:child_process');
  const run = (/** @type {string} */ mode) => {
    const res = spawnSync(process.execPath, [...nodeFlags, bundle, '--version'], { env: { ...process.env, CINDER_CSI_CODE_CACHE: mode }, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`code cache (${mode}): ${bundle} --version exited ${res.status ?? res.signal}: ${res.stderr}`);
    return res.stderr.trim();
  };
  run('write');
  const verdict = run('check');
  if (verdict !== 'accepted') throw new Error(`code cache: V8 ${verdict === 'rejected' ? 'rejects' : 'did not check'} the cache it wrote with node flags [${nodeFlags.join(' ')}]: ${verdict}`);
  return path.join(path.dirname(bundle), `${DRIVER_FILE}.cache`);
}

/**
 * The package directories (relative to the driver, e.g. node_modules/@grpc/grpc-js) that the bundle's inputs
 * come from, sorted. Nested copies (node_modules/a/node_modules/b) count as their own package.
 * @param {string[]} inputs absolute paths of the bundle's inputs
 * @returns {string[]}
 */
function bundledPackages(inputs) {
  const dirs = new Set();
  for (const input of inputs) {
    const abs = input.split(path.sep).join('/');
    const m = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(abs);
    if (m) dirs.add(path.relative(DRIVER_DIR, m[1]).split(path.sep).join('/'));
  }
  return [...dirs].sort();
}

/**
 * @param {string[]} packages package directories relative to the driver
 * @returns {string}
 */
function noticesText(packages) {
  const parts = ['Third-party software bundled into main.js, with each package\'s license text.\n'];
  for (const dir of packages) {
    const abs = path.join(DRIVER_DIR, dir);
    const pkg = JSON.parse(fs.readFileSync(path.join(abs, 'package.json'), 'utf8'));
    const licenseFile = fs.readdirSync(abs).find((f) => /^(licen[sc]e|copying)(\.|-|$)/i.test(f));
    const text = licenseFile ? fs.readFileSync(path.join(abs, licenseFile), 'utf8').trim() : readmeLicense(abs);
    if (text === undefined) throw new Error(`${dir}: no license text (LICENSE file or README section) to carry into ${NOTICES_FILE}`);
    parts.push(`${'='.repeat(78)}\n${pkg.name}@${pkg.version} (${pkg.license ?? 'see below'})\n${'='.repeat(78)}\n${text}\n`);
  }
  return parts.join('\n');
}

/**
 * The License section of a package's README (some packages ship their license text only there).
 * @param {string} dir
 * @returns {string | undefined}
 */
function readmeLicense(dir) {
  const readme = fs.readdirSync(dir).find((f) => /^readme(\.md)?$/i.test(f));
  if (!readme) return undefined;
  const lines = fs.readFileSync(path.join(dir, readme), 'utf8').split('\n');
  // "## License" or a setext "License" heading (underlined with - or =); the section runs to the next heading.
  const isUnderline = (/** @type {string | undefined} */ line) => line !== undefined && /^[-=]{3,}\s*$/.test(line);
  const start = lines.findIndex((line, i) => /^#+\s*licen[sc]e\s*$/i.test(line) || (/^licen[sc]e\s*$/i.test(line) && isUnderline(lines[i + 1])));
  if (start < 0) return undefined;
  const body = lines.slice(isUnderline(lines[start + 1]) ? start + 2 : start + 1);
  const end = body.findIndex((line, i) => /^#+\s/.test(line) || (line.trim() !== '' && isUnderline(body[i + 1])));
  const text = (end < 0 ? body : body.slice(0, end)).join('\n').trim();
  return text === '' ? undefined : text;
}

module.exports = { bundleDriver, BUNDLE_FILE, DRIVER_FILE, NOTICES_FILE };

if (require.main === module) {
  const args = process.argv.slice(2);
  const flagsArg = args.find((a) => a.startsWith('--code-cache='));
  const outDir = args.find((a) => !a.startsWith('--'));
  const codeCacheNodeFlags = flagsArg === undefined ? undefined : flagsArg.slice('--code-cache='.length).split(/\s+/).filter((f) => f !== '');
  bundleDriver({ outDir, codeCacheNodeFlags }).then(
    ({ bundle, packages, codeCache }) => {
      const size = fs.statSync(path.join(path.dirname(bundle), DRIVER_FILE)).size;
      const cache = codeCache ? `, code cache ${(fs.statSync(codeCache).size / 1024).toFixed(0)} KiB` : '';
      process.stdout.write(`${path.relative(process.cwd(), bundle)}: ${(size / 1024).toFixed(0)} KiB, ${packages.length} npm packages${cache}\n`);
    },
    (err) => {
      process.stderr.write(`bundle: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
