import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { postJson } from './helpers';
import { testDigits, trainedModelDir } from './model-fixture';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Starts `cnn-serve` from the sources in a child process; resolves with it and its URL. */
async function serve(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@cnn/source', 'src/cli.ts', ...args], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  for (let i = 0; i < 600 && !/ at (http:\S+)/.test(out); i++) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = / at (http:\S+)/.exec(out)?.[1];
  if (!url) throw new Error(`cnn-serve did not start:\n${out}`);
  return { child, url, output: () => out };
}

/** GET on a new connection each time (no keep-alive), so that a cluster may pick any server. */
function getFresh(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('cnn-serve', () => {
  it('on SIGTERM answers the requests in flight, then exits with 0', async () => {
    const dir = await trainedModelDir();
    // Requests wait up to 1.5 s for a batch to fill, so they are surely in flight at the signal.
    const { child, url, output } = await serve(['--model', dir, '--port', '0', '--max-wait-ms', '1500']);
    const digits = testDigits(4);
    const sent = digits.images.map((img) => postJson(`${url}/predict`, { pixels: Array.from(img) }));
    for (let i = 0; i < 100; i++) {
      const h = await (await fetch(`${url}/health`)).json();
      if (h.queue === 4) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const answers = await Promise.all(sent);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.map((a) => a.json.label)).toEqual(digits.labels);
    const [code] = await exited;
    expect(code).toBe(0);
    expect(output()).toContain('SIGTERM: finishing the requests in flight');
    expect(output()).toContain('cnn-serve: stopped');
  });

  it('--workers 2 runs two servers on one port and stops both on SIGTERM', async () => {
    const { child, url, output } = await serve(['--model', await trainedModelDir(), '--port', '0', '--workers', '2']);
    // Both servers listen on the same port; wait until the second one has started too.
    for (let i = 0; i < 600 && (output().match(/ at http:/g) ?? []).length < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const pids = new Set<number>();
    for (let i = 0; i < 8; i++) pids.add(JSON.parse(await getFresh(`${url}/health`)).pid);
    expect(pids.size).toBe(2);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
    expect(output().match(/cnn-serve: stopped/g)).toHaveLength(2);
  });

  it('exits with 2 and the usage on a bad flag, with 1 on a directory without a model', async () => {
    const bad = spawn(process.execPath, ['--import', 'tsx', '--conditions=@cnn/source', 'src/cli.ts', '--port', 'x'], {
      cwd: packageDir,
    });
    let err = '';
    bad.stderr.on('data', (d) => {
      err += d;
    });
    expect((await once(bad, 'exit'))[0]).toBe(2);
    expect(err).toContain('--model <dir> is required');
    expect(err).toContain('Usage: cnn-serve');
    const empty = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@cnn/source', 'src/cli.ts', '--model', 'test', '--port', '0'],
      { cwd: packageDir },
    );
    let err2 = '';
    empty.stderr.on('data', (d) => {
      err2 += d;
    });
    expect((await once(empty, 'exit'))[0]).toBe(1);
    expect(err2).toContain('neither model.json nor model/model.json is here');
  });
});
