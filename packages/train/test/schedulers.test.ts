import '@tensorflow/tfjs-backend-cpu';
import { expectClose, fixtureCases } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Adam, CosineAnnealingLR, OneCycleLR, OptimizerError, SGD, StepLR } from '../src';
import { optimizerFromTorch, schedulerFromTorch, type TorchConfig } from './torch-configs';

/** A schedule: lr and momentum seen before each step of an SGD optimizer driven by the scheduler. */
interface ScheduleCase {
  name: string;
  optimizer: TorchConfig;
  scheduler: TorchConfig;
  lr: number[];
  momentum: number[];
}
const schedules = fixtureCases<ScheduleCase>(
  'torch-extra',
  { required: ['name', 'optimizer', 'scheduler', 'lr', 'momentum'] },
  { list: 'schedulers', fileFields: { required: ['optimizers', 'schedulers'], optional: ['description'] } },
);
const p = tf.variable(tf.zeros([1]));
const sgd = () => new SGD([p], { lr: 0.1, momentum: 0.9 });

it.each(schedules)('$title ($data.name): lr and momentum before each step match torch', ({ file, index, data: c }) => {
  expect(c.momentum).toHaveLength(c.lr.length);
  const opt = optimizerFromTorch(file, `schedulers[${index}].optimizer`, c.optimizer, [p]) as SGD;
  const sched = schedulerFromTorch(file, `schedulers[${index}].scheduler`, c.scheduler, opt);
  const lrs: number[] = [];
  const moms: number[] = [];
  for (let i = 0; i < c.lr.length; i++) {
    lrs.push(sched.getLastLr()[0]!);
    moms.push(opt.paramGroups[0]!.options.momentum);
    sched.step();
  }
  expectClose(lrs, c.lr, { rtol: 1e-9, atol: 1e-12, what: 'lr' });
  expectClose(moms, c.momentum, { rtol: 1e-9, atol: 1e-12, what: 'momentum' });
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
