// The README's example is this directory's readme-example.ts, shown verbatim, and it runs:
// small-cnn trained on the first 6 400 MNIST digits, tested on 1 000 others.
import { readFileSync } from 'node:fs';
import { useBackend } from '@cnn/backend';
import { loadMnist, subset } from '@cnn/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it, vi } from 'vitest';
import { codeBlocks } from '../../../scripts/readme-blocks';
import { trainRecipe } from './readme-example';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const source = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');

beforeAll(async () => {
  await useBackend('auto', { quiet: true }); // native, else wasm: cpu would take minutes
});

it('shows test/readme-example.ts verbatim as the README example', () => {
  const block = codeBlocks(readme, 'packages/zoo/README.md').find((b) => b.attrs.file === 'train-recipe.ts');
  expect(block?.code).toBe(source);
});

it('trains small-cnn well above chance on a slice of MNIST', { timeout: 300_000 }, async () => {
  const mnist = loadMnist();
  const range = (start: number, n: number) => Uint32Array.from({ length: n }, (_, i) => start + i);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((text: string) => void lines.push(text));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true); // fit's progress
  const before = tf.memory().numTensors;
  let accuracy: number;
  try {
    accuracy = await trainRecipe('small-cnn', subset(mnist.train, range(0, 6400)), subset(mnist.test, range(0, 1000)));
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
  expect(lines[0]).toBe('002 small-cnn: 8,490 parameters');
  expect(accuracy).toBeGreaterThan(50); // chance is 10%; these 50 steps reached 72.3% on the native backend
  expect(accuracy).toBeLessThanOrEqual(100);
  expect(tf.memory().numTensors).toBe(before);
});
