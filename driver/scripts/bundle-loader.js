'use strict';
/*
 * bundle/main.js: starts the bundled driver (driver.js, next to this file) from V8's code cache when one is there
 * (driver.js.cache, written at build time by scripts/bundle.js), so that start-up deserialises the compiled module
 * code instead of parsing and compiling a megabyte of JavaScript. V8 accepts a cache only from the same V8 version,
 * the same source and the same V8 flags (the image builds it with the node flags of its ENTRYPOINT); when it is
 * missing or rejected, the script is compiled as usual. Copied as is by scripts/bundle.js.
 *
 * CINDER_CSI_CODE_CACHE=write (build time only): write driver.js.cache after loading; =check: print "accepted" or
 * "rejected" on stderr.
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const file = path.join(__dirname, 'driver.js');
const cacheFile = `${file}.cache`;
const mode = process.env.CINDER_CSI_CODE_CACHE;
let cachedData;
if (mode !== 'write') {
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // no cache: compile as usual
  }
}
// The module wrapper on one line with the first line of the source, so line numbers in stack traces stay right.
const source = fs.readFileSync(file, 'utf8').replace(/^#!.*/, '');
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
const driverModule = new Module(file, module);
driverModule.filename = file;
driverModule.loaded = true;
script.runInThisContext().call(driverModule.exports, driverModule.exports, Module.createRequire(file), driverModule, file, __dirname);
if (mode === 'write') fs.writeFileSync(cacheFile, script.createCachedData());
if (mode === 'check') process.stderr.write(cachedData !== undefined && !script.cachedDataRejected ? 'accepted\n' : 'rejected\n');
void driverModule.exports.main();
