import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findRuns } from '../src/newest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'digit-server-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function fakeRun(root: string, app: string, stamp: string, finishedAt?: string): string {
  const dir = path.join(root, app, stamp);
  mkdirSync(path.join(dir, 'model'), { recursive: true });
  writeFileSync(path.join(dir, 'model', 'model.json'), '{}');
  if (finishedAt !== undefined) writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ finishedAt }));
  return dir;
}

describe('findRuns', () => {
  it('lists finished runs of every app, newest first, and skips unfinished ones', () => {
    const root = path.join(scratch, 'runs');
    const old = fakeRun(root, 'small-cnn', '20261201-100000', '2026-12-01T10:01:00.000Z');
    const newer = fakeRun(root, 'fast', '20261201-110000', '2026-12-01T11:01:00.000Z');
    fakeRun(root, 'fast', '20261201-120000'); // no summary.json: still training
    expect(findRuns([root, path.join(scratch, 'absent')]).map((r) => r.dir)).toEqual([newer, old]);
  });
});

describe('digit-server', () => {
  it('trains the fast recipe when there is no run, says so, then serves it', async () => {
    const runs = path.join(scratch, 'empty-runs');
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@cnn/source', 'src/main.ts', '--runs', runs, '--port', '0'].concat([
        '--epochs',
        '1',
        '--limit',
        '2048',
        '--test-limit',
        '500',
      ]),
      { cwd: appDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } },
    );
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    for (let i = 0; i < 3000 && !/ at (http:\S+)/.test(out) && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = / at (http:\S+)/.exec(out)?.[1];
    expect(out).toContain('no trained model under');
    expect(out).toContain('training the fast recipe first');
    if (!url) throw new Error(`digit-server did not start:\n${out}`);
    const model = (await (await fetch(`${url}/model`)).json()) as { recipe: { app: string }; testAccuracy: number };
    expect(model.recipe.app).toBe('fast');
    // 8 steps of 256 images teach little: the run's own test accuracy is published, whatever it is.
    expect(model.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(model.testAccuracy).toBeLessThanOrEqual(1);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
    expect(findRuns([runs]).map((r) => r.app)).toEqual(['fast']);
  });
});
