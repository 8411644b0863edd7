import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { ConfigError, Dropout, dropout, Generator, manualSeed } from '../src/index';

it('zeroes about p of the values and scales the rest by 1/(1-p) in training', () => {
  manualSeed(3);
  const drop = new Dropout(0.25);
  const x = tf.fill([100, 100], 2);
  const y = drop.apply(x);
  const v = y.dataSync();
  const zeros = v.filter((e) => e === 0).length;
  expect(v.every((e) => e === 0 || Math.abs(e - 2 / 0.75) < 1e-6)).toBe(true);
  expect(zeros / v.length).toBeGreaterThan(0.22);
  expect(zeros / v.length).toBeLessThan(0.28);
  tf.dispose([x, y]);
});

it('is the identity in eval mode and reproducible from the generator', () => {
  const x = tf.ones([4, 8]);
  const drop = new Dropout(0.5);
  drop.eval();
  expect(drop.apply(x)).toBe(x);
  const a = dropout(x, 0.5, true, new Generator(9));
  const b = dropout(x, 0.5, true, new Generator(9));
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  const all = dropout(x, 1, true);
  expect(Array.from(all.dataSync()).every((e) => e === 0)).toBe(true);
  expect(dropout(x, 0, true)).toBe(x);
  tf.dispose([x, a, b, all]);
});

it('rejects a probability outside [0, 1]', () => {
  expect(() => new Dropout(1.5)).toThrow(ConfigError);
  expect(() => new Dropout(-0.1)).toThrow('Dropout probability must be in [0, 1], got -0.1');
  expect(() => dropout(tf.ones([1]), 2)).toThrow('dropout probability must be in [0, 1], got 2');
});

it('gradient flows only through kept units', () => {
  const x = tf.ones([10, 10]);
  const g = tf.grad((input: tf.Tensor) => tf.sum(dropout(input, 0.5, true, new Generator(5))))(x);
  const y = dropout(x, 0.5, true, new Generator(5));
  expect(Array.from(g.dataSync())).toEqual(Array.from(y.dataSync()));
  tf.dispose([x, g, y]);
});
