import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../src/index';
import { expectClose, fixture, flat } from './wasm-helpers';

type Nested = number | Nested[];

interface ConvFixture {
  cases: {
    stride: number;
    padding: number;
    x: Nested;
    filter: Nested;
    bias: number[];
    y: Nested;
    upstream: Nested;
    dx: Nested;
    dfilter: Nested;
    dbias: number[];
  }[];
}

interface PoolFixture {
  cases: { pool: number; stride: number; x: Nested; y: Nested; upstream: Nested; dx: Nested }[];
}

interface LinearFixture {
  cases: {
    x: Nested;
    kernel: Nested;
    bias: number[];
    y: Nested;
    upstream: Nested;
    dx: Nested;
    dkernel: Nested;
    dbias: number[];
  }[];
}

const t = (x: Nested): tf.Tensor => tf.tensor(x as number[]);

beforeAll(async () => {
  await useBackend('wasm');
});

describe('wasm training kernels against the PyTorch fixtures', () => {
  it('conv2d.json: forward, dx, dfilter, dbias', async () => {
    const { cases } = fixture<ConvFixture>('conv2d.json');
    expect(cases.length).toBe(4);
    for (const [i, c] of cases.entries()) {
      const [y, dx, dfilter, dbias] = tf.tidy(() => {
        const pad = [
          [0, 0],
          [c.padding, c.padding],
          [c.padding, c.padding],
          [0, 0],
        ] as [[0, 0], [number, number], [number, number], [0, 0]];
        const up = t(c.upstream);
        const forward = (x: tf.Tensor, f: tf.Tensor, b: tf.Tensor) =>
          tf.add(tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, pad), b);
        const grads = tf.grads((x: tf.Tensor, f: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(forward(x, f, b), up)));
        const args = [t(c.x), t(c.filter), tf.tensor1d(c.bias)];
        return [forward(args[0]!, args[1]!, args[2]!), ...grads(args)];
      });
      expectClose(await y!.data(), flat(c.y), 1e-4, 1e-5, `case ${i} y`);
      expectClose(await dx!.data(), flat(c.dx), 1e-4, 1e-4, `case ${i} dx`);
      expectClose(await dfilter!.data(), flat(c.dfilter), 1e-4, 1e-4, `case ${i} dfilter`);
      expectClose(await dbias!.data(), c.dbias, 1e-4, 1e-4, `case ${i} dbias`);
      tf.dispose([y!, dx!, dfilter!, dbias!]);
    }
  });

  it('maxpool2d.json: forward and dx', async () => {
    const { cases } = fixture<PoolFixture>('maxpool2d.json');
    expect(cases.length).toBe(2);
    for (const [i, c] of cases.entries()) {
      const [y, dx] = tf.tidy(() => {
        const pool = (x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, c.pool, c.stride, 'valid');
        const up = t(c.upstream);
        return [pool(t(c.x)), tf.grad((x: tf.Tensor) => tf.sum(tf.mul(pool(x), up)))(t(c.x))];
      });
      expectClose(await y!.data(), flat(c.y), 1e-6, 1e-6, `case ${i} y`);
      expectClose(await dx!.data(), flat(c.dx), 1e-6, 1e-6, `case ${i} dx`);
      tf.dispose([y!, dx!]);
    }
  });

  it('linear.json: forward, dx, dkernel, dbias', async () => {
    const { cases } = fixture<LinearFixture>('linear.json');
    expect(cases.length).toBe(2);
    for (const [i, c] of cases.entries()) {
      const [y, dx, dkernel, dbias] = tf.tidy(() => {
        const up = t(c.upstream);
        const forward = (x: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => tf.add(tf.matMul(x, k), b);
        const grads = tf.grads((x: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(forward(x, k, b), up)));
        const args = [t(c.x), t(c.kernel), tf.tensor1d(c.bias)];
        return [forward(args[0]!, args[1]!, args[2]!), ...grads(args)];
      });
      expectClose(await y!.data(), flat(c.y), 1e-4, 1e-5, `case ${i} y`);
      expectClose(await dx!.data(), flat(c.dx), 1e-4, 1e-5, `case ${i} dx`);
      expectClose(await dkernel!.data(), flat(c.dkernel), 1e-4, 1e-5, `case ${i} dkernel`);
      expectClose(await dbias!.data(), c.dbias, 1e-4, 1e-5, `case ${i} dbias`);
      tf.dispose([y!, dx!, dkernel!, dbias!]);
    }
  });
});
