import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Adam, CosineAnnealingLR, OneCycleLR, OptimizerError, SGD, StepLR } from '../src';
import extra from './fixtures/torch-extra.json';

const reference = new Map(extra.schedulers.map((s) => [s.name, s]));
const p = tf.variable(tf.zeros([1]));
const sgd = () => new SGD([p], { lr: 0.1, momentum: 0.9 });

function run(opt: SGD, sched: { step(): void; getLastLr(): number[] }, steps: number) {
  const lrs: number[] = [];
  const moms: number[] = [];
  for (let i = 0; i < steps; i++) {
    lrs.push(sched.getLastLr()[0]!);
    moms.push(opt.paramGroups[0]!.options.momentum);
    sched.step();
  }
  return { lrs, moms };
}

function expectClose(actual: number[], expected: number[]) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    expect(a, `index ${i}`).toBeCloseTo(expected[i]!, 10);
  });
}

it('StepLR matches torch', () => {
  const opt = sgd();
  expectClose(run(opt, new StepLR(opt, 3, 0.5), 10).lrs, reference.get('step')!.lr);
});

it('CosineAnnealingLR matches torch (closed form)', () => {
  const opt = sgd();
  const ref = reference.get('cosine')!.lr;
  // torch's recursive form drifts from its closed form past tMax; compare the first period.
  expectClose(run(opt, new CosineAnnealingLR(opt, 6, 0.01), 7).lrs, ref.slice(0, 7));
});

it('OneCycleLR matches torch, including momentum cycling', () => {
  const opt = sgd();
  const { lrs, moms } = run(opt, new OneCycleLR(opt, { maxLr: 1, totalSteps: 20 }), 20);
  expectClose(lrs, reference.get('one-cycle')!.lr);
  expectClose(moms, reference.get('one-cycle')!.momentum);
});

it('OneCycleLR linear, epochs x stepsPerEpoch, no momentum cycling', () => {
  const opt = sgd();
  const sched = new OneCycleLR(opt, {
    maxLr: 0.5,
    epochs: 2,
    stepsPerEpoch: 6,
    pctStart: 0.25,
    annealStrategy: 'linear',
    divFactor: 10,
    finalDivFactor: 100,
    cycleMomentum: false,
  });
  const { lrs, moms } = run(opt, sched, 12);
  expectClose(lrs, reference.get('one-cycle-linear')!.lr);
  expect(new Set(moms)).toEqual(new Set([0.9]));
});

it('OneCycleLR cycles Adam beta1', () => {
  const adam = new Adam([p], { lr: 1 });
  const sched = new OneCycleLR(adam, { maxLr: 1, totalSteps: 20 });
  expect(adam.paramGroups[0]!.options.betas).toEqual([0.95, 0.999]);
  for (let i = 0; i < 5; i++) sched.step();
  expect(adam.paramGroups[0]!.options.betas[0]).toBeCloseTo(0.85, 10);
});

it('scheduler state round-trips', () => {
  const a = sgd();
  const sa = new StepLR(a, 2, 0.1);
  for (let i = 0; i < 5; i++) sa.step();
  const b = sgd();
  const sb = new StepLR(b, 2, 0.1);
  sb.loadStateDict(sa.stateDict());
  expect(sb.getLastLr()).toEqual(sa.getLastLr());
  expect(sb.lastEpoch).toBe(5);
  expect(() => new CosineAnnealingLR(b, 3).loadStateDict(sa.stateDict())).toThrow(
    /cannot load step scheduler state into cosine/,
  );
});

it('rejects bad scheduler options with OptimizerError', () => {
  expect(() => new StepLR(sgd(), 0)).toThrow(OptimizerError);
  expect(() => new StepLR(sgd(), 1.5)).toThrow(/stepSize must be a positive integer, got 1.5/);
  expect(() => new CosineAnnealingLR(sgd(), 0)).toThrow(/tMax must be > 0/);
  expect(() => new OneCycleLR(sgd(), { maxLr: 1 })).toThrow(/totalSteps/);
  expect(() => new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 10, pctStart: 1 })).toThrow(/pctStart/);
  const sched = new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 3 });
  for (let i = 0; i < 3; i++) sched.step();
  expect(() => sched.step()).toThrow(/stepped 5 times but totalSteps is 3/);
});
