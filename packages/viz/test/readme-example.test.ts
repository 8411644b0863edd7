import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '@cnn/layers';
import { beforeAll, expect, test } from 'vitest';
import { codeBlocks } from '../../../scripts/readme-blocks';
import { decodePng, predictSet } from '../src/index';
import { fastBackend, tempDir } from './helpers';
import { makeRun } from './make-run';
import { draw } from './readme-example';

const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const source = fs.readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');
const root = tempDir('readme');

beforeAll(async () => {
  await fastBackend();
  await makeRun(path.join(root, 'run'), { trainImages: 256, epochs: 1 });
}, 120_000);

test('the README shows test/readme-example.ts verbatim (the block `ts file=draw.ts`)', () => {
  expect(codeBlocks(readme, 'packages/viz/README.md').find((b) => b.attrs.file === 'draw.ts')?.code).toBe(source);
});

test('the README example runs on a real run directory', { timeout: 120_000 }, async () => {
  const run = path.join(root, 'run');
  const model = await loadModel(path.join(run, 'model'));
  const { loadMnistSplit } = await import('@cnn/datasets');
  const set = loadMnistSplit('test');
  const { predicted } = predictSet(model, set.images, { count: 500, height: 28, width: 28 });
  model.dispose();
  const files = await draw(run, path.join(root, 'out'), predicted);
  expect(files.map((f) => path.basename(f))).toContain('report.html');
  const grid = decodePng(fs.readFileSync(path.join(root, 'out', 'digits.png')));
  expect(grid.width).toBeGreaterThan(1500);
  const svg = fs.readFileSync(path.join(root, 'out', 'curves.svg'), 'utf8');
  expect(svg).toContain('>loss</text>');
});
