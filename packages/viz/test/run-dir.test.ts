import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../src/cli-main';
import { decodePng, renderRun } from '../src/index';
import { fastBackend, tempDir, vizError } from './helpers';
import { makeRun } from './make-run';

const root = tempDir('run');
const run = path.join(root, 'tiny');
const PKG = fileURLToPath(new URL('..', import.meta.url));

beforeAll(async () => {
  await fastBackend();
  await makeRun(run); // a real 2-epoch run of a 1-conv model on 512 MNIST images
}, 120_000);

/** Runs the cnn-viz command from source in a child process. */
function cli(...args: string[]) {
  const tsx = path.join(PKG, 'node_modules', '.bin', 'tsx');
  const r = spawnSync(tsx, ['--conditions=@cnn/source', path.join(PKG, 'src', 'cli.ts'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('renderRun', { timeout: 60_000 }, () => {
  test('a finished run: every image decodes and the report inlines them all', async () => {
    const before = tf.memory().numTensors;
    const out = path.join(root, 'out');
    const result = await renderRun(run, { outDir: out, limit: 1000 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.files.map((f) => path.basename(f))).toEqual([
      'curves.svg',
      'curves.png',
      'confusion.svg',
      'confusion.png',
      'digits.png',
      'mistakes.png',
      'filters.png',
      'feature-maps.png',
      'report.html',
    ]);
    for (const f of result.files.filter((f) => f.endsWith('.png'))) {
      const img = decodePng(fs.readFileSync(f));
      expect(img.width * img.height, f).toBeGreaterThan(100_000);
    }
    expect(result.testAccuracy).toBeGreaterThan(0.5); // 2 epochs on 512 images: about 75%
    expect(result.preview[0]).toMatch(/^\d → \d \d+%/); // the surest mistakes as ASCII for the terminal
    expect(result.preview.join('').match(/[@%#]/g)!.length).toBeGreaterThan(50);
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html.match(/src="data:image\/png;base64,/g)).toHaveLength(6);
    expect(html).not.toMatch(/https?:\/\/|<script|<link/);
    // Each image is shown at half its pixel width (PNGs are rendered at scale 2).
    const curvesWidth = decodePng(fs.readFileSync(path.join(out, 'curves.png'))).width;
    expect(html).toContain(`width="${Math.round(curvesWidth / 2)}" alt="Training curves"`);
    expect(html).toContain(`${(result.testAccuracy! * 100).toFixed(2)}%`);
    expect(html).toContain('Tiny test run'); // title from config.json
    expect(html).toContain('Total params: 5,874'); // the model summary: 4·25+4 + 576·10+10
    const confusion = fs.readFileSync(path.join(out, 'confusion.svg'), 'utf8');
    expect(confusion).toContain('1,000 examples');
  });

  test('a run killed mid-epoch without a model: curves and a report that says so', async () => {
    const dir = path.join(root, 'killed');
    fs.mkdirSync(dir);
    const text = fs.readFileSync(path.join(run, 'metrics.jsonl'), 'utf8');
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), text.slice(0, Math.floor(text.length / 2)));
    const result = await renderRun(dir);
    expect(result.files.map((f) => path.basename(f))).toEqual(['curves.svg', 'curves.png', 'report.html']);
    const html = fs.readFileSync(path.join(dir, 'viz', 'report.html'), 'utf8');
    expect(html).toContain('no saved model in model/');
    expect(html).toContain('no end record (cut short)');
  });

  test('unreadable parts are typed errors naming the file', async () => {
    const dir = path.join(root, 'bad');
    fs.mkdirSync(dir);
    const missing = await vizError(() => renderRun(dir), 'unreadable');
    expect(missing.message).toContain(path.join(dir, 'metrics.jsonl'));
    fs.copyFileSync(path.join(run, 'metrics.jsonl'), path.join(dir, 'metrics.jsonl'));
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), '{"type":"batch","epoch":0,"batch":1,"step":1,"loss":null}\n');
    expect((await vizError(() => renderRun(dir), 'empty-log')).message).toContain(path.join(dir, 'metrics.jsonl'));
    fs.copyFileSync(path.join(run, 'metrics.jsonl'), path.join(dir, 'metrics.jsonl'));
    fs.writeFileSync(path.join(dir, 'config.json'), '{"title": ');
    expect((await vizError(() => renderRun(dir), 'unreadable')).message).toContain(path.join(dir, 'config.json'));
  });
});

/** Runs the command in this process, collecting what it prints. */
async function inProcess(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { log: (t) => out.push(t), error: (t) => err.push(t) }, true);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('cnn-viz command', { timeout: 60_000 }, () => {
  test('in a child process: exit 2 for a bad flag, 1 for an unreadable run naming the file, 0 for a run', () => {
    const bad = cli('--frobnicate', run);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--frobnicate'");
    expect(bad.stderr).toContain('usage: cnn-viz');
    const dir = path.join(root, 'nothing-here');
    const missing = cli(dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(path.join(dir, 'metrics.jsonl'));
    const out = path.join(root, 'cli-out');
    const ok = cli(run, '--out', out, '--limit', '300', '--scale', '1');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`wrote 9 files to ${out}`);
    expect(decodePng(fs.readFileSync(path.join(out, 'digits.png'))).width).toBeGreaterThan(700);
  });

  test('--help prints the usage the README shows; every bad flag or argument is exit 2', async () => {
    const help = await inProcess('--help');
    expect(help.code).toBe(0);
    expect(fs.readFileSync(path.join(PKG, 'README.md'), 'utf8')).toContain(`\`\`\`text\n${help.stdout}\n\`\`\``);
    for (const args of [
      ['--limit', 'x', run],
      [],
      [run, run],
      ['--scale', '0', run],
      ['--sample', '-1', run],
      ['--bench', 'b.json', run],
    ]) {
      const r = await inProcess(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('usage: cnn-viz');
    }
  });

  test('on a terminal: the surest mistakes as ASCII, a loss sparkline and the figures', async () => {
    const r = await inProcess(run, '--out', path.join(root, 'tty-out'), '--limit', '300');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/The surest mistakes[^\n]*\n\d → \d \d+%/);
    expect(r.stdout).toMatch(/loss {2}[▁▂▃▄▅▆▇█]+/);
    expect(r.stdout).toMatch(/test accuracy +\d+\.\d\d%/);
  });

  test('--bench draws a bench report; a broken one exits 1 naming it', async () => {
    const file = path.join(root, 'engine.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ rows: [{ model: '000', backend: 'native', trainImgPerSec: 1, inferImgPerSec: 2 }] }),
    );
    expect((await inProcess('--bench', file)).code).toBe(0);
    expect(fs.existsSync(path.join(root, 'engine.png'))).toBe(true);
    fs.writeFileSync(file, '{');
    const r = await inProcess('--bench', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(file);
  });
});
