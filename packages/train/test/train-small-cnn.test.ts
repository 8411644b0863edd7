import { loadMnistSplit, normalize, subset, toTensors } from '@cnn/datasets';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@cnn/layers';
import { checkFields, describeEachBackend, expectClose, fixtureFilesOf, type Nested, tensorOf } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { fit } from '../src';
import { optimizerFromTorch, type TorchConfig } from './torch-configs';

/**
 * A `train-small-cnn*.json` run: `steps` full-batch steps of the tutorial classifier on MNIST
 * training images [train_image_start, train_image_start + n), normalised; weights in HWIO and [in, out].
 */
interface Run {
  description: string;
  train_image_start: number;
  n: number;
  steps: number;
  normalize: { mean: number; std: number };
  optimizer: TorchConfig;
  labels: number[];
  initial_weights: Record<string, Nested>;
  final_weights: Record<string, Nested>;
  loss_before_each_step: number[];
  accuracy_before_each_step: number[];
}
const runs = fixtureFilesOf<Run>('train-small-cnn', {
  required: [
    'train_image_start',
    'n',
    'steps',
    'normalize',
    'optimizer',
    'labels',
    'initial_weights',
    'final_weights',
    'loss_before_each_step',
    'accuracy_before_each_step',
  ],
  optional: ['description'],
});
/** Fixture weight names, in the order of our model's parameters. */
const WEIGHTS = ['conv1.filter', 'conv1.bias', 'conv2.filter', 'conv2.bias', 'dense.kernel', 'dense.bias'];
for (const { file, data } of runs) {
  checkFields(file, 'normalize', data.normalize, { required: ['mean', 'std'] });
  checkFields(file, 'initial_weights', data.initial_weights, { required: WEIGHTS });
  checkFields(file, 'final_weights', data.final_weights, { required: WEIGHTS });
}
const train = runs.length > 0 ? loadMnistSplit('train') : undefined;

/** The fixture's classifier, starting from its initial weights. */
function smallCnn(run: Run): Sequential {
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
  model.parameters().forEach((p, i) => {
    tf.tidy(() => p.assign(tensorOf(run.initial_weights[WEIGHTS[i]!]!)));
  });
  return model;
}

describeEachBackend('full-batch training of the small CNN matches PyTorch', () => {
  // One run per backend and file: tfjs's cpu Conv2DBackpropFilter takes seconds per step here.
  for (const { file, data: run } of runs) {
    it(`${file}: loss and accuracy before each step, final weights`, async () => {
      const indices = Uint32Array.from({ length: run.n }, (_, i) => run.train_image_start + i);
      const images = subset(train!, indices);
      const { x, y } = toTensors(images, normalize(run.normalize.mean, run.normalize.std));
      expect(Array.from(y.dataSync())).toEqual(run.labels);
      expect(run.loss_before_each_step).toHaveLength(run.steps);
      const model = smallCnn(run);
      const opt = optimizerFromTorch(file, 'optimizer', run.optimizer, model.parameters());
      const losses: number[] = [];
      const before = tf.memory().numTensors;
      const history = await fit(model, {
        optimizer: opt,
        epochs: run.steps,
        train: [{ x, y }],
        progress: 'none',
        onBatchEnd: (b) => {
          losses.push(b.loss());
        },
      });
      expect(history.steps).toBe(run.steps);
      expectClose(losses, run.loss_before_each_step, { rtol: 1e-4, atol: 1e-5, what: 'loss before each step' });
      expectClose(
        history.epochs.map((e) => e.accuracy),
        run.accuracy_before_each_step,
        { rtol: 0, atol: 1e-9, what: 'accuracy before each step' },
      );
      opt.dispose(); // its state (e.g. momentum buffers) is all fit left behind
      expect(tf.memory().numTensors).toBe(before);
      model.parameters().forEach((p, i) => {
        expectClose(p, run.final_weights[WEIGHTS[i]!]!, { rtol: 1e-3, atol: 1e-5, what: WEIGHTS[i] });
      });
      tf.dispose([x, y]);
      model.dispose();
    });
  }
});
