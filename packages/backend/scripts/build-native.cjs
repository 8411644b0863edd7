#!/usr/bin/env node
// Builds the optional native kernels (build/Release/cnn_native.node) with node-gyp.
// Never fails the install: when the compiler or oneDNN is missing it prints one line and exits 0.
// Usage: node scripts/build-native.cjs [--verbose] [--force]   (CNN_NATIVE_SKIP=1 skips the build)
// Without --force (or --verbose) an addon newer than every source is kept as is.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const verbose = process.argv.includes('--verbose');
const APT_HINT = 'apt-get install libdnnl-dev, then pnpm rebuild @cnn/backend';

function giveUp(reason) {
  console.log(`@cnn/backend: native kernels not built (${reason}); falling back to wasm/cpu`);
  process.exit(0);
}

function findHeader() {
  const dirs = [
    '/usr/include',
    '/usr/local/include',
    process.env.DNNL_ROOT && path.join(process.env.DNNL_ROOT, 'include'),
  ];
  for (const dir of dirs.filter(Boolean)) {
    if (fs.existsSync(path.join(dir, 'oneapi', 'dnnl', 'dnnl.hpp'))) return dir;
  }
  return undefined;
}

function hasCompiler() {
  const cxx = process.env.CXX || 'c++';
  return spawnSync(cxx, ['--version'], { stdio: 'ignore' }).status === 0;
}

// node-gyp downloads Node headers unless told where they are; use the ones beside this node.
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

function firstError(text) {
  const lines = text.split('\n');
  const line = lines.find((l) => /error:|cannot find -l/i.test(l)) ?? lines.find((l) => /ERR!/.test(l));
  return (line || 'node-gyp failed').trim().slice(0, 160);
}

// True when build/Release/cnn_native.node is newer than binding.gyp and every native/ source.
function upToDate() {
  const addon = path.join(root, 'build', 'Release', 'cnn_native.node');
  if (!fs.existsSync(addon)) return false;
  const built = fs.statSync(addon).mtimeMs;
  const sources = [
    path.join(root, 'binding.gyp'),
    ...fs.readdirSync(path.join(root, 'native')).map((f) => path.join(root, 'native', f)),
  ];
  return sources.every((f) => fs.statSync(f).mtimeMs < built);
}

function main() {
  if (process.env.CNN_NATIVE_SKIP === '1') giveUp('CNN_NATIVE_SKIP=1');
  if (process.platform !== 'linux') giveUp(`unsupported platform ${process.platform}`);
  if (!findHeader()) giveUp(`libdnnl-dev not found (${APT_HINT})`);
  if (!verbose && !process.argv.includes('--force') && upToDate()) {
    console.log('@cnn/backend: native kernels up to date (build/Release/cnn_native.node)');
    return;
  }
  if (!hasCompiler()) giveUp(`no C++ compiler (apt-get install g++, then pnpm rebuild @cnn/backend)`);
  let gyp;
  try {
    gyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] });
  } catch {
    giveUp('node-gyp is not installed');
  }
  const args = [gyp, 'rebuild', '--jobs=max', ...nodedirArgs()];
  const res = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: verbose ? 'inherit' : 'pipe',
    encoding: 'utf8',
  });
  if (res.status !== 0) {
    const why = verbose ? 'node-gyp failed, see above' : firstError(`${res.stderr}\n${res.stdout}`);
    giveUp(`${why}; run pnpm --filter @cnn/backend build:native for details`);
  }
  console.log('@cnn/backend: native kernels built (build/Release/cnn_native.node)');
}

main();
