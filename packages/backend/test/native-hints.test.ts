// What a user without the native kernels is told: the piece that is missing (no C++ compiler, no
// oneDNN headers) and the rebuild command of the package manager that installed the package.
// The install script runs in child processes with --force --dry-run, so it checks everything but
// never rebuilds (or removes) this checkout's addon.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { explainMissingAddon } from '../src/native-loader';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const script = join(packageDir, 'scripts', 'build-native.cjs');
const { rebuildCommand, packageManagerOf } = createRequire(import.meta.url)(script) as {
  rebuildCommand(userAgent: string | undefined, dir?: string): string;
  packageManagerOf(userAgent: string | undefined): { name: string; major: number } | undefined;
};
const scratch = mkdtempSync(join(tmpdir(), 'cnn-native-hints-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function install(env: Record<string, string | undefined>) {
  const result = spawnSync(process.execPath, [script, '--force', '--dry-run'], {
    cwd: packageDir,
    env: { ...process.env, CNN_NATIVE_SKIP: undefined, CXX: undefined, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

const hasGxx = spawnSync('g++', ['--version'], { stdio: 'ignore' }).status === 0;
// node-gyp needs make and python3 to get as far as calling the compiler.
const hasMake = ['make', 'python3'].every((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0);

describe('the install script names the missing piece', () => {
  it('no C++ compiler: a PATH without g++', () => {
    const bin = join(scratch, 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, join(bin, 'node'));
    const { status, output } = install({ PATH: bin, npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64' });
    expect(status).toBe(0);
    const start = '@cnn/backend: native kernels not built (no C++ compiler: `g++ --version` failed';
    // Without a compiler the headers are looked for on disk, so a machine may lack both.
    expect([
      `${start}); falling back to wasm/cpu. To build them: apt-get install g++ (or set CXX), then npm rebuild @cnn/backend.`,
      `${start} and no oneDNN headers: the compiler finds no oneapi/dnnl/dnnl.hpp); falling back to wasm/cpu. ` +
        'To build them: apt-get install g++ libdnnl-dev, then npm rebuild @cnn/backend.',
    ]).toContain(output);
  });

  it.skipIf(!hasGxx)('no oneDNN headers: a compiler whose include path lacks dnnl.hpp', () => {
    const emptyRoot = join(scratch, 'sysroot');
    mkdirSync(emptyRoot, { recursive: true });
    const { status, output } = install({
      CXX: `g++ --sysroot=${emptyRoot}`,
      CPATH: emptyRoot,
      npm_config_user_agent: 'yarn/1.22.22 npm/? node/v20.20.2 linux x64',
    });
    expect(status).toBe(0);
    expect(output).toBe(
      '@cnn/backend: native kernels not built (no oneDNN headers: the compiler finds no oneapi/dnnl/dnnl.hpp); ' +
        'falling back to wasm/cpu. To build them: apt-get install libdnnl-dev (oneDNN 2.x, or put its include/ on ' +
        'CPATH), then yarn install --force.',
    );
  });

  it.skipIf(!hasGxx)('with g++ and the headers it would build (dry run)', () => {
    const { status, output } = install({});
    expect(status).toBe(0);
    expect(output).toBe('@cnn/backend: would build the native kernels with g++ and node-gyp (--dry-run)');
  });
});

describe('a node-gyp failure', () => {
  // A copy of the package (scripts, binding.gyp, native/) where nothing can harm this checkout's
  // build/, and a "compiler" that answers --version and -E but fails to compile.
  const copy = join(scratch, 'backend-copy');
  function installCopy(withNodeGyp: boolean) {
    rmSync(copy, { recursive: true, force: true });
    for (const part of ['scripts', 'native', 'binding.gyp', 'package.json']) {
      cpSync(join(packageDir, part), join(copy, part), { recursive: true });
    }
    if (withNodeGyp) {
      mkdirSync(join(copy, 'node_modules'), { recursive: true });
      for (const dep of ['node-gyp', 'node-addon-api']) {
        symlinkSync(realpathSync(join(packageDir, 'node_modules', dep)), join(copy, 'node_modules', dep), 'dir');
      }
    }
    const cxx = join(scratch, 'failing-cxx');
    writeFileSync(
      cxx,
      '#!/bin/sh\nfor a in "$@"; do\n  [ "$a" = --version ] && { echo failing-cxx 1.0; exit 0; }\n' +
        '  [ "$a" = -E ] && exit 0\ndone\necho "native/addon.cc:1:1: error: simulated compiler failure" >&2\nexit 1\n',
    );
    chmodSync(cxx, 0o755);
    const result = spawnSync(process.execPath, [join(copy, 'scripts', 'build-native.cjs')], {
      cwd: copy,
      // NODE_PATH: pnpm puts its store there, which would find node-gyp outside the copy.
      env: {
        ...process.env,
        NODE_PATH: '',
        CNN_NATIVE_SKIP: undefined,
        CXX: cxx,
        npm_config_user_agent: 'npm/11.19.1 node/v20',
      },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
  }

  it.skipIf(!hasMake)(
    'names node-gyp and its first error line, and how to see the whole log',
    { timeout: 120_000 },
    () => {
      const { status, output } = installCopy(true);
      expect(status).toBe(0);
      expect(output).toBe(
        '@cnn/backend: native kernels not built (node-gyp failed: native/addon.cc:1:1: error: simulated compiler ' +
          `failure); falling back to wasm/cpu. For the whole log, run: node ${join(copy, 'scripts', 'build-native.cjs')} --verbose.`,
      );
    },
  );

  it('says when node-gyp itself is missing', () => {
    const { status, output } = installCopy(false);
    expect(status).toBe(0);
    expect(output).toBe(
      '@cnn/backend: native kernels not built (node-gyp is not installed); falling back to wasm/cpu. To build them: ' +
        'reinstall @cnn/backend (node-gyp is one of its dependencies), then npm rebuild @cnn/backend.',
    );
  });
});

describe('rebuildCommand', () => {
  const installed = join(scratch, 'app', 'node_modules', '@cnn', 'backend');
  it('follows npm_config_user_agent', () => {
    expect(rebuildCommand('npm/11.19.1 node/v20.20.2 linux x64', installed)).toBe('npm rebuild @cnn/backend');
    expect(rebuildCommand('pnpm/10.34.9 npm/? node/v20.20.2 linux x64', installed)).toBe('pnpm rebuild @cnn/backend');
    expect(rebuildCommand('yarn/4.9.1 npm/? node/v20.20.2 linux x64', installed)).toBe('yarn rebuild @cnn/backend');
    expect(rebuildCommand('yarn/1.22.22 npm/? node/v20.20.2 linux x64', installed)).toBe('yarn install --force');
    expect(rebuildCommand('bun/1.2.0 npm/? node/v22.6.0 linux x64', installed)).toBe('bun pm trust @cnn/backend');
  });

  it('in a pnpm workspace checkout it is the package script; unknown managers run the script with node', () => {
    expect(rebuildCommand('pnpm/10.34.9 npm/? node/v20.20.2 linux x64', packageDir)).toBe(
      'pnpm --filter @cnn/backend build:native',
    );
    expect(rebuildCommand(undefined, installed)).toBe(
      `node ${join(installed, 'scripts', 'build-native.cjs')} --verbose`,
    );
    expect(packageManagerOf('deno/2.0.0')).toBeUndefined();
  });
});

describe('explainMissingAddon (the run-time notice)', () => {
  it('repeats what the install recorded', () => {
    const hint = 'To build them: apt-get install g++ (or set CXX), then npm rebuild @cnn/backend.';
    expect(
      explainMissingAddon({ built: false, reason: 'no C++ compiler: `g++ --version` failed', hint }, 'unused'),
    ).toEqual({ reason: 'not built when @cnn/backend was installed (no C++ compiler: `g++ --version` failed)', hint });
  });

  it('says when the install script never ran, with the command that runs it', () => {
    const { reason, hint } = explainMissingAddon(undefined, 'pnpm rebuild @cnn/backend');
    expect(reason).toBe(
      "not built: @cnn/backend's install script has not run (npm 12, pnpm 10 and bun run a dependency's install " +
        'script only once it is allowed; --ignore-scripts skips it)',
    );
    expect(hint).toContain('`npm install-scripts approve @cnn/backend`');
    expect(hint).toContain('onlyBuiltDependencies), then pnpm rebuild @cnn/backend.');
  });
});
