// The tutorial models 000 and 002 written with plain tf ops (NHWC), for the kernel benchmarks.
import * as tf from '@tensorflow/tfjs-core';

export type Params = Record<string, tf.Variable>;

export interface BenchModel {
  id: string;
  batch: number;
  params(): Params;
  forward(p: Params, x: tf.Tensor4D, training: boolean): tf.Tensor2D;
}

function uniform(shape: number[], fanIn: number): tf.Variable {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.variable(tf.randomUniform(shape, -bound, bound, 'float32', 1));
}

const conv = (x: tf.Tensor4D, w: tf.Variable, b: tf.Variable, pad: 'same' | 'valid') =>
  tf.add(tf.conv2d(x, w as tf.Tensor4D, 1, pad), b) as tf.Tensor4D;
const pool = (x: tf.Tensor4D) => tf.maxPool(x, 2, 2, 'valid');
const dense = (x: tf.Tensor2D, w: tf.Variable, b: tf.Variable) =>
  tf.add(tf.matMul(x, w as tf.Tensor2D), b) as tf.Tensor2D;

/** 000: conv 1→32 5x5 same, pool, relu, conv 32→64 5x5 same, pool, relu, fc 3136→1024, relu, dropout, fc 1024→10. */
export const basic: BenchModel = {
  id: '000',
  batch: 50,
  params: () => ({
    w1: uniform([5, 5, 1, 32], 25),
    b1: uniform([32], 25),
    w2: uniform([5, 5, 32, 64], 800),
    b2: uniform([64], 800),
    w3: uniform([3136, 1024], 3136),
    b3: uniform([1024], 3136),
    w4: uniform([1024, 10], 1024),
    b4: uniform([10], 1024),
  }),
  forward(p, x, training) {
    let h = tf.relu(pool(conv(x, p.w1!, p.b1!, 'same')));
    h = tf.relu(pool(conv(h, p.w2!, p.b2!, 'same')));
    let f = tf.relu(dense(tf.reshape(h, [x.shape[0], 3136]), p.w3!, p.b3!));
    if (training) f = tf.dropout(f, 0.5) as tf.Tensor2D;
    return tf.logSoftmax(dense(f, p.w4!, p.b4!));
  },
};

/** 002: conv 1→10 5x5 valid, pool, relu, conv 10→20 5x5 valid, pool, relu, fc 320→10. */
export const small: BenchModel = {
  id: '002',
  batch: 128,
  params: () => ({
    w1: uniform([5, 5, 1, 10], 25),
    b1: uniform([10], 25),
    w2: uniform([5, 5, 10, 20], 250),
    b2: uniform([20], 250),
    w3: uniform([320, 10], 320),
    b3: uniform([10], 320),
  }),
  forward(p, x) {
    let h = tf.relu(pool(conv(x, p.w1!, p.b1!, 'valid')));
    h = tf.relu(pool(conv(h, p.w2!, p.b2!, 'valid')));
    return tf.logSoftmax(dense(tf.reshape(h, [x.shape[0], 320]), p.w3!, p.b3!));
  },
};

/** One SGD step: mean NLL of log-probabilities, tf.variableGrads, w -= lr * g. Returns the loss. */
export function trainStep(model: BenchModel, p: Params, x: tf.Tensor4D, oneHot: tf.Tensor2D, lr = 0.01): number {
  const loss = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(
      () => tf.neg(tf.mean(tf.sum(tf.mul(model.forward(p, x, true), oneHot), 1))) as tf.Scalar,
    );
    for (const w of Object.values(p)) w.assign(tf.sub(w, tf.mul(grads[w.name]!, lr)));
    return value;
  });
  const v = loss.dataSync()[0]!;
  loss.dispose();
  return v;
}
