import '@tensorflow/tfjs-backend-cpu';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it, vi } from 'vitest';
import { codeBlocks } from '../../../scripts/readme-blocks';
import { manualSeed } from '../src/index';
import { Net, publish } from './readme-example';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const source = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');
const root = mkdtempSync(join(tmpdir(), 'cnn-layers-readme-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const blocks = codeBlocks(readme, 'packages/layers/README.md');

it('shows test/readme-example.ts verbatim as the README example (the block `ts file=net.ts`)', () => {
  expect(blocks.find((b) => b.attrs.file === 'net.ts')?.code).toBe(source);
});

it('runs the README example: summary table, save/load round trip, browser export', async () => {
  manualSeed(1);
  const net = new Net();
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
  let again: Net;
  try {
    again = await publish(net, root);
  } finally {
    log.mockRestore();
  }
  // the table the README shows is the one summary() prints
  expect(printed).toHaveLength(1);
  expect(blocks.find((b) => b.lang === 'text')?.code).toBe(`${printed[0]}\n`);
  expect(printed[0]).toContain('Total params: 3,274,634');

  const web = JSON.parse(readFileSync(join(root, 'net-web', 'model.json'), 'utf8'));
  expect(web.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual([
    'Conv2D',
    'MaxPooling2D',
    'Activation',
    'Conv2D',
    'MaxPooling2D',
    'Activation',
    'Flatten',
    'Dense',
    'Activation',
    'Dropout',
    'Dense',
    'Activation',
  ]);
  expect(existsSync(join(root, 'net-web', 'weights.bin'))).toBe(true);
  expect(readFileSync(join(root, 'net', 'weights.bin')).byteLength).toBe(3_274_634 * 4);

  net.eval();
  again.eval();
  const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 7);
  const [a, b] = tf.tidy(() => [net.apply(x), again.apply(x)]);
  expect(Array.from(b?.dataSync() ?? [])).toEqual(Array.from(a?.dataSync() ?? []));
  expect(again.fc1.weight).not.toBe(net.fc1.weight);
  tf.dispose([x, a, b]);
  net.dispose();
  again.dispose();
});
