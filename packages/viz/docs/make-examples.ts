/**
 * Makes the README's example images from a real run: trains tutorial 002's model on the
 * embedded MNIST, writes a run directory as the README defines it, renders it with
 * `renderRun`, and copies the small PNGs next to this file.
 *
 *   pnpm --filter @cnn/viz examples [--epochs N] [--run <dir>] [--render-only]   (default runs/example-002)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { useBackend } from '@cnn/backend';
import { batches, loadMnist, normalize, subset } from '@cnn/datasets';
import { saveModel } from '@cnn/layers';
import { crossEntropy, fit, SGD, StepLR } from '@cnn/train';
import { recipe } from '@cnn/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { renderBenchChart, renderRun } from '../src/index';

const { values } = parseArgs({
  options: { epochs: { type: 'string' }, run: { type: 'string' }, 'render-only': { type: 'boolean' } },
});
const epochs = Number(values.epochs ?? 3);
const run = path.resolve(values.run ?? 'runs/example-002');
const docs = path.dirname(new URL(import.meta.url).pathname);

const backend = await useBackend('auto');
tf.enableProdMode();
if (!values['render-only']) await train();

const t0 = performance.now();
const result = await renderRun(run);
console.log(`rendered ${result.files.length} files in ${(performance.now() - t0).toFixed(0)} ms`);
for (const name of ['curves', 'confusion', 'digits', 'mistakes', 'filters', 'feature-maps']) {
  fs.copyFileSync(path.join(result.outDir, `${name}.png`), path.join(docs, `${name}.png`));
}
// The bench chart from the figures recorded in apps/bench/RESULTS.md (2026-11-23).
const bench = await renderBenchChart([
  { model: '000', backend: 'pytorch', trainImgPerSec: 938, inferImgPerSec: 2786 },
  { model: '000', backend: 'native', trainImgPerSec: 835, inferImgPerSec: 3634 },
  { model: '000', backend: 'wasm', trainImgPerSec: 228, inferImgPerSec: 905 },
  { model: '002', backend: 'pytorch', trainImgPerSec: 12316, inferImgPerSec: 25874 },
  { model: '002', backend: 'native', trainImgPerSec: 6984, inferImgPerSec: 24500 },
  { model: '002', backend: 'wasm', trainImgPerSec: 2516, inferImgPerSec: 11780 },
]);
fs.writeFileSync(path.join(docs, 'bench.png'), bench.png);
console.log(`test accuracy ${((result.testAccuracy ?? 0) * 100).toFixed(2)}% (${backend} backend)`);

/** Trains tutorial 002's model (a faster schedule than the tutorial's) and writes the run directory. */
async function train(): Promise<void> {
  fs.rmSync(run, { recursive: true, force: true });
  const mnist = loadMnist();
  const transform = normalize(0.1307, 0.3081);
  const model = recipe('small-cnn').build();
  const optimizer = new SGD(model, { lr: 0.02, momentum: 0.5 });
  const firstTest = subset(
    mnist.test,
    Uint32Array.from({ length: 2000 }, (_, i) => i),
  );
  const started = performance.now();
  await fit(model, {
    optimizer,
    scheduler: new StepLR(optimizer, 1, 0.5),
    loss: crossEntropy,
    epochs,
    train: batches(mnist.train, { batchSize: 64, seed: 1, transform }),
    validate: { data: batches(firstTest, { batchSize: 1000, shuffle: false, transform }), every: 235 },
    logFile: path.join(run, 'metrics.jsonl'),
    logEvery: 10,
  });
  const trainSeconds = (performance.now() - started) / 1000;
  await saveModel(model, path.join(run, 'model'));
  model.dispose();
  const config = {
    title: "Tutorial 002's model on MNIST",
    model: 'tutorial 002 (2 conv, 2 max-pool, 1 linear)',
    optimizer: 'SGD lr 0.02, momentum 0.5; StepLR halves it every epoch',
    epochs,
    batchSize: 64,
    validation: 'first 2 000 test images, every 235 steps',
    backend,
    trainSeconds: Number(trainSeconds.toFixed(1)),
  };
  fs.writeFileSync(path.join(run, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
}
