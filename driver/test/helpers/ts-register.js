'use strict';
// Lets plain `node -r ./test/helpers/ts-register.js src/main.ts` run the TypeScript sources without a build
// step, so tests can start the driver as a real child process. Type checking is tsc's and ts-jest's job;
// this only strips types (transpileModule). Output is cached on disk by path, size and mtime, because
// loading the compiler and transpiling the whole import graph on every child start costs seconds.
require('./loopback-only.js');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

let ts;
// Like babel and ts-jest, keep the cache under node_modules/.cache (not a temp dir tests would leave behind).
const cacheDir = path.resolve(__dirname, '../../node_modules/.cache/cinder-csi-ts');

const compilerOptions = {
  module: 1, // CommonJS
  target: 9, // ES2022
  esModuleInterop: true,
  resolveJsonModule: true,
  inlineSourceMap: true,
};

function transpile(filename, source) {
  ts ??= require('typescript');
  return ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
}

require.extensions['.ts'] = function compileTs(module, filename) {
  const stat = fs.statSync(filename);
  const key = crypto.createHash('sha1').update(`${filename}\0${stat.size}\0${stat.mtimeMs}`).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = transpile(filename, fs.readFileSync(filename, 'utf8'));
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const tmp = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, output);
      fs.renameSync(tmp, cached);
    } catch {
      // A read-only or full tmp only costs speed.
    }
  }
  module._compile(output, filename);
};
