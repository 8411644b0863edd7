import type { TensorInfo } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type AdamUpdateAttrs, adamScalars, sgdScalars, updateInputsProblem } from '../src';

const info = (shape: number[], dtype: TensorInfo['dtype'] = 'float32'): TensorInfo => ({ dataId: {}, shape, dtype });

describe('optimizer update constants', () => {
  it('round each scalar as tfjs rounds the composite path’s scalars (JS double, then float32)', () => {
    const f = Math.fround;
    const s = sgdScalars({
      lr: 0.1,
      momentum: 0.9,
      dampening: 0.3,
      weightDecay: 0,
      nesterov: false,
      initialize: false,
    });
    expect(s).toEqual({
      lr: f(0.1),
      momentum: f(0.9),
      oneMinusDampening: f(0.7),
      weightDecay: 0,
      applyWeightDecay: false,
    });
    const attrs: AdamUpdateAttrs = {
      lr: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0.01,
      decoupled: true,
      step: 3,
      initialize: false,
    };
    const a = adamScalars(attrs);
    expect(a.stepSize).toBe(f(1e-3 / (1 - 0.9 ** 3)));
    expect(a.biasCorrection2Sqrt).toBe(f(Math.sqrt(1 - 0.999 ** 3)));
    expect(a.decayFactor).toBe(f(1 - 1e-3 * 0.01));
    expect([a.applyDecay, a.applyL2]).toEqual([true, false]);
    expect(adamScalars({ ...attrs, decoupled: false })).toMatchObject({
      applyDecay: false,
      applyL2: true,
      l2: f(0.01),
    });
    expect(adamScalars({ ...attrs, weightDecay: 0 })).toMatchObject({ applyDecay: false, applyL2: false });
  });

  it('name the first problem of an update’s inputs', () => {
    const required = ['param', 'grad', 'expAvg'];
    expect(updateInputsProblem({ param: info([2, 3]), grad: info([2, 3]), expAvg: info([2, 3]) }, required)).toBe(
      undefined,
    );
    expect(updateInputsProblem({ param: info([2, 3]), grad: info([2, 3]) }, required)).toBe('input expAvg is missing');
    expect(updateInputsProblem({ param: info([2, 3]), grad: info([3, 2]), expAvg: info([2, 3]) }, required)).toBe(
      'grad has shape [3,2], param has [2,3]',
    );
    expect(updateInputsProblem({ param: info([6]), grad: info([6], 'int32'), expAvg: info([6]) }, required)).toBe(
      'grad is int32 (expected float32)',
    );
  });
});
