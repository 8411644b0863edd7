// The paths a machine without the native addon takes: install still succeeds, and 'auto'
// falls back to wasm with exactly one notice line. Run in child processes so that this
// process keeps its own (native) backend state.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function run(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, args, {
    cwd: packageDir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('without the native addon', () => {
  it("useBackend('auto') picks wasm and says why in one line", () => {
    const missing = '/nonexistent/cnn_native.node';
    const { status, stdout, stderr } = run(
      ['--import', 'tsx', '--conditions=@cnn/source', 'test/fixtures/auto-backend.mts'],
      { CNN_NATIVE_ADDON: missing, CNN_REQUIRE_NATIVE: '' },
    );
    expect(status).toBe(0);
    expect(stdout.trim()).toBe('chosen=wasm');
    const notices = stderr.split('\n').filter((line) => line.startsWith('@cnn/backend:'));
    expect(notices).toEqual([
      `@cnn/backend: using wasm (native kernels not available: native addon ${missing} does not exist. ` +
        'CNN_NATIVE_ADDON is set: unset it to use the build of @cnn/backend, or point it at a built cnn_native.node.)',
    ]);
  });

  it('the install script gives up with one line and exit code 0', () => {
    const { status, stdout, stderr } = run(['scripts/build-native.cjs'], { CNN_NATIVE_SKIP: '1' });
    expect(status).toBe(0);
    expect(`${stdout}${stderr}`.trim()).toBe(
      '@cnn/backend: native kernels not built (CNN_NATIVE_SKIP=1); falling back to wasm/cpu',
    );
  });
});
