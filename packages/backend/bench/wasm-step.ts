/**
 * Micro-benchmark of the portable path: one full training step (forward, cross-entropy,
 * gradients, SGD update) and batch-1000 inference of the tutorial models 000 and 002, on the
 * 'wasm' backend with this package's training kernels (and, for comparison, stock `cpu`).
 *
 *   pnpm --filter @cnn/backend bench            # wasm only
 *   pnpm --filter @cnn/backend bench -- --cpu   # also cpu (slow)
 *   pnpm --filter @cnn/backend bench -- --profile  # per-kernel times of one wasm step
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs-core's gradient functions
import { describeBackend, useBackend } from '../src/index';

type Params = Record<string, tf.Variable>;

interface Model {
  id: string;
  batch: number;
  params(): Params;
  forward(p: Params, x: tf.Tensor4D): tf.Tensor2D;
}

function param(shape: number[], fanIn: number): tf.Variable {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.variable(tf.randomUniform(shape, -bound, bound));
}

const p = (ps: Params, name: string): tf.Variable => {
  const v = ps[name];
  if (v === undefined) throw new Error(`no parameter ${name}`);
  return v;
};

/** 000: conv 1->32 5x5 pad 2, relu, pool; conv 32->64 5x5 pad 2, relu, pool; fc 3136->1024->10. */
const basic: Model = {
  id: '000',
  batch: 50,
  params: () => ({
    w1: param([5, 5, 1, 32], 25),
    b1: param([32], 25),
    w2: param([5, 5, 32, 64], 800),
    b2: param([64], 800),
    w3: param([3136, 1024], 3136),
    b3: param([1024], 3136),
    w4: param([1024, 10], 1024),
    b4: param([10], 1024),
  }),
  forward(ps, x) {
    const c1 = tf.maxPool(
      tf.relu(tf.add(tf.conv2d(x, p(ps, 'w1') as tf.Tensor4D, 1, 'same'), p(ps, 'b1')) as tf.Tensor4D),
      2,
      2,
      'valid',
    );
    const c2 = tf.maxPool(
      tf.relu(tf.add(tf.conv2d(c1, p(ps, 'w2') as tf.Tensor4D, 1, 'same'), p(ps, 'b2')) as tf.Tensor4D),
      2,
      2,
      'valid',
    );
    const flat = tf.reshape(c2, [x.shape[0], 3136]);
    const h = tf.relu(tf.add(tf.matMul(flat, p(ps, 'w3')), p(ps, 'b3')));
    return tf.add(tf.matMul(h, p(ps, 'w4')), p(ps, 'b4')) as tf.Tensor2D;
  },
};

/** 002: conv 1->10 5x5 valid, pool, relu; conv 10->20 5x5 valid, pool, relu; fc 320->10. */
const small: Model = {
  id: '002',
  batch: 128,
  params: () => ({
    w1: param([5, 5, 1, 10], 25),
    b1: param([10], 25),
    w2: param([5, 5, 10, 20], 250),
    b2: param([20], 250),
    w3: param([320, 10], 320),
    b3: param([10], 320),
  }),
  forward(ps, x) {
    const c1 = tf.relu(
      tf.maxPool(
        tf.add(tf.conv2d(x, p(ps, 'w1') as tf.Tensor4D, 1, 'valid'), p(ps, 'b1')) as tf.Tensor4D,
        2,
        2,
        'valid',
      ),
    );
    const c2 = tf.relu(
      tf.maxPool(
        tf.add(tf.conv2d(c1, p(ps, 'w2') as tf.Tensor4D, 1, 'valid'), p(ps, 'b2')) as tf.Tensor4D,
        2,
        2,
        'valid',
      ),
    );
    return tf.add(tf.matMul(tf.reshape(c2, [x.shape[0], 320]), p(ps, 'w3')), p(ps, 'b3')) as tf.Tensor2D;
  },
};

function trainStep(model: Model, ps: Params, x: tf.Tensor4D, labels: tf.Tensor2D): void {
  tf.tidy(() => {
    const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, model.forward(ps, x)) as tf.Scalar);
    for (const v of Object.values(ps)) {
      const g = grads[v.name];
      if (g !== undefined) v.assign(tf.sub(v, tf.mul(g, 0.01)));
    }
  });
}

async function timeLoop(seconds: number, fn: () => void): Promise<number> {
  for (let i = 0; i < 3; i++) fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    fn();
    n++;
  }
  return (performance.now() - start) / 1000 / n;
}

async function run(model: Model, seconds: number, profile: boolean): Promise<void> {
  const ps = model.params();
  const x = tf.randomNormal([model.batch, 28, 28, 1]) as tf.Tensor4D;
  const labels = tf.oneHot(tf.randomUniform([model.batch], 0, 10, 'int32') as tf.Tensor1D, 10) as tf.Tensor2D;
  const before = tf.memory().numTensors;
  const step = await timeLoop(seconds, () => trainStep(model, ps, x, labels));
  const leaked = tf.memory().numTensors - before;
  const xi = tf.randomNormal([1000, 28, 28, 1]) as tf.Tensor4D;
  const infer = await timeLoop(seconds / 2, () => {
    tf.tidy(() => model.forward(ps, xi)).dataSync();
  });
  console.log(
    `${tf.getBackend()} ${model.id}: train ${(model.batch / step).toFixed(0)} img/s (batch ${model.batch}, ` +
      `${(step * 1000).toFixed(1)} ms/step), infer ${(1000 / infer).toFixed(0)} img/s (batch 1000), ` +
      `tensors leaked/step loop: ${leaked}`,
  );
  if (profile) {
    const info = await tf.profile(() => trainStep(model, ps, x, labels));
    const byKernel = new Map<string, number>();
    for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
    const rows = [...byKernel.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
    for (const [name, ms] of rows) console.log(`  ${name.padEnd(24)} ${ms.toFixed(1)} ms`);
  }
  tf.dispose([x, labels, xi, ...Object.values(ps)]);
}

const args = process.argv.slice(2);
const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const backends = args.includes('--cpu') ? (['wasm', 'cpu'] as const) : (['wasm'] as const);
for (const name of backends) {
  await useBackend(name, { quiet: true });
  console.log(`backend: ${describeBackend()}`);
  for (const model of [basic, small]) await run(model, seconds, args.includes('--profile'));
}
