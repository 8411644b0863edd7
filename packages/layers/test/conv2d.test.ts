import { describeEachBackend, expectClose, conv2dCases, shapeOf, tensorOf } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect, it } from 'vitest';
import { Conv2d, ShapeError } from '../src/index';

const cases = conv2dCases();

describeEachBackend('Conv2d matches PyTorch', () => {
  let conv: Conv2d | undefined;
  afterEach(() => conv?.dispose());

  it.each(cases)('$title: forward, dx, dfilter, dbias', ({ data: c }) => {
    const [kh, kw, cin, cout] = shapeOf(c.filter) as [number, number, number, number];
    conv = new Conv2d(cin, cout, [kh, kw], { stride: c.stride, padding: c.padding });
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      conv?.loadStateDict({ weight: tensorOf(c.filter), bias: tensorOf(c.bias) });
      const x = tensorOf(c.x);
      const up = tensorOf(c.upstream);
      const layer = conv as Conv2d;
      expectClose(layer.apply(x), c.y, { what: 'y' });
      const f = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input), up));
      expectClose(tf.grad(f)(x), c.dx, { what: 'dx' });
      const { grads } = tf.variableGrads(() => f(x) as tf.Scalar, [layer.weight, layer.bias as tf.Variable]);
      expectClose(grads[layer.weight.name] as tf.Tensor, c.dfilter, { what: 'dfilter' });
      expectClose(grads[(layer.bias as tf.Variable).name] as tf.Tensor, c.dbias, { what: 'dbias' });
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});

it('computes output sizes like torch (floor) and names the layer in shape errors', () => {
  const conv = new Conv2d(3, 8, 3, { stride: 2, padding: 1 });
  expect(conv.outputSize(9, 9)).toEqual([5, 5]);
  expect(conv.outputSize(28, 28)).toEqual([14, 14]);
  const y = tf.tidy(() => conv.apply(tf.zeros([2, 9, 9, 3])).shape);
  expect(y).toEqual([2, 5, 5, 8]);
  expect(() => conv.apply(tf.zeros([2, 3, 9, 9]))).toThrow(
    /Conv2d expected 3 input channels \(last axis, NHWC\) but the input \[N, 3, 9, 9\] has 9\. It looks like NCHW/,
  );
  expect(() => conv.apply(tf.zeros([2, 243]))).toThrow(ShapeError);
  expect(() => conv.apply(tf.zeros([2, 243]))).toThrow(
    /expects a 4-D NHWC input \[N, H, W, 3\] but got 2-D \[N, 243\]/,
  );
  const big = new Conv2d(1, 1, 5);
  expect(() => big.apply(tf.zeros([1, 4, 4, 1]))).toThrow(/needs a larger input than 4x4/);
  conv.dispose();
  big.dispose();
});

it("supports padding 'same' and 'valid' and rejects bad arguments", () => {
  const same = new Conv2d(2, 4, 5, { padding: 'same', bias: false });
  expect(same.bias).toBeNull();
  expect(same.parameters()).toHaveLength(1);
  expect(tf.tidy(() => same.apply(tf.ones([1, 7, 7, 2])).shape)).toEqual([1, 7, 7, 4]);
  const valid = new Conv2d(2, 4, [3, 1], { padding: 'valid' });
  expect(tf.tidy(() => valid.apply(tf.ones([1, 7, 7, 2])).shape)).toEqual([1, 5, 7, 4]);
  expect(() => new Conv2d(2, 4, 3, { padding: 'same', stride: 2 })).toThrow(/'same' needs stride 1/);
  expect(() => new Conv2d(0, 4, 3)).toThrow(/Conv2d inChannels must be a positive integer, got 0/);
  expect(() => new Conv2d(2, 4, 3, { padding: -1 })).toThrow(/Conv2d padding must be a non-negative integer/);
  expect(same.describe()).toBe("Conv2d(2, 4, kernel_size=(5, 5), stride=(1, 1), padding='same', bias=False)");
  same.dispose();
  valid.dispose();
});
