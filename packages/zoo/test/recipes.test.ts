import { LogSoftmax, manualSeed, Sequential } from '@cnn/layers';
import { Adam, AdamW, crossEntropy, SGD } from '@cnn/train';
import { useBackend } from '@cnn/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  countParameters,
  RECIPE_IDS,
  RECIPE_NAMES,
  RECIPES,
  type Recipe,
  recipe,
  UnknownRecipeError,
} from '../src/index';

beforeAll(async () => {
  await useBackend('cpu', { quiet: true });
});

// From the architectures, weights + biases per layer (batch norm: weight + bias):
// 000 = 832 + 51 264 + 3 212 288 + 10 250
// 001 = 3 900 + 240 064 + 3 212 288 + 512 500 + 5 010
// 002 = 260 + 5 020 + 3 210
// 003 = 416 + 12 832 + 15 690
// 004 = 50 + 460 + 1 820 + 7 240 + 2·(10 + 20 + 40) + 392 200 + 100 500 + 5 010
// PyTorch 1.13 counts the same (test/fixtures/torch-models.json, torch-reference.test.ts).
const PARAMS = { '000': 3_274_634, '001': 3_973_762, '002': 8_490, '003': 28_938, '004': 507_420 };

function withModel<T>(r: Recipe, fn: (model: Sequential) => T): T {
  const model = r.build();
  try {
    return fn(model);
  } finally {
    model.dispose();
  }
}

