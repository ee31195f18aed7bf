'use strict';
// Lets plain `node -r ./test/helpers/ts-register.js src/main.ts` run the TypeScript sources without a build
// step, so tests can start the driver as a real child process. Type checking is tsc's and ts-jest's job;
// this only strips types (transpileModule), which keeps child start-up fast.
const fs = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  resolveJsonModule: true,
  sourceMap: false,
  inlineSourceMap: true,
};

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
