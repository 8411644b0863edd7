import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@cnn/layers';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { fit, SGD } from '../src';
import { closeTo, describeEachBackend, readFixture } from './backends';
import { mnistTrainHead } from './helpers';

type Nested = number | Nested[];
interface Fixture {
  n: number;
  steps: number;
  normalize: { mean: number; std: number };
  optimizer: { lr: number; momentum: number };
  labels: number[];
  initial_weights: Record<string, Nested>;
  final_weights: Record<string, Nested>;
  loss_before_each_step: number[];
  accuracy_before_each_step: number[];
}
const fx = await readFixture<Fixture>('train-small-cnn.json');
const data = mnistTrainHead(fx.n, fx.normalize.mean, fx.normalize.std);
const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);

/** The fixture's classifier; fixture weight names by our parameter names, in order. */
function smallCnn(): { model: Sequential; names: [string, string][] } {
  const model = new Sequential(
    new Conv2d(1, 10, 5),
    new MaxPool2d(2),
    new ReLU(),
    new Conv2d(10, 20, 5),
    new MaxPool2d(2),
    new ReLU(),
    new Flatten(),
    new Linear(320, 10),
  );
  const ours = model.namedParameters().map(([n]) => n);
  const theirs = ['conv1.filter', 'conv1.bias', 'conv2.filter', 'conv2.bias', 'dense.kernel', 'dense.bias'];
  for (const [name, p] of model.namedParameters()) {
    const w = fx.initial_weights[theirs[ours.indexOf(name)]!]!;
    p.assign(tf.tensor(flat(w), p.shape));
  }
  return { model, names: ours.map((n, i) => [n, theirs[i]!]) };
}

describeEachBackend('three SGD steps of the small CNN match PyTorch', () => {
  it('labels of the first 64 MNIST images match the fixture', () => {
    expect(Array.from(data.y)).toEqual(fx.labels);
  });

  // One run per backend: tfjs's cpu Conv2DBackpropFilter takes ~10 s per step here.
  it('fit (full batch, 3 steps): loss and accuracy before each step, final weights', async () => {
    const { model, names } = smallCnn();
    const opt = new SGD(model, { lr: fx.optimizer.lr, momentum: fx.optimizer.momentum });
    const x = tf.tensor4d(data.x, [fx.n, 28, 28, 1]);
    const y = tf.tensor1d(data.y, 'int32');
    const losses: number[] = [];
    const before = tf.memory().numTensors;
    const history = await fit(model, {
      optimizer: opt,
      epochs: fx.steps,
      train: [{ x, y }],
      progress: 'none',
      onBatchEnd: (b) => {
        losses.push(b.loss());
      },
    });
    losses.forEach((l, i) => {
      expect(l).toBeCloseTo(fx.loss_before_each_step[i]!, 4);
    });
    history.epochs.forEach((e, i) => {
      expect(e.accuracy).toBeCloseTo(fx.accuracy_before_each_step[i]!, 6);
    });
    expect(history.steps).toBe(3);
    expect(tf.memory().numTensors - before).toBe(names.length); // one momentum buffer per parameter
    const params = new Map(model.namedParameters());
    for (const [ours, theirs] of names) {
      expect(
        closeTo(params.get(ours)!.dataSync(), flat(fx.final_weights[theirs]!), 1e-3, 1e-5),
        theirs,
      ).toBeLessThanOrEqual(0);
    }
    tf.dispose([x, y]);
    opt.dispose();
    model.dispose();
  });
});
