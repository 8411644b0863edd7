// tfjs's cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js..." on its
// first tensor; programs that go through @cnn/backend must not, and must keep other warnings.
// Each case runs in a fresh child process, since the banner is printed once per process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const BANNER = 'looks like you are running TensorFlow.js in Node.js';

function run(mode: string) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@cnn/source', 'test/fixtures/cpu-run.mts', mode],
    { cwd: packageDir, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the tfjs-node banner of the cpu backend', () => {
  it('is printed by tfjs-backend-cpu alone (the control run)', () => {
    const { status, stdout, stderr } = run('plain');
    expect(status).toBe(0);
    expect(stdout.trim()).toBe('backend=cpu y=2,3,4 prod=false');
    expect(stderr).toContain(BANNER);
  });

  it("is not printed after useBackend('cpu'); other tfjs warnings still are", () => {
    const { status, stdout, stderr } = run('use-backend');
    expect(status).toBe(0);
    expect(stdout.trim()).toBe('backend=cpu y=2,3,4 prod=false');
    expect(`${stdout}${stderr}`).not.toContain(BANNER);
    expect(stderr.trim()).toBe('an ordinary tfjs warning');
  });

  it('is not printed when a program imports @cnn/backend and tfjs picks cpu by default', () => {
    const { status, stdout, stderr } = run('default');
    expect(status).toBe(0);
    expect(stdout.trim()).toBe('backend=cpu y=2,3,4 prod=false');
    expect(`${stdout}${stderr}`).not.toContain(BANNER);
    expect(stderr.trim()).toBe('an ordinary tfjs warning');
  });
});
