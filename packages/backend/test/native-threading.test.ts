// The OpenMP wait policy: passive unless the user chose one, set before libgomp loads.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyOpenMpDefaults } from '../src/native/openmp-env';
import { available, skipReason } from './native-helpers';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('applyOpenMpDefaults', () => {
  it('sets OMP_WAIT_POLICY=passive when nothing is chosen', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(applyOpenMpDefaults(env)).toBe('passive');
    expect(env.OMP_WAIT_POLICY).toBe('passive');
  });

  it("keeps the user's OMP_WAIT_POLICY or GOMP_SPINCOUNT", () => {
    const active: NodeJS.ProcessEnv = { OMP_WAIT_POLICY: 'ACTIVE' };
    expect(applyOpenMpDefaults(active)).toBe('active');
    expect(active.OMP_WAIT_POLICY).toBe('ACTIVE');
    const spins: NodeJS.ProcessEnv = { GOMP_SPINCOUNT: '1000' };
    expect(applyOpenMpDefaults(spins)).toBe('default');
    expect(spins.OMP_WAIT_POLICY).toBeUndefined();
  });
});

/** libgomp's own report of its settings (OMP_DISPLAY_ENV) from a child that loads the addon. */
function libgompSettings(env: Record<string, string>): string {
  const { OMP_WAIT_POLICY: _, GOMP_SPINCOUNT: __, ...rest } = process.env;
  const code = "const { nativeStatus } = await import('./src/index.ts'); nativeStatus();";
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@cnn/source', '--input-type=module', '-e', code],
    { cwd: packageDir, env: { ...rest, OMP_DISPLAY_ENV: 'TRUE', ...env }, encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
  return r.stderr;
}

describe.skipIf(!available)(`libgomp in a process that loads the addon${skipReason}`, () => {
  it('waits passively by default, and actively when the user says so', () => {
    expect(libgompSettings({})).toMatch(/OMP_WAIT_POLICY = 'PASSIVE'/);
    expect(libgompSettings({ OMP_WAIT_POLICY: 'active' })).toMatch(/OMP_WAIT_POLICY = 'ACTIVE'/);
  }, 60_000);
});
