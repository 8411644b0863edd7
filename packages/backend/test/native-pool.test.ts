// The native backend's buffer pool: disposed kernel outputs are reused, and never while anything
// (a user's read, a reshape, a slice view, a user's own array) can still see them.
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nativePoolStats, setNativePool } from '../src/index';
import { available, input, skipReason } from './native-helpers';

/** A native kernel output of `n` floats (Add of two fresh tensors), all equal to `v`. */
const filled = (n: number, v: number) => tf.tidy(() => tf.add(tf.fill([n], v - 1), tf.ones([n])));

/** Runs enough same-size native ops that any wrongly recycled buffer gets overwritten. */
function churn(n: number) {
  for (let i = 0; i < 4; i++) filled(n, 1000 + i).dispose();
}

describe.skipIf(!available)(`native buffer pool${skipReason}`, () => {
  beforeEach(() => {
    tf.setBackend('native');
    setNativePool({ enabled: true, copyReads: true });
  });
  afterEach(() => setNativePool({ enabled: true, copyReads: true }));

  it('reuses a disposed output for the next output of the same length', () => {
    filled(777, 1).dispose(); // primes the free list
    const before = nativePoolStats();
    filled(777, 2).dispose();
    const after = nativePoolStats();
    expect(after.reused - before.reused).toBeGreaterThanOrEqual(1);
    expect(after.allocated - before.allocated).toBe(0);
  });

  it('values read with dataSync() and data() before dispose stay intact after later ops', async () => {
    const t = filled(1000, 7);
    const u = filled(1000, 8);
    const sync = t.dataSync();
    const async = await u.data();
    tf.dispose([t, u]);
    churn(1000);
    expect(Array.from(sync).every((v) => v === 7)).toBe(true);
    expect(Array.from(async as Float32Array).every((v) => v === 8)).toBe(true);
  });

  it('with copyReads off, a read buffer escapes and is never reused', () => {
    setNativePool({ copyReads: false });
    const t = filled(1000, 5);
    const escaped = nativePoolStats().escaped;
    const values = t.dataSync();
    expect(nativePoolStats().escaped).toBe(escaped + 1);
    t.dispose();
    churn(1000);
    expect(Array.from(values).every((v) => v === 5)).toBe(true);
  });

  it('a reshape (shared dataId) and a slice (a view of the same buffer) keep the buffer alive', () => {
    const t = filled(1200, 3);
    const r = tf.reshape(t, [30, 40]);
    const s = tf.slice(t, [600], [600]);
    t.dispose();
    churn(1200);
    churn(600);
    expect(Array.from(r.dataSync()).every((v) => v === 3)).toBe(true);
    expect(Array.from(s.dataSync()).every((v) => v === 3)).toBe(true);
    r.dispose();
    churn(1200);
    expect(Array.from(s.dataSync()).every((v) => v === 3)).toBe(true);
    s.dispose();
  });

  it("never pools a user's array written into a tensor", () => {
    const mine = new Float32Array(500).fill(9);
    const t = tf.tensor(mine);
    const before = nativePoolStats().returned;
    t.dispose();
    expect(nativePoolStats().returned).toBe(before);
    churn(500);
    expect(Array.from(mine).every((v) => v === 9)).toBe(true);
  });

  it('turned off, it reuses nothing', () => {
    setNativePool({ enabled: false });
    expect(nativePoolStats()).toMatchObject({ enabled: false, freeBytes: 0 });
    const before = nativePoolStats();
    churn(321);
    expect(nativePoolStats().reused).toBe(before.reused);
    expect(nativePoolStats().allocated - before.allocated).toBe(4);
  });

  it('keeps at most maxBytes on its free lists', () => {
    setNativePool({ maxBytes: 4000 * 4 });
    const dropped = nativePoolStats().dropped;
    tf.dispose([filled(3000, 1), filled(3000, 2)]);
    expect(nativePoolStats().freeBytes).toBeLessThanOrEqual(4000 * 4);
    expect(nativePoolStats().dropped).toBeGreaterThan(dropped);
    setNativePool({ maxBytes: 256 * 2 ** 20 });
  });

  it('rejects bad settings with a TypeError naming the option', () => {
    expect(() => setNativePool({ maxBytes: -1 })).toThrow(
      new TypeError('setNativePool: maxBytes must be a finite number >= 0, got -1'),
    );
    expect(() => setNativePool({ enabled: 'no' as unknown as boolean })).toThrow(/enabled must be a boolean/);
  });

  it('a training step allocates no new buffers in steady state, and tf.memory() stays flat', () => {
    const x = tf.tensor(input([8, 12, 12, 1], 1).values, [8, 12, 12, 1]) as tf.Tensor4D;
    const w1 = tf.variable(tf.mul(tf.tensor(input([3, 3, 1, 4], 2).values, [3, 3, 1, 4]), 0.5));
    const b1 = tf.variable(tf.zeros([4]));
    const w2 = tf.variable(tf.mul(tf.tensor(input([6 * 6 * 4, 3], 3).values, [144, 3]), 0.1));
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
    const step = () => {
      const loss = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const h = tf.relu(tf.add(tf.conv2d(x, w1 as tf.Tensor4D, 1, 'same'), b1));
          const p = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
          const logits = tf.matMul(tf.reshape(p, [8, 144]), w2);
          return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), y), 1))) as tf.Scalar;
        });
        for (const v of [w1, b1, w2]) v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.1)));
        return value;
      });
      const value = loss.dataSync()[0]!;
      loss.dispose();
      return value;
    };
    for (let i = 0; i < 3; i++) step();
    const before = nativePoolStats();
    const tensors = tf.memory().numTensors;
    const losses: number[] = [];
    for (let i = 0; i < 10; i++) losses.push(step());
    const after = nativePoolStats();
    expect(after.allocated - before.allocated).toBe(0);
    expect(after.reused - before.reused).toBeGreaterThan(10 * 10);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(losses[9]!).toBeLessThan(losses[0]!); // the recycled buffers still train
    tf.dispose([x, w1, b1, w2, y]);
  });
});
