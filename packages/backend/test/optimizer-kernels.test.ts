import { ADAM_UPDATE, type AdamUpdateAttrs, SGD_UPDATE, type SgdUpdateAttrs } from '@cnn/kernels';
import { describeEachBackend } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { NativeKernelError, WasmKernelInputError } from '../src/index';
import { nativeAddon } from '../src/native/addon';
import type { OptimizerAddon } from '../src/native/kernels/optimizers';
import { runFusedKernel as run } from './fused-kernel-call';

const SGD: SgdUpdateAttrs = { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, initialize: false };
const ADAM: AdamUpdateAttrs = {
  lr: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
  decoupled: false,
  step: 1,
  initialize: true,
};

/** `p - g * lr` in float32, what SGD_UPDATE without momentum or decay writes. */
function sgdExpected(p: number[], g: number[], lr: number): number[] {
  const f = Math.fround;
  return p.map((x, i) => f(x - f(g[i]! * f(lr))));
}

describeEachBackend(
  'fused optimizer kernels',
  (backend) => {
    const errorType = backend === 'native' ? NativeKernelError : WasmKernelInputError;

    it('refuse mismatched shapes, other dtypes and missing state with a typed error naming the kernel', () => {
      const p = tf.variable(tf.zeros([3]));
      const g4 = tf.zeros([4]);
      const gInt = tf.zeros([3], 'int32');
      const g = tf.zeros([3]);
      const m = tf.zeros([2, 2]);
      expect(() => run(SGD_UPDATE, { param: p, grad: g4 }, SGD)).toThrow(errorType);
      expect(() => run(SGD_UPDATE, { param: p, grad: g4 }, SGD)).toThrow(
        /CnnSgdUpdate.*grad has shape \[4\], param has \[3\]/,
      );
      expect(() => run(SGD_UPDATE, { param: p, grad: gInt }, SGD)).toThrow(/CnnSgdUpdate.*grad is int32/);
      expect(() => run(SGD_UPDATE, { param: p, grad: g }, { ...SGD, momentum: 0.9 })).toThrow(
        /CnnSgdUpdate.*momentumBuffer is missing/,
      );
      expect(() => run(ADAM_UPDATE, { param: p, grad: g, expAvg: m, expAvgSq: g }, ADAM)).toThrow(
        /CnnAdamUpdate.*expAvg has shape \[2,2\], param has \[3\]/,
      );
      expect(() => run(ADAM_UPDATE, { param: p, grad: g, expAvg: g4 }, ADAM)).toThrow(errorType);
      expect(Array.from(p.dataSync())).toEqual([0, 0, 0]);
      tf.dispose([p, g4, gInt, g, m]);
    });

    it('write a fresh buffer while storage is shared, then update their own buffer in place', () => {
      const start = [1, -2, 0.5];
      const grad = [0.25, 1, -3];
      const source = tf.tensor1d(start);
      const p: tf.Variable = tf.variable(source); // shares source's buffer
      const buf: tf.Variable = tf.variable(tf.zeros([3]), false);
      const g = tf.tensor1d(grad);
      const attrs = { ...SGD, momentum: 0.5 };
      const step = (initialize: boolean) => {
        const out = run(SGD_UPDATE, { param: p, grad: g, momentumBuffer: buf }, { ...attrs, initialize });
        const inPlace = out.map((info, i) => info.dataId === [p, buf][i]!.dataId);
        out.forEach((info, i) => {
          if (inPlace[i]) return;
          const fresh = tf.engine().makeTensorFromTensorInfo(info);
          [p, buf][i]!.assign(fresh);
          fresh.dispose();
        });
        return inPlace;
      };
      expect(step(true)).toEqual([false, false]);
      expect(Array.from(source.dataSync())).toEqual(start);
      source.dispose();
      // With buf = g on the first step, the update is p - g * lr.
      const once = sgdExpected(start, grad, SGD.lr);
      expect(Array.from(p.dataSync())).toEqual(once);
      // The native kernel now owns both buffers; on wasm the parameter always gets a fresh buffer
      // (XNNPACK keeps packed weights by tensor id), its state is updated in place.
      expect(step(false)).toEqual([backend === 'native', true]);
      // buf = 0.5 * g + g = 1.5 g (exact here), so p moves by 1.5 g * lr.
      const f = Math.fround;
      const twice = once.map((x, i) => f(x - f(f(f(grad[i]! * 0.5) + grad[i]!) * f(SGD.lr))));
      expect(Array.from(p.dataSync())).toEqual(twice);
      tf.dispose([p, buf, g]);
    });

    for (const size of [64, 20_000]) {
      it(`leave the backend's buffers flat over many steps (${size} elements)`, () => {
        const own = (t: tf.Tensor) => {
          const variable = tf.variable(t);
          t.dispose();
          return variable;
        };
        const [p, m, v] = [own(tf.ones([size])), own(tf.zeros([size])), own(tf.zeros([size]))];
        const g = tf.onesLike(p);
        const buffers = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
        const step = (initialize: boolean, t: number) => {
          const out = run(ADAM_UPDATE, { param: p, grad: g, expAvg: m, expAvgSq: v }, { ...ADAM, initialize, step: t });
          [p, m, v].forEach((variable, i) => {
            if (out[i]!.dataId === variable.dataId) return;
            const fresh = tf.engine().makeTensorFromTensorInfo(out[i]!);
            variable.assign(fresh);
            fresh.dispose();
          });
        };
        step(true, 1);
        const after = { ...tf.memory(), buffers: buffers() };
        for (let t = 2; t < 30; t++) step(false, t);
        expect(tf.memory().numTensors).toBe(after.numTensors);
        expect(tf.memory().numBytes).toBe(after.numBytes);
        expect(buffers()).toBe(after.buffers);
        // Adam's first steps move each weight by about lr against the gradient's sign.
        expect(p.dataSync()[size - 1]).toBeCloseTo(1 - 29 * ADAM.lr, 3);
        tf.dispose([p, m, v, g]);
      });
    }

    if (backend === 'native') {
      it('the addon refuses arrays of different lengths with an error, not a crash', () => {
        const addon = nativeAddon() as unknown as OptimizerAddon;
        const a = new Float32Array(4);
        const b = new Float32Array(3);
        expect(() => addon.sgdUpdate(a, b, null, a, null, 0.1, 0, 1, 0, false, false, false)).toThrow(
          /sgdUpdate: grad has 3 elements, param has 4/,
        );
        expect(() =>
          addon.adamUpdate(a, a, a, b, a, a, a, 0.9, 0.1, 0.999, 0.001, 0, false, 1, false, 1, 1e-8, 0.01, true),
        ).toThrow(/adamUpdate: expAvgSq has 3 elements, param has 4/);
      });
    }
  },
  { backends: ['native', 'wasm'] },
);
