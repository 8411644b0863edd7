// The kernels of every project backend (cpu as tfjs ships it, wasm with our training kernels,
// native oneDNN) against PyTorch's float64 reference values in @cnn/testing's fixtures: every
// case of every conv2d*.json, maxpool2d*.json and linear*.json file, gradients of sum(y * upstream).
import { conv2dCases, describeEachBackend, expectClose, linearCases, maxPool2dCases, tensorOf } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '../src/index';

const conv = conv2dCases();
const pool = maxPool2dCases();
const linear = linearCases();
/** Forward values: float32 against float64 for one op. Gradients sum more terms, hence the larger atol. */
const FORWARD = { rtol: 1e-4, atol: 1e-5 };
const GRADIENT = { rtol: 1e-4, atol: 1e-4 };

describeEachBackend('kernels reproduce the PyTorch fixtures', () => {
  it.each(conv)('$title: conv2d forward, dx, dfilter, dbias', ({ data: c }) => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const [x, f, b, up] = [tensorOf(c.x), tensorOf(c.filter), tensorOf(c.bias), tensorOf(c.upstream)];
      const p = c.padding;
      const pad: [[0, 0], [number, number], [number, number], [0, 0]] = [
        [0, 0],
        [p, p],
        [p, p],
        [0, 0],
      ];
      const forward = (xx: tf.Tensor, ff: tf.Tensor, bb: tf.Tensor) =>
        tf.add(tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.stride, pad), bb);
      const [dx, df, db] = tf.grads((xx: tf.Tensor, ff: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(tf.mul(forward(xx, ff, bb), up)),
      )([x, f, b]);
      expectClose(forward(x, f, b), c.y, { ...FORWARD, what: 'y' });
      expectClose(dx!, c.dx, { ...GRADIENT, what: 'dx' });
      expectClose(df!, c.dfilter, { ...GRADIENT, what: 'dfilter' });
      expectClose(db!, c.dbias, { ...GRADIENT, what: 'dbias' });
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(pool)('$title: maxPool forward and dx', ({ data: c }) => {
    tf.tidy(() => {
      const x = tensorOf(c.x);
      const up = tensorOf(c.upstream);
      const maxPool = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, c.pool, c.stride, 'valid');
      // Pooling selects inputs, so only the float32 rounding of the values remains.
      expectClose(maxPool(x), c.y, { rtol: 1e-6, atol: 1e-6, what: 'y' });
      const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(maxPool(a), up)))(x);
      expectClose(dx, c.dx, { rtol: 1e-6, atol: 1e-6, what: 'dx' });
    });
  });

  it.each(linear)('$title: matMul (plain and fused with bias) forward, dx, dkernel, dbias', ({ data: c }) => {
    tf.tidy(() => {
      const [x, k, b, up] = [tensorOf(c.x), tensorOf(c.kernel), tensorOf(c.bias), tensorOf(c.upstream)];
      const forward = (xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor) => tf.add(tf.matMul(xx, kk), bb);
      const [dx, dk, db] = tf.grads((xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(tf.mul(forward(xx, kk, bb), up)),
      )([x, k, b]);
      expectClose(forward(x, k, b), c.y, { ...FORWARD, what: 'y' });
      const fused = tf.fused.matMul({ a: x as tf.Tensor2D, b: k as tf.Tensor2D, bias: b });
      expectClose(fused, c.y, { ...FORWARD, what: 'fused y' });
      expectClose(dx!, c.dx, { ...FORWARD, what: 'dx' });
      expectClose(dk!, c.dkernel, { ...FORWARD, what: 'dkernel' });
      expectClose(db!, c.dbias, { ...FORWARD, what: 'dbias' });
    });
  });
});
