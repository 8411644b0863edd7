import { describeEachBackend } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  Accuracy,
  ConfusionMatrix,
  crossEntropy,
  evaluate,
  LossInputError,
  predict,
  RunningMean,
  TrainingError,
} from '../src';
import { tinyModel } from './helpers';

/** A model that returns its input: outputs are exactly the rows we feed. */
const identity = {
  training: true,
  apply: (x: tf.Tensor) => tf.clone(x),
  namedParameters: () => [],
  namedBuffers: () => [],
  train(mode = true) {
    this.training = mode;
  },
};

describeEachBackend('evaluate and predict', () => {
  it('evaluate: loss, accuracy, per-class accuracy and confusion over batches', async () => {
    const rows = [
      [
        [5, 0, 0],
        [0, 5, 0],
        [0, 0, 5],
        [5, 0, 0],
      ],
      [
        [0, 5, 0],
        [0, 0, 5],
      ],
    ];
    const labels = [
      [0, 1, 1, 2],
      [1, 2],
    ];
    const batches = rows.map((r, i) => ({ x: tf.tensor2d(r), y: tf.tensor1d(labels[i]!, 'int32') }));
    const before = tf.memory().numTensors;
    const seen: string[] = [];
    const r = await evaluate(identity, batches, {
      onBatchEnd: (b) => {
        seen.push(`${b.batch}:${Array.from(b.predicted)}/${Array.from(b.actual)}:${b.output.shape}:${b.loss > 0}`);
      },
    });
    expect(seen).toEqual(['1:0,1,2,0/0,1,1,2:4,3:true', '2:1,2/1,2:2,3:true']);
    expect(tf.memory().numTensors).toBe(before); // array batches are the caller's; nothing else left
    expect(r.total).toBe(6);
    expect(r.correct).toBe(4);
    expect(r.accuracy).toBe(4 / 6);
    expect(r.perClass).toEqual([1, 2 / 3, 0.5]);
    expect(r.confusion.counts).toEqual([
      [1, 0, 0],
      [0, 2, 1],
      [1, 0, 1],
    ]);
    const all = crossEntropy(tf.tensor2d(rows.flat()), tf.tensor1d(labels.flat(), 'int32'));
    expect(r.loss).toBeCloseTo(all.dataSync()[0]!, 5);
    expect(identity.training).toBe(true); // mode restored
    tf.dispose([all, ...batches.flatMap((b) => [b.x, b.y])]);
  });

  it('predict: batched eval-mode outputs equal one full pass', async () => {
    const model = await tinyModel(true);
    const x = tf.randomNormal([10, 8, 8, 1], 0, 1, 'float32', 3);
    const out = predict(model, x, 3);
    model.eval();
    const full = model.apply(x);
    expect(out.shape).toEqual([10, 3]);
    const [a, b] = [out.dataSync(), full.dataSync()];
    a.forEach((v, i) => {
      expect(v).toBeCloseTo(b[i]!, 5);
    });
    expect(() => predict(model, x, 0)).toThrow(/batchSize must be a positive integer, got 0/);
    expect(() => predict(model, tf.zeros([0, 8, 8, 1]))).toThrow(TrainingError);
    tf.dispose([x, out, full]);
    model.dispose();
  });
});

it('evaluate rejects empty data', async () => {
  await tf.setBackend('cpu');
  await expect(evaluate(identity, [])).rejects.toThrow(/yielded no batches/);
});

it('metrics: RunningMean, Accuracy, ConfusionMatrix text', async () => {
  await tf.setBackend('cpu');
  const m = new RunningMean();
  expect(m.value).toBeNaN();
  m.update(2, 3);
  m.update(4, 1);
  expect(m.value).toBe(2.5);
  expect(m.count).toBe(4);
  m.reset();
  expect(m.count).toBe(0);

  const acc = new Accuracy();
  const logits = tf.tensor2d([
    [1, 0],
    [0, 1],
    [1, 0],
  ]);
  acc.update(logits, tf.tensor1d([0, 1, 1], 'int32'));
  acc.update(tf.tensor1d([1], 'int32'), tf.tensor2d([[0, 1]])); // ids vs one-hot
  expect([acc.correct, acc.total]).toEqual([3, 4]);
  expect(acc.value).toBe(0.75);
  expect(() => acc.update(logits, tf.tensor1d([0, 1], 'int32'))).toThrow(/3 rows but labels have 2/);

  const cm = new ConfusionMatrix(3);
  cm.add([0, 1, 2, 2], [0, 1, 1, 2]);
  expect(cm.toString()).toBe(
    [
      'true\\pred   0   1   2     acc',
      '0           1   0   0  100.0%',
      '1           0   1   1   50.0%',
      '2           0   0   1  100.0%',
    ].join('\n'),
  );
  expect(new ConfusionMatrix(2).perClassAccuracy()).toEqual([Number.NaN, Number.NaN]);
  expect(() => cm.add([3], [0])).toThrow(LossInputError);
  expect(() => cm.add([0], [-1])).toThrow(/out of range \[0, 3\): true -1, predicted 0/);
  expect(() => new ConfusionMatrix(0)).toThrow(/numClasses must be a positive integer/);
});
