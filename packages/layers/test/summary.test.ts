import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  BatchNorm2d,
  ConfigError,
  Conv2d,
  F,
  Flatten,
  getRngState,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
  ShapeError,
  summary,
} from '../src/index';
import { Net } from './tutorial-model';

it('lists every layer with its output shape and parameter count', () => {
  const net = new Net();
  const lines: string[] = [];
  const rng = getRngState();
  const before = tf.memory().numTensors;
  const result = summary(net, [28, 28, 1], { print: (t) => lines.push(t) });
  expect(tf.memory().numTensors).toBe(before);
  expect(getRngState()).toBe(rng);
  expect(net.training).toBe(true);
  expect(result.rows.map((r) => `${r.name} ${r.type} ${r.outputShape} ${r.params}`)).toEqual([
    'conv1 Conv2d 1,28,28,32 832',
    'maxPool2d functional 1,14,14,32 0',
    'relu functional 1,14,14,32 0',
    'conv2 Conv2d 1,14,14,64 51264',
    'maxPool2d functional 1,7,7,64 0',
    'relu functional 1,7,7,64 0',
    'flatten functional 1,3136 0',
    'fc1 Linear 1,1024 3212288',
    'relu functional 1,1024 0',
    'drop Dropout 1,1024 0',
    'fc2 Linear 1,10 10250',
    'logSoftmax functional 1,10 0',
  ]);
  expect(result.totalParams).toBe(3274634);
  expect(result.trainableParams).toBe(3274634);
  expect(lines).toHaveLength(1);
  expect(result.text).toContain('conv1 (Conv2d)');
  expect(result.text).toContain('[N, 7, 7, 64]');
  expect(result.text).toContain('Total params: 3,274,634');
  net.dispose();
});

it('counts batch-norm buffers as non-parameters and leaves running stats alone', () => {
  const model = new Sequential(
    new Conv2d(1, 4, 3),
    new BatchNorm2d(4),
    new ReLU(),
    new Flatten(),
    new Linear(4 * 26 * 26, 10),
  );
  const bn = model.at(1) as BatchNorm2d;
  const result = summary(model, [28, 28, 1], { print: false });
  expect(result.rows.map((r) => r.name)).toEqual(['0', '1', '2', '3', '4']);
  expect(result.rows[1]?.params).toBe(8);
  expect(result.totalParams).toBe(40 + 8 + 2704 * 10 + 10);
  expect(Array.from(bn.runningMean.dataSync())).toEqual([0, 0, 0, 0]);
  expect(bn.numBatchesTracked.dataSync()[0]).toBe(0);
  model.dispose();
});

/** Tutorial 003's network with the classic mistake: 64*7*7 where the conv stack gives 32*7*7. */
class WrongFc extends Module {
  conv1 = this.registerModule('conv1', new Conv2d(1, 16, 5, { padding: 2 }));
  pool1 = this.registerModule('pool1', new MaxPool2d(2));
  conv2 = this.registerModule('conv2', new Conv2d(16, 32, 5, { padding: 2 }));
  pool2 = this.registerModule('pool2', new MaxPool2d(2));
  out = this.registerModule('out', new Linear(64 * 7 * 7, 10));

  forward(x: tf.Tensor): tf.Tensor {
    x = this.pool1.apply(F.relu(this.conv1.apply(x)));
    x = this.pool2.apply(F.relu(this.conv2.apply(x)));
    return this.out.apply(x);
  }
}

it('turns a shape mismatch into an error that says where, why, and shows the shapes so far', () => {
  const model = new WrongFc();
  let err: unknown;
  try {
    summary(model, [28, 28, 1], { print: false });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ShapeError);
  const message = (err as ShapeError).message;
  expect(message).toContain(
    "Linear 'out' expected 3136 input features but the input is [N, 7, 7, 32] = 7*7*32 = 1568 features per sample (did you forget Flatten, or should in_features be 1568?)",
  );
  expect(message).toContain('Its input was the output of pool2 (MaxPool2d), [N, 7, 7, 32].');
  expect(message).toMatch(/conv2 \(Conv2d\)\s+\[N, 14, 14, 32\]\s+12,832/);
  expect((err as ShapeError).modulePath).toBe('out');
  expect(model.training).toBe(true);
  // the same error (without the table) in a plain forward
  expect(() => tf.tidy(() => model.apply(tf.zeros([2, 28, 28, 1])))).toThrow(
    /^Linear 'out' expected 3136 input features/,
  );
  model.dispose();
});

class WithClassifier extends Module {
  features = this.registerModule('features', new Sequential(new Conv2d(1, 2, 3), new ReLU()));
  classifier = this.registerModule('classifier', new Sequential(new Flatten(), new Linear(2 * 4 * 4, 3)));

  forward(x: tf.Tensor): tf.Tensor {
    return this.classifier.apply(this.features.apply(x));
  }
}

it('names nested layers by their dotted path and rejects duplicate child names', () => {
  const model = new WithClassifier();
  const result = summary(model, [6, 6, 1], { print: false });
  expect(result.rows.map((r) => r.name)).toEqual(['features.0', 'features.1', 'classifier.0', 'classifier.1']);
  expect(result.totalParams).toBe(20 + 99);
  class Twice extends Module {
    a = this.registerModule('a', new ReLU());
    b = this.registerModule('a', new ReLU());
    forward(x: tf.Tensor): tf.Tensor {
      return x;
    }
  }
  expect(() => new Twice()).toThrow(ConfigError);
  expect(() => new Twice()).toThrow('Twice already has a child module named "a"');
  model.dispose();
});
