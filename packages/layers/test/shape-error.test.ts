import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  Conv2d,
  Dropout,
  F,
  Flatten,
  Linear,
  LogSoftmax,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
  ShapeError,
  summary,
} from '../src/index';

/** The example: two conv/pool blocks leave [N, 7, 7, 32], but fc1 expects 7*7*64. */
function tutorialSequential(fcIn = 3136): Sequential {
  return new Sequential(
    new Conv2d(1, 16, 5, { padding: 2 }),
    new MaxPool2d(2),
    new ReLU(),
    new Conv2d(16, 32, 5, { padding: 2 }),
    new MaxPool2d(2),
    new ReLU(),
    new Flatten(),
    new Linear(fcIn, 10),
    new LogSoftmax(),
  );
}

class SmallNet extends Module {
  conv1 = this.registerModule('conv1', new Conv2d(1, 16, 5, { padding: 2 }));
  conv2 = this.registerModule('conv2', new Conv2d(16, 32, 5, { padding: 2 }));
  fc1 = this.registerModule('fc1', new Linear(3136, 10));

  forward(x: tf.Tensor): tf.Tensor {
    x = F.relu(F.maxPool2d(this.conv1.apply(x), 2));
    x = F.relu(F.maxPool2d(this.conv2.apply(x), 2));
    return F.logSoftmax(this.fc1.apply(F.flatten(x)));
  }
}

/** SmallNet used as a part ('features') of a bigger model. */
class Wrapper extends Module {
  features = this.registerModule('features', new SmallNet());
  forward(x: tf.Tensor): tf.Tensor {
    return this.features.apply(x);
  }
}

function errorOf(run: () => unknown): ShapeError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ShapeError);
    return err as ShapeError;
  }
  throw new Error('expected a ShapeError');
}

describe('a Linear after a flatten that does not fit', () => {
  it('names the Flatten of a Sequential and the unflattened shape in a plain forward', () => {
    const model = tutorialSequential();
    const err = errorOf(() => tf.tidy(() => model.apply(tf.zeros([2, 28, 28, 1]))));
    expect(err.message).toBe(
      "Linear '7' expected 3136 input features but its input comes from '6' (Flatten), which flattens [N, 7, 7, 32] to [N, 1568] = 7*7*32 = 1568 features per sample; set in_features to 1568 or check the conv/pool layers before it",
    );
    expect(err.modulePath).toBe('7');
    // the README's "When the shapes do not fit" shows this message (wrapped over lines)
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const shown = readme.match(/```text\n(ShapeError: [\s\S]*?)\n```/)?.[1];
    expect(shown?.split('\n').join(' ')).toBe(`ShapeError: ${err.message}`);
    expect(err.inputShape).toEqual([2, 1568]);
    model.dispose();
  });

  it('names F.flatten inside a user model class', () => {
    const net = new SmallNet();
    const err = errorOf(() => tf.tidy(() => net.apply(tf.zeros([3, 28, 28, 1]))));
    expect(err.message).toBe(
      "Linear 'fc1' expected 3136 input features but its input comes from flatten() in SmallNet.forward, which flattens [N, 7, 7, 32] to [N, 1568] = 7*7*32 = 1568 features per sample; set in_features to 1568 or check the conv/pool layers before it",
    );
    net.dispose();
  });

  it('names the enclosing module by its path when the model is nested', () => {
    const model = new Wrapper();
    expect(() => tf.tidy(() => model.apply(tf.zeros([1, 28, 28, 1])))).toThrow(
      "Linear 'features.fc1' expected 3136 input features but its input comes from flatten() in SmallNet.forward ('features'), which flattens [N, 7, 7, 32]",
    );
    model.dispose();
  });

  it('still finds the Flatten through ReLU and Dropout in between', () => {
    const model = new Sequential(new Flatten(), new ReLU(), new Dropout(0.5), new Linear(10, 2));
    expect(() => tf.tidy(() => model.apply(tf.ones([4, 2, 3, 2])))).toThrow(
      "Linear '3' expected 10 input features but its input comes from '0' (Flatten), which flattens [N, 2, 3, 2] to [N, 12] = 2*3*2 = 12 features per sample; set in_features to 12",
    );
    const fn = (x: tf.Tensor) => new Linear(10, 2).apply(F.dropout(F.relu(F.flatten(x)), 0.5, false));
    expect(() => tf.tidy(() => fn(tf.ones([4, 12, 1])))).toThrow(
      'Linear expected 10 input features but its input comes from flatten(), which flattens [N, 12, 1] to [N, 12] = 12*1 = 12 features per sample',
    );
  });

  it('keeps the plain message for a 2-D input that was not flattened', () => {
    const fc = new Linear(3136, 10);
    expect(() => fc.apply(tf.zeros([2, 1568]))).toThrow(
      'Linear expected 3136 input features but the input is [N, 1568] = 1568 features per sample (should in_features be 1568?)',
    );
    fc.dispose();
  });

  it('is the message summary() starts with, followed by the table', () => {
    const model = tutorialSequential();
    const err = errorOf(() => summary(model, [28, 28, 1], { print: false }));
    expect(err.message).toMatch(
      /^Linear '7' expected 3136 input features but its input comes from '6' \(Flatten\), which flattens \[N, 7, 7, 32\]/,
    );
    expect(err.message).toContain('Its input was the output of 6 (Flatten), [N, 1568]. Shapes up to there:');
    model.dispose();
  });

  it('accepts the fixed model', () => {
    const model = tutorialSequential(1568);
    const y = tf.tidy(() => model.apply(tf.zeros([2, 28, 28, 1])));
    expect(y.shape).toEqual([2, 10]);
    y.dispose();
    model.dispose();
  });
});

describe('Sequential.forward outside tf.tidy', () => {
  it('keeps only its output', () => {
    const model = tutorialSequential(1568);
    const x = tf.zeros([2, 28, 28, 1]);
    const before = tf.memory().numTensors;
    const y = model.apply(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('leaves no tensors behind when a layer throws mid-chain', () => {
    const model = tutorialSequential();
    const x = tf.zeros([2, 28, 28, 1]);
    const before = tf.memory().numTensors;
    expect(() => model.apply(x)).toThrow(ShapeError);
    expect(() => model.apply(x)).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });
});
