import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Adam, AdamW, OptimizerError, SGD } from '../src';
import { closeTo, describeEachBackend, readFixture } from './backends';
import extra from './fixtures/torch-extra.json';

interface Case {
  kind?: string;
  config: Record<string, unknown>;
  param_initial: number[];
  grads: number[][];
  param_after_each_step: number[][];
}
const shared = await readFixture<{ cases: Case[] }>('optimizers.json');
const cases: Case[] = [...shared.cases, ...(extra.optimizers as Case[])];

function build(c: Case, params: tf.Variable[]) {
  const k = c.config;
  const kind = (k.kind ?? c.kind) as string;
  const common = { lr: k.lr as number, weightDecay: (k.weight_decay as number) ?? 0 };
  if (kind === 'sgd') {
    return new SGD(params, {
      ...common,
      momentum: (k.momentum as number) ?? 0,
      dampening: (k.dampening as number) ?? 0,
      nesterov: (k.nesterov as boolean) ?? false,
    });
  }
  const adam = { ...common, betas: (k.betas ?? [0.9, 0.999]) as [number, number], eps: (k.eps as number) ?? 1e-8 };
  if (kind === 'adamw') return new AdamW(params, { ...adam, weightDecay: (k.weight_decay as number) ?? 0.01 });
  return new Adam(params, adam);
}

const title = (c: Case) => `${c.config.kind ?? c.kind} ${JSON.stringify({ ...c.config, kind: undefined })}`;

describeEachBackend('optimizers follow PyTorch trajectories', () => {
  for (const c of cases) {
    it(title(c), () => {
      const p = tf.variable(tf.tensor1d(c.param_initial));
      const opt = build(c, [p]);
      c.grads.forEach((g, i) => {
        const grad = tf.tensor1d(g);
        opt.step({ [p.name]: grad });
        grad.dispose();
        const worst = closeTo(p.dataSync(), c.param_after_each_step[i]!, 1e-4, 1e-6);
        expect(worst, `step ${i + 1}`).toBeLessThanOrEqual(0);
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