describe.each(RECIPES.map((r) => [`${r.id} ${r.name}`, r] as const))('%s', (_, r) => {
  it('builds a Sequential that maps a [2, 28, 28, 1] NHWC batch to [2, 10], leaking nothing', () => {
    const before = tf.memory().numTensors;
    withModel(r, (model) => {
      expect(model).toBeInstanceOf(Sequential);
      model.eval();
      const y = tf.tidy(() => model.apply(tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 3)));
      expect(y.shape).toEqual([2, 10]);
      expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
      y.dispose();
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it(`has ${PARAMS[r.id].toLocaleString('en-US')} parameters, as its params field says`, () => {
    withModel(r, (model) => expect(countParameters(model)).toBe(PARAMS[r.id]));
    expect(r.params).toBe(PARAMS[r.id]);
  });

  it('ends in log-softmax exactly when its loss is nll', () => {
    withModel(r, (model) => expect(model.at(-1) instanceof LogSoftmax).toBe(r.loss === 'nll'));
  });

  it('is found by name and by id', () => {
    expect(recipe(r.name)).toBe(r);
    expect(recipe(r.id)).toBe(r);
  });
});

describe('training settings', () => {
  it('lists the five recipes in tutorial order with the names of the sample apps', () => {
    expect(RECIPES.map((r) => r.id)).toEqual([...RECIPE_IDS]);
    expect(RECIPES.map((r) => r.name)).toEqual([
      'basic-cnn',
      'wide-cnn',
      'small-cnn',
      'sequential-cnn',
      'batchnorm-cnn',
    ]);
    expect(RECIPE_NAMES).toEqual(RECIPES.map((r) => r.name));
  });

  it('uses the batch sizes, epochs and normalisations of the tutorials', () => {
    const table = RECIPES.map((r) => [r.batchSize, r.testBatchSize, r.epochs, r.normalize]);
    expect(table).toEqual([
      [50, 1000, 15, null],
      [50, 1000, 3, null],
      [128, 128, 1, { mean: 0.1307, std: 0.3081 }],
      [4, 4, 10, null],
      [100, 100, 10, { mean: 0.5, std: 0.5 }],
    ]);
  });

  it('states the accuracies reported by the tutorials and reached by PyTorch 1.13', () => {
    expect(RECIPES.map((r) => [r.reported.percent, r.reported.epochs])).toEqual([
      [89.41, 15],
      [99, 3],
      [97.14, 1],
      [99.05, 10],
      [99, 10],
    ]);
    expect(RECIPES.map((r) => [r.pytorch.percent, r.pytorch.epochs])).toEqual([
      [89.77, 15],
      [99.05, 3],
      [95.12, 1],
      [98.84, 10],
      [99.15, 10],
    ]);
  });

  it('names its seed file as provenance', () => {
    for (const r of RECIPES) expect(r.source).toMatch(new RegExp(`^${r.id}_[0-9a-f]{16}\\.txt$`));
  });

  it.each([
    ['basic-cnn', SGD, { lr: 3e-4, momentum: 0 }],
    ['wide-cnn', SGD, { lr: 1e-2, momentum: 0.95 }],
    ['small-cnn', SGD, { lr: 1e-2, momentum: 0.5 }],
    ['sequential-cnn', Adam, { lr: 1e-3, weightDecay: 0 }],
    ['batchnorm-cnn', Adam, { lr: 3e-4, weightDecay: 1e-3 }],
  ] as const)('%s builds its optimizer from its settings', (name, kind, options) => {
    const r = recipe(name);
    expect(r.optimizerSettings).toMatchObject(options);
    withModel(r, (model) => {
      const opt = r.optimizer(model);
      try {
        expect(opt).toBeInstanceOf(kind);
        expect(opt).not.toBeInstanceOf(AdamW); // torch.optim.Adam: L2 decay, not decoupled
        expect(opt.paramGroups).toHaveLength(1);
        expect(opt.paramGroups[0]!.options).toMatchObject(options);
        expect(opt.namedParams().length).toBe(model.parameters().length);
      } finally {
        opt.dispose();
      }
    });
  });

  it('applies nll to log-probabilities, which equals the tutorials’ cross-entropy on them', () => {
    const logits = tf.tensor2d([
      [2, -1, 0.5, 0, 0, 0, 0, 0, 0, 1],
      [0, 0, 0, 3, 0, 0, -2, 0, 0, 0],
    ]);
    const labels = tf.tensor1d([0, 6], 'int32');
    const logProbs = tf.logSoftmax(logits);
    const nll = recipe('basic-cnn').lossFn(logProbs, labels);
    const ce = crossEntropy(logProbs, labels);
    const onLogits = recipe('small-cnn').lossFn(logits, labels);
    // by hand: -log_softmax(row0)[0] and -log_softmax(row1)[6], averaged
    const lse = (row: number[]) => Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    const expected = (lse([2, -1, 0.5, 0, 0, 0, 0, 0, 0, 1]) - 2 + (lse([0, 0, 0, 3, 0, 0, -2, 0, 0, 0]) + 2)) / 2;
    expect(nll.dataSync()[0]).toBeCloseTo(expected, 5);
    expect(ce.dataSync()[0]).toBeCloseTo(expected, 5);
    expect(onLogits.dataSync()[0]).toBeCloseTo(expected, 5);
    tf.dispose([logits, labels, logProbs, nll, ce, onLogits]);
  });

  it('builds a fresh model each time, seeded by manualSeed', () => {
    const r = recipe('small-cnn');
    manualSeed(5);
    const a = r.build();
    manualSeed(5);
    const b = r.build();
    const c = r.build();
    const w = (m: Sequential) => Array.from(m.parameters()[0]!.dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(c)).not.toEqual(w(b));
    for (const m of [a, b, c]) m.dispose();
  });
});

describe('recipe()', () => {
  it('names the valid recipes when the key is unknown', () => {
    expect(() => recipe('tiny-cnn')).toThrow(UnknownRecipeError);
    expect(() => recipe('2')).toThrow(
      "@cnn/zoo: no recipe '2'; expected one of: basic-cnn, wide-cnn, small-cnn, sequential-cnn, batchnorm-cnn, 000, 001, 002, 003, 004",
    );
    try {
      recipe('005');
    } catch (e) {
      expect(e).toMatchObject({ name: 'UnknownRecipeError', requested: '005' });
    }
  });
});
