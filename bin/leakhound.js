#!/usr/bin/env node
// Starts the CLI bundle (dist/bundle/cli.cjs, built by scripts/bundle-cli.mjs) through V8's code
// cache when the build made one for exactly this build of it, so that the pre-commit hook does not spend
// its start-up compiling JavaScript. Without a usable cache it is compiled as usual.
// LEAKHOUND_WRITE_CODE_CACHE=1 (used by the build) writes the cache after the run;
// LEAKHOUND_DEBUG_CODE_CACHE=1 says on stderr whether a cache was used, rejected by V8, or absent.
// This file is CommonJS (bin/package.json says so): node starts a CommonJS entry about 8 ms sooner
// than an ES module one, whose loader also pulls in node:fs/promises and the stream modules.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const file = join(__dirname, '..', 'dist', 'bundle', 'cli.cjs');
const cacheFile = `${file}.cache`;
const stampFile = `${file}.stamp.json`;
const source = readFileSync(file, 'utf8');
/** The bundle's first line, `// leakhound build <id>`: which build this is. */
const build = source.slice(0, source.indexOf('\n'));
let cachedData;
try {
  if (JSON.parse(readFileSync(stampFile, 'utf8')).build === build) cachedData = readFileSync(cacheFile);
} catch {
  // No cache (or not for this file): compile as usual.
}
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
if (process.env.LEAKHOUND_DEBUG_CODE_CACHE === '1') {
  process.stderr.write(`leakhound: code cache ${cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used'}\n`);
}
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dirname(file));
bundle.exports.main().then(() => {
  if (process.env.LEAKHOUND_WRITE_CODE_CACHE === '1') {
    try {
      writeFileSync(cacheFile, script.createCachedData());
      writeFileSync(stampFile, JSON.stringify({ build }));
    } catch (err) {
      process.stderr.write(`leakhound: could not write the code cache: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
});
