#!/usr/bin/env node
// Builds the optional native kernels (build/Release/cnn_native.node) with node-gyp.
// Never fails the install: when a piece is missing it prints one line naming it (no C++ compiler,
// no oneDNN headers, node-gyp failed) with the command that rebuilds for the package manager in
// use, records the outcome in build/native-build.json for the run-time notice, and exits 0.
// Usage: node scripts/build-native.cjs [--verbose] [--force] [--dry-run]   (CNN_NATIVE_SKIP=1 skips the build)
// Without --force (or --verbose) an addon newer than every source is kept as is. --dry-run checks the
// compiler, headers and node-gyp, says what it would do, and neither builds nor records anything.
// Also a module: src/native-loader.ts requires it for rebuildCommand() and RECORD_FILE.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const PACKAGE = '@cnn/backend';
const root = path.resolve(__dirname, '..');
const RECORD_FILE = path.join('build', 'native-build.json');
const DNNL_HEADER = 'oneapi/dnnl/dnnl.hpp';
// Set by main() from the command line; the module is also required for its functions alone.
let verbose = false;
let dryRun = false;

/** The package manager running this install, from npm_config_user_agent ("pnpm/10.3.0 npm/? node/v20..."). */
function packageManagerOf(userAgent) {
  const match = /^(npm|pnpm|yarn|bun)\/(\d+)/.exec(userAgent || '');
  return match ? { name: match[1], major: Number(match[2]) } : undefined;
}

/** True when this package is a workspace folder (a checkout), not an installed dependency. */
function inWorkspace(dir) {
  return !dir.split(path.sep).includes('node_modules');
}

/** The command that reruns this build for the package manager in use (unknown: run the script with node). */
function rebuildCommand(userAgent, dir = root) {
  const pm = packageManagerOf(userAgent);
  if (pm?.name === 'pnpm' && inWorkspace(dir)) return `pnpm --filter ${PACKAGE} build:native`;
  if (pm?.name === 'pnpm') return `pnpm rebuild ${PACKAGE}`;
  if (pm?.name === 'npm') return `npm rebuild ${PACKAGE}`;
  if (pm?.name === 'yarn') return pm.major >= 2 ? `yarn rebuild ${PACKAGE}` : 'yarn install --force';
  if (pm?.name === 'bun') return `bun pm trust ${PACKAGE}`;
  return `node ${path.join(dir, 'scripts', 'build-native.cjs')} --verbose`;
}

/** The compiler node-gyp's Makefile uses: $CXX (may carry flags), else g++. */
function compilerCommand() {
  const words = (process.env.CXX || 'g++').trim().split(/\s+/);
  return { command: words[0], args: words.slice(1) };
}

function hasCompiler(cxx) {
  return spawnSync(cxx.command, [...cxx.args, '--version'], { stdio: 'ignore' }).status === 0;
}

/** Asks the compiler to preprocess `#include <oneapi/dnnl/dnnl.hpp>` (honours CPATH, CPLUS_INCLUDE_PATH). */
function compilerFindsDnnl(cxx) {
  const res = spawnSync(cxx.command, [...cxx.args, '-E', '-x', 'c++', '-o', '/dev/null', '-'], {
    input: `#include <${DNNL_HEADER}>\n`,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  return res.status === 0;
}

/** Without a compiler to ask: looks for the header where compilers usually do. */
function dnnlHeaderOnDisk() {
  const fromEnv = [process.env.CPATH, process.env.CPLUS_INCLUDE_PATH].flatMap((v) => (v ? v.split(':') : []));
  return ['/usr/include', '/usr/local/include', ...fromEnv]
    .filter(Boolean)
    .some((dir) => fs.existsSync(path.join(dir, DNNL_HEADER)));
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
  return (line || 'no error line in its output').trim().slice(0, 160);
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

/** Writes build/native-build.json; a read-only install folder only loses the run-time detail. */
function record(outcome) {
  try {
    fs.mkdirSync(path.join(root, 'build'), { recursive: true });
    fs.writeFileSync(path.join(root, RECORD_FILE), `${JSON.stringify(outcome, null, 2)}\n`);
  } catch {
    // The notice at run time then says the install script did not leave a record.
  }
}

/** Prints why the kernels were not built and what to do (`fix`), records it, and ends the install successfully. */
function giveUp(reason, fix, lead = 'To build them') {
  const rebuild = rebuildCommand(process.env.npm_config_user_agent);
  const hint = fix ? `${lead}: ${fix}.` : '';
  console.log(`${PACKAGE}: native kernels not built (${reason}); falling back to wasm/cpu${hint ? `. ${hint}` : ''}`);
  if (!dryRun) record({ built: false, reason, hint, rebuild });
  process.exit(0);
}

function main() {
  let flags;
  try {
    ({ values: flags } = parseArgs({
      options: { verbose: { type: 'boolean' }, force: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
    }));
  } catch (error) {
    console.error(
      `${PACKAGE}: ${error.message}\nusage: node scripts/build-native.cjs [--verbose] [--force] [--dry-run]`,
    );
    process.exit(2);
  }
  verbose = flags.verbose === true;
  dryRun = flags['dry-run'] === true;
  const rebuild = rebuildCommand(process.env.npm_config_user_agent);
  if (process.env.CNN_NATIVE_SKIP === '1') giveUp('CNN_NATIVE_SKIP=1');
  if (process.platform !== 'linux')
    giveUp(`unsupported platform ${process.platform}; the native kernels are Linux-only`);
  if (!verbose && !flags.force && upToDate()) {
    console.log(`${PACKAGE}: native kernels up to date (build/Release/cnn_native.node)`);
    return;
  }
  const cxx = compilerCommand();
  const compiler = hasCompiler(cxx);
  const headers = compiler ? compilerFindsDnnl(cxx) : dnnlHeaderOnDisk();
  const noCompiler = `no C++ compiler: \`${cxx.command} --version\` failed`;
  const noHeaders = `no oneDNN headers: the compiler finds no ${DNNL_HEADER}`;
  if (!compiler && !headers)
    giveUp(`${noCompiler} and ${noHeaders}`, `apt-get install g++ libdnnl-dev, then ${rebuild}`);
  if (!compiler) giveUp(noCompiler, `apt-get install g++ (or set CXX), then ${rebuild}`);
  if (!headers)
    giveUp(noHeaders, `apt-get install libdnnl-dev (oneDNN 2.x, or put its include/ on CPATH), then ${rebuild}`);
  let gyp;
  try {
    gyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] });
  } catch {
    giveUp('node-gyp is not installed', `reinstall ${PACKAGE} (node-gyp is one of its dependencies), then ${rebuild}`);
  }
  if (dryRun) {
    console.log(`${PACKAGE}: would build the native kernels with ${cxx.command} and node-gyp (--dry-run)`);
    return;
  }
  const res = spawnSync(process.execPath, [gyp, 'rebuild', '--jobs=max', ...nodedirArgs()], {
    cwd: root,
    stdio: verbose ? 'inherit' : 'pipe',
    encoding: 'utf8',
  });
  if (res.status !== 0) {
    const why = verbose ? 'see its output above' : firstError(`${res.stderr}\n${res.stdout}`);
    const log = `node ${path.join(root, 'scripts', 'build-native.cjs')} --verbose`;
    giveUp(`node-gyp failed: ${why}`, log, 'For the whole log, run');
  }
  record({ built: true });
  console.log(`${PACKAGE}: native kernels built (build/Release/cnn_native.node)`);
}

module.exports = { RECORD_FILE, packageManagerOf, rebuildCommand };
if (require.main === module) main();
