#!/usr/bin/env node
// Compiles wasm/*.c (the wasm backend's SIMD training kernels) with clang and wasm-ld into
// src/wasm/simd-binary.ts, which is committed: installing or building the package needs no C
// toolchain. Run it after changing a file in wasm/.
// Usage: node scripts/build-wasm.mjs [--check | --check-source]
//   --check         rebuild in memory; exit 1 if that differs from the committed file (same clang)
//   --check-source  exit 1 if the committed file was built from other sources (no clang needed;
//                   a test runs this)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIR = join(root, 'wasm');
const OUTPUT = join(root, 'src', 'wasm', 'simd-binary.ts');
// Every function of SimdKernels (src/wasm/simd-exports.ts).
const EXPORTS = [
  'adam_update',
  'sgd_update',
  'sum_rows',
  'maxpool_grad_2x2',
  'one_channel_taps',
  'add_row',
  'multiply_row',
  'small_matmul',
  'one_channel_filter_grad',
];

// The module imports tfjs's memory and must own none of it: no data segments, and a stack of
// size 0 placed first, so any stack use would touch addresses below 0 and trap instead of
// writing into tfjs's heap. The maximum is wasm32's 4 GiB, so that any tfjs memory fits the
// import (a shared memory must declare one).
const CLANG_ARGS = [
  '--target=wasm32',
  '-O3',
  '-msimd128',
  '-mbulk-memory',
  '-nostdlib',
  '-ffreestanding',
  '-fno-builtin',
  '-Wall',
  '-Wextra',
  '-Werror',
  '-Wl,--no-entry',
  '-Wl,--import-memory',
  '-Wl,--max-memory=4294967296',
  '-Wl,--stack-first',
  '-Wl,-z,stack-size=0',
  '-Wl,--strip-all',
];

function fail(message) {
  console.error(`build-wasm: ${message}`);
  process.exit(1);
}

/** The ids of the top-level sections of a wasm binary. */
function sectionIds(bytes) {
  const ids = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      size |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
    }
    ids.push(id);
    at += size;
  }
  return ids;
}

/** The C sources and headers, by name. */
function sources() {
  return readdirSync(SOURCE_DIR)
    .filter((name) => /\.[ch]$/.test(name))
    .sort();
}

/** SHA-256 over every source's name and text, in name order: what the binary was built from. */
function sourceHash() {
  const hash = createHash('sha256');
  for (const name of sources()) hash.update(`${name}\n`).update(readFileSync(join(SOURCE_DIR, name)));
  return hash.digest('hex');
}

function compile() {
  const dir = mkdtempSync(join(tmpdir(), 'cnn-wasm-'));
  try {
    const out = join(dir, 'kernels.wasm');
    const files = sources()
      .filter((name) => name.endsWith('.c'))
      .map((name) => join(SOURCE_DIR, name));
    const run = spawnSync('clang', [...CLANG_ARGS, '-o', out, ...files], { encoding: 'utf8' });
    if (run.error) fail(`clang not found (${run.error.message}); on Debian: apt-get install clang lld`);
    if (run.status !== 0) fail(`clang failed:\n${run.stderr}`);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function validate(bytes) {
  const module = new WebAssembly.Module(bytes);
  const imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}:${i.kind}`);
  if (imports.join() !== 'env.memory:memory') fail(`expected only the memory import, got ${imports.join(', ')}`);
  const exported = WebAssembly.Module.exports(module).map((e) => e.name);
  const missing = EXPORTS.filter((name) => !exported.includes(name));
  if (missing.length > 0) fail(`missing exports: ${missing.join(', ')}`);
  const DATA = 11;
  if (sectionIds(bytes).includes(DATA)) fail('the module has data segments, which would overwrite tfjs memory');
  // The only global is the stack pointer: code that reads or writes it uses the stack.
  const dir = mkdtempSync(join(tmpdir(), 'cnn-wasm-'));
  try {
    const file = join(dir, 'kernels.wasm');
    writeFileSync(file, bytes);
    const text = spawnSync('wasm2wat', ['--enable-threads', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (text.error) fail(`wasm2wat not found (${text.error.message}); on Debian: apt-get install wabt`);
    if (text.status !== 0) fail(`wasm2wat failed:\n${text.stderr}`);
    if (/global\.(get|set)/.test(text.stdout)) fail('the code uses the stack (global.get/set of the stack pointer)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function render(bytes, sourceHash) {
  const base64 = bytes.toString('base64');
  const lines = base64.match(/.{1,100}/g) ?? [];
  return [
    '// Generated by scripts/build-wasm.mjs from wasm/*.c: do not edit.',
    '',
    '/** SHA-256 of the wasm/ sources this binary was compiled from (see sourceHash in the script). */',
    `export const SIMD_KERNELS_SOURCE_SHA256 = '${sourceHash}';`,
    '',
    '/** The compiled module, base64. */',
    'export const SIMD_KERNELS_WASM_BASE64 =',
    ...lines.map((line, i) => `  '${line}'${i === lines.length - 1 ? ';' : ' +'}`),
    '',
  ].join('\n');
}

const { values } = parseArgs({
  options: { check: { type: 'boolean', default: false }, 'check-source': { type: 'boolean', default: false } },
});
const hash = sourceHash();
if (values['check-source']) {
  const recorded = /SIMD_KERNELS_SOURCE_SHA256 = '([0-9a-f]+)'/.exec(readFileSync(OUTPUT, 'utf8'))?.[1];
  if (recorded !== hash) fail(`${OUTPUT} was built from other sources than wasm/: run node scripts/build-wasm.mjs`);
  console.log('build-wasm: the committed binary matches the sources in wasm/');
  process.exit(0);
}
const bytes = compile();
validate(bytes);
const text = render(bytes, hash);
if (values.check) {
  const committed = readFileSync(OUTPUT, 'utf8');
  if (committed !== text) fail(`${OUTPUT} is not what wasm/ compiles to: run node scripts/build-wasm.mjs`);
  console.log(`build-wasm: ${OUTPUT} is up to date (${bytes.length} bytes)`);
} else {
  writeFileSync(OUTPUT, text);
  console.log(`build-wasm: wrote ${OUTPUT} (${bytes.length} bytes of wasm)`);
}
