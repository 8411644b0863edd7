// The native kernels against PyTorch's float64 reference values in /work/shared/fixtures.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { available, expectClose, skipReason } from './native-helpers';

const FIXTURES = new URL('../../../../shared/fixtures/', import.meta.url);
type Nested = number | Nested[];
const cases = (name: string) =>
  (JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as { cases: Record<string, Nested>[] }).cases;
const t = (v: Nested | undefined) => tf.tensor(v as number[]);
const flat = (v: Nested | undefined) => (v as number[]).flat(Infinity as 1) as number[];
const TOL = 1e-4;

describe.skipIf(!available)(`native backend reproduces the PyTorch fixtures${skipReason}`, () => {
  it('conv2d.json: forward, dx, dfilter, dbias', async () => {
    await tf.setBackend('native');
    for (const c of cases('conv2d.json')) {
      tf.tidy(() => {
        const [x, f, b, up] = [t(c.x) as tf.Tensor4D, t(c.filter) as tf.Tensor4D, t(c.bias), t(c.upstream)];
        const p = c.padding as number;
        const pad: [[number, number], [number, number], [number, number], [number, number]] = [
          [0, 0],
          [p, p],
          [p, p],
          [0, 0],
        ];
        const forward = (xx: tf.Tensor, ff: tf.Tensor, bb: tf.Tensor) =>
          tf.add(tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.stride as number, pad), bb);
        const [dx, df, db] = tf.grads((xx: tf.Tensor, ff: tf.Tensor, bb: tf.Tensor) =>
          tf.sum(tf.mul(forward(xx, ff, bb), up)),
        )([x, f, b]);
        expectClose(forward(x, f, b).dataSync(), flat(c.y), TOL);
        expectClose(dx!.dataSync(), flat(c.dx), TOL);
        expectClose(df!.dataSync(), flat(c.dfilter), TOL);
        expectClose(db!.dataSync(), flat(c.dbias), TOL);
      });
    }
  });

  it('maxpool2d.json: forward and dx', async () => {
    await tf.setBackend('native');
    for (const c of cases('maxpool2d.json')) {
      tf.tidy(() => {
        const pool = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, c.pool as number, c.stride as number, 'valid');
        expectClose(pool(t(c.x)).dataSync(), flat(c.y), TOL);
        const up = t(c.upstream);
        expectClose(
          tf
            .grad((a: tf.Tensor) => tf.sum(tf.mul(pool(a), up)))(t(c.x))
            .dataSync(),
          flat(c.dx),
          TOL,
        );
      });
    }
  });

  it('linear.json: forward, dx, dkernel, dbias', async () => {
    await tf.setBackend('native');
    for (const c of cases('linear.json')) {
      tf.tidy(() => {
        const [x, k, b, up] = [t(c.x), t(c.kernel), t(c.bias), t(c.upstream)];
        const forward = (xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor) => tf.add(tf.matMul(xx, kk), bb);
        const [dx, dk, db] = tf.grads((xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor) =>
          tf.sum(tf.mul(forward(xx, kk, bb), up)),
        )([x, k, b]);
        expectClose(forward(x, k, b).dataSync(), flat(c.y), TOL);
        expectClose(tf.fused.matMul({ a: x as tf.Tensor2D, b: k as tf.Tensor2D, bias: b }).dataSync(), flat(c.y), TOL);
        expectClose(dx!.dataSync(), flat(c.dx), TOL);
        expectClose(dk!.dataSync(), flat(c.dkernel), TOL);
        expectClose(db!.dataSync(), flat(c.dbias), TOL);
      });
    }
  });
});
