import { describeEachBackend, expectClose, fixtureCases } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Adam, AdamW, OptimizerError, SGD } from '../src';
import { optimizerFromTorch, type TorchConfig } from './torch-configs';

/** An optimizer trajectory: one parameter vector, the gradient of each step and the parameter after it. */
interface Case {
  config: TorchConfig;
  param_initial: number[];
  grads: number[][];
  param_after_each_step: number[][];
}
const fields = { required: ['config', 'param_initial', 'grads', 'param_after_each_step'] };
const cases = [
  ...fixtureCases<Case>('optimizers', fields),
  ...fixtureCases<Case>('torch-extra', fields, {
    list: 'optimizers',
    fileFields: { required: ['optimizers', 'schedulers'], optional: ['description'] },
  }),
];

describeEachBackend('optimizers follow PyTorch trajectories', () => {
  for (const { file, title, index, data: c } of cases) {
    it(`${title}: ${JSON.stringify(c.config)}`, () => {
      expect(c.grads).toHaveLength(c.param_after_each_step.length);
      const p = tf.variable(tf.tensor1d(c.param_initial));
      const opt = optimizerFromTorch(file, `[${index}].config`, c.config, [p]);
      c.grads.forEach((g, i) => {
        const grad = tf.tensor1d(g);
        opt.step({ [p.name]: grad });
        grad.dispose();
        expectClose(p, c.param_after_each_step[i]!, { rtol: 1e-4, atol: 1e-6, what: `step ${i + 1}` });
      });
      opt.dispose();
      p.dispose();
    });
  }

  it('keeps the tensor count flat over 200 steps (SGD momentum and Adam)', () => {
    const p = tf.variable(tf.ones([5, 3]));
    const q = tf.variable(tf.ones([3]));
    for (const opt of [new SGD([p, q], { lr: 0.01, momentum: 0.9, weightDecay: 1e-4 }), new AdamW([p, q], {})]) {
      const step = () => {
        const grads = { [p.name]: tf.onesLike(p), [q.name]: tf.onesLike(q) };
        opt.step(grads);
        tf.dispose(Object.values(grads));
      };
      step();
      const after1 = tf.memory().numTensors;
      for (let i = 0; i < 200; i++) step();
      expect(tf.memory().numTensors).toBe(after1);
      opt.dispose();
    }
    tf.dispose([p, q]);
  });

  it('state dict round-trips: a restored optimizer continues identically', () => {
    const make = () => tf.variable(tf.tensor1d([1, -2, 3]));
    const [a, b] = [make(), make()];
    const optA = new Adam([['w', a]], { lr: 0.1, weightDecay: 0.01 });
    const grads = [
      [0.5, -1, 2],
      [1, 1, -1],
      [0.3, 0.2, 0.1],
    ];
    optA.step({ w: tf.tensor1d(grads[0]!) });
    b.assign(a);
    const optB = new Adam([['w', b]], { lr: 0.5 });
    optB.loadStateDict(optA.stateDict());
    expect(optB.lr).toBe(0.1);
    for (const g of grads.slice(1)) {
      optA.step({ w: tf.tensor1d(g) });
      optB.step({ w: tf.tensor1d(g) });
    }
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(() => new SGD([['w', a]], { lr: 1 }).loadStateDict(optA.stateDict())).toThrow(
      /cannot load adam optimizer state into sgd/,
    );
    expect(() => new Adam([['v', a]], {}).loadStateDict(optA.stateDict())).toThrow(/group 0 parameters differ/);
    tf.dispose([a, b]);
    optA.dispose();
    optB.dispose();
  });
});

it('supports parameter groups with their own options and skips missing gradients', async () => {
  await tf.setBackend('cpu');
  const a = tf.variable(tf.tensor1d([1]));
  const b = tf.variable(tf.tensor1d([1]));
  const opt = new SGD([{ params: [['a', a]] }, { params: [['b', b]], lr: 0.5 }], { lr: 0.1 });
  opt.step({ a: tf.tensor1d([1]), b: tf.tensor1d([1]) });
  expect(a.dataSync()[0]).toBeCloseTo(0.9, 6);
  expect(b.dataSync()[0]).toBeCloseTo(0.5, 6);
  opt.step(new Map([['a', tf.tensor1d([1])]]));
  expect(a.dataSync()[0]).toBeCloseTo(0.8, 6);
  expect(b.dataSync()[0]).toBeCloseTo(0.5, 6);
  opt.lr = 1;
  expect(opt.paramGroups.map((g) => g.options.lr)).toEqual([1, 1]);
});

it('rejects bad options and gradients with OptimizerError', async () => {
  await tf.setBackend('cpu');
  const p = tf.variable(tf.zeros([2]));
  expect(() => new SGD([p], { lr: -1 })).toThrow(OptimizerError);
  expect(() => new SGD([p], { lr: 0.1, momentum: -0.5 })).toThrow(/momentum must be >= 0, got -0.5/);
  expect(() => new SGD([p], { lr: 0.1, nesterov: true })).toThrow(/nesterov needs momentum/);
  expect(() => new SGD([], { lr: 0.1 })).toThrow(/empty parameter list/);
  expect(() => new SGD([p, p], { lr: 0.1 })).toThrow(/appears twice/);
  expect(() => new Adam([p], { betas: [1, 0.9] })).toThrow(/betas must be in \[0, 1\), got \[1,0.9\]/);
  expect(() => new Adam([p], { eps: -1 })).toThrow(/eps/);
  expect(() => new AdamW([p], { weightDecay: -1 })).toThrow(/adamw: weightDecay/);
  const opt = new SGD([['w', p]], { lr: 0.1 });
  expect(() => opt.step({ w: tf.zeros([3]) })).toThrow(/gradient for "w" has shape \[3\], parameter has \[2\]/);
});
