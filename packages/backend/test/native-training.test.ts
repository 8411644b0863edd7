// A small conv net trained on the native backend: no tensor leaks, and the same losses as cpu.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, randomFloats } from '@cnn/testing';
import { available, skipReason } from './native-helpers';

function train(backend: string, steps: number): { losses: number[]; tensors: number[] } {
  tf.setBackend(backend);
  const v = (shape: number[], seed: number, scale: number) =>
    tf.variable(
      tf.mul(
        tf.tensor(
          randomFloats(
            shape.reduce((a, b) => a * b, 1),
            seed,
          ),
          shape,
        ),
        scale,
      ),
    );
  const p = {
    w1: v([3, 3, 1, 4], 1, 0.5),
    b1: v([4], 2, 0.1),
    w2: v([3, 3, 4, 6], 3, 0.3),
    b2: v([6], 4, 0.1),
    w3: v([24, 3], 5, 0.2),
    b3: v([3], 6, 0.1),
  };
  const x = tf.tensor(randomFloats(8 * 12 * 12, 7), [8, 12, 12, 1]) as tf.Tensor4D;
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
  const losses: number[] = [];
  const tensors: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        let h = tf.relu(
          tf.maxPool(tf.add(tf.conv2d(x, p.w1 as tf.Tensor4D, 1, 'same'), p.b1) as tf.Tensor4D, 2, 2, 'valid'),
        );
        h = tf.relu(
          tf.maxPool(tf.add(tf.conv2d(h, p.w2 as tf.Tensor4D, 1, 'valid'), p.b2) as tf.Tensor4D, 2, 2, 'valid'),
        );
        const logits = tf.add(tf.matMul(tf.reshape(h, [8, 24]), p.w3), p.b3);
        return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), y), 1))) as tf.Scalar;
      });
      for (const w of Object.values(p)) w.assign(tf.sub(w, tf.mul(grads[w.name]!, 0.1)));
      return value;
    });
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
    tensors.push(tf.memory().numTensors);
  }
  tf.dispose([x, y, ...Object.values(p)]);
  return { losses, tensors };
}

describe.skipIf(!available)(`training on the native backend${skipReason}`, () => {
  it('keeps tf.memory().numTensors flat over 100 SGD steps', () => {
    const { losses, tensors } = train('native', 100);
    expect(new Set(tensors).size).toBe(1);
    expect(losses[99]!).toBeLessThan(losses[0]! * 0.5);
  });

  it('follows the same loss curve as cpu over 20 steps', () => {
    const native = train('native', 20).losses;
    const cpu = train('cpu', 20).losses;
    expectClose(native, cpu, { rtol: 1e-3, atol: 1e-3, what: 'losses' });
  });
});
