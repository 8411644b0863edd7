/**
 * Native kernel benchmark: the main kernels on the tutorial shapes, then a full training step
 * (forward, NLL, gradients, SGD) and batch-1000 inference of models 000 and 002.
 *
 *   pnpm --filter @cnn/backend bench:native              # native only
 *   pnpm --filter @cnn/backend bench:native -- --cpu     # also the cpu backend (slow)
 *   pnpm --filter @cnn/backend bench:native -- --profile # per-kernel time of one native step
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs-core's gradient functions
import { nativeStatus, registerNativeBackend } from '../src/index';
import { type BenchModel, basic, small, trainStep } from './models';

const args = process.argv.slice(2);
const backends = args.includes('--cpu') ? ['native', 'cpu'] : ['native'];

/**
 * Best time of one call over repeated runs (at least `minMs` of them, at least 5 calls): the best
 * run is what the machine does when nothing else competes for its cores.
 */
function time(fn: () => void, minMs = 300): number {
  fn();
  let best = Number.POSITIVE_INFINITY;
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs || n < 5) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
    n++;
  }
  return best;
}

function kernels() {
  const x1 = tf.randomNormal([50, 28, 28, 1]) as tf.Tensor4D;
  const w1 = tf.randomNormal([5, 5, 1, 32]) as tf.Tensor4D;
  const x2 = tf.randomNormal([50, 14, 14, 32]) as tf.Tensor4D;
  const w2 = tf.randomNormal([5, 5, 32, 64]) as tf.Tensor4D;
  const dy2 = tf.randomNormal([50, 14, 14, 64]) as tf.Tensor4D;
  const c1 = tf.randomNormal([50, 28, 28, 32]) as tf.Tensor4D;
  const f = tf.randomNormal([50, 3136]) as tf.Tensor2D;
  const w3 = tf.randomNormal([3136, 1024]) as tf.Tensor2D;
  const g3 = tf.randomNormal([50, 1024]) as tf.Tensor2D;
  const b1 = tf.randomNormal([32]);
  const cases: [string, () => tf.Tensor][] = [
    ['conv2d 50x28x28x1 * 5x5x1x32', () => tf.conv2d(x1, w1, 1, 'same')],
    ['conv2d 50x14x14x32 * 5x5x32x64', () => tf.conv2d(x2, w2, 1, 'same')],
    ['conv2dBackpropInput 32<-64', () => tf.conv2dTranspose(dy2, w2, [50, 14, 14, 32], 1, 'same')],
    [
      'conv2dBackpropFilter 32->64',
      () => tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(x2, w as tf.Tensor4D, 1, 'same')))(w2),
    ],
    ['matMul 50x3136 * 3136x1024', () => tf.matMul(f, w3)],
    ['matMul dW 3136x50 * 50x1024 (tA)', () => tf.matMul(f, g3, true, false)],
    ['matMul dX 50x1024 * 1024x3136 (tB)', () => tf.matMul(g3, w3, false, true)],
    ['maxPool 50x28x28x32', () => tf.maxPool(c1, 2, 2, 'valid')],
    ['add bias 50x28x28x32 + 32', () => tf.add(c1, b1)],
    ['relu 50x28x28x32', () => tf.relu(c1)],
    ['sum over batch 50x28x28x32 -> 32', () => tf.sum(c1, [0, 1, 2])],
    ['mean over batch 50x28x28x32 -> 32', () => tf.mean(c1, [0, 1, 2])],
    ['tile 1x1x1x32 -> 50x28x28x32', () => tf.tile(tf.reshape(b1, [1, 1, 1, 32]), [50, 28, 28, 1])],
    ['batchNorm 50x28x28x32', () => tf.batchNorm(c1, b1, tf.abs(b1), b1, b1, 1e-5)],
    ['sqrt 3136x1024', () => tf.sqrt(tf.abs(w3))],
  ];
  for (const [name, fn] of cases) {
    const ms = time(() => tf.tidy(() => void fn().dataSync()), 200);
    console.log(`  ${name.padEnd(40)} ${ms.toFixed(2).padStart(8)} ms`);
  }
  tf.dispose([x1, w1, x2, w2, dy2, c1, f, w3, g3, b1]);
}

function images(batch: number) {
  const x = tf.randomUniform([batch, 28, 28, 1]) as tf.Tensor4D;
  const labels = tf.randomUniform([batch], 0, 10, 'int32');
  const oneHot = tf.cast(tf.oneHot(labels, 10), 'float32') as tf.Tensor2D;
  labels.dispose();
  return { x, oneHot };
}

async function model(m: BenchModel, backend: string) {
  const p = m.params();
  const { x, oneHot } = images(m.batch);
  const ms = time(() => trainStep(m, p, x, oneHot), backend === 'cpu' ? 1 : 3000);
  const xi = tf.randomUniform([1000, 28, 28, 1]) as tf.Tensor4D;
  const inferMs = time(() => tf.tidy(() => void m.forward(p, xi, false).dataSync()), backend === 'cpu' ? 1 : 2000);
  console.log(
    `  model ${m.id} train batch ${m.batch}: ${ms.toFixed(1)} ms/step = ${((m.batch * 1000) / ms).toFixed(0)} img/s;` +
      ` inference batch 1000: ${inferMs.toFixed(1)} ms = ${(1e6 / inferMs).toFixed(0)} img/s`,
  );
  if (args.includes('--profile') && backend === 'native') await profile(m, p, x, oneHot);
  tf.dispose([x, oneHot, xi, ...Object.values(p)]);
}

/** Kernel time per step, by kernel, averaged over 10 steps (tf.profile). */
async function profile(m: BenchModel, p: ReturnType<BenchModel['params']>, x: tf.Tensor4D, oneHot: tf.Tensor2D) {
  const steps = 10;
  const info = await tf.profile(() => {
    for (let i = 0; i < steps; i++) trainStep(m, p, x, oneHot);
  });
  const by = new Map<string, number>();
  for (const k of info.kernels) by.set(k.name, (by.get(k.name) ?? 0) + (k.kernelTimeMs as number) / steps);
  const rows = [...by].sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((s, r) => s + r[1], 0);
  console.log(`  profile of model ${m.id}: ${total.toFixed(1)} ms per step in kernels (mean of ${steps} steps)`);
  for (const [name, ms] of rows.slice(0, 12)) console.log(`    ${name.padEnd(28)} ${ms.toFixed(2).padStart(8)} ms`);
}

async function main() {
  const status = nativeStatus();
  if (!status.available || !registerNativeBackend()) {
    console.log(`native backend unavailable: ${(status as { reason: string }).reason}`);
    return;
  }
  console.log(`native: ${status.library}`);
  for (const backend of backends) {
    await tf.setBackend(backend);
    console.log(`backend ${backend}`);
    kernels();
    for (const m of [basic, small]) await model(m, backend);
  }
}

await main();
