import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  Linear,
  LogSoftmax,
  MaxPool2d,
  manualSeed,
  ReLU,
  Sequential,
  ShapeError,
  StateDictError,
} from '../src/index';
import { Net } from './tutorial-model';

it('names parameters like torch and gives children their paths', () => {
  const net = new Net();
  expect(net.namedParameters().map(([n, p]) => `${n} ${p.shape}`)).toEqual([
    'conv1.weight 5,5,1,32',
    'conv1.bias 32',
    'conv2.weight 5,5,32,64',
    'conv2.bias 64',
    'fc1.weight 3136,1024',
    'fc1.bias 1024',
    'fc2.weight 1024,10',
    'fc2.bias 10',
  ]);
  expect(net.fc1.path).toBe('fc1');
  const model = new Sequential(new Conv2d(1, 4, 3), new Sequential(new ReLU(), new BatchNorm2d(4)));
  const inner = model.at(1) as Sequential;
  expect(inner.at(1)?.path).toBe('1.1');
  expect(Object.keys(model.stateDict())).toEqual([
    '0.weight',
    '0.bias',
    '1.1.weight',
    '1.1.bias',
    '1.1.running_mean',
    '1.1.running_var',
    '1.1.num_batches_tracked',
  ]);
  expect(model.namedModules().map(([n]) => n)).toEqual(['', '0', '1', '1.0', '1.1']);
  net.dispose();
  model.dispose();
});

it('runs the tutorial model forward with the right shapes and no leaks', () => {
  manualSeed(1);
  const net = new Net();
  const before = tf.memory().numTensors;
  const y = tf.tidy(() => net.apply(tf.ones([3, 28, 28, 1])));
  expect(y.shape).toEqual([3, 10]);
  // log-softmax rows sum to 1 after exp
  const sums = tf.tidy(() => tf.sum(tf.exp(y), 1));
  for (const s of sums.dataSync()) expect(s).toBeCloseTo(1, 5);
  y.dispose();
  sums.dispose();
  expect(tf.memory().numTensors).toBe(before);
  net.dispose();
});

it('reports a wrong in_features in a normal forward with the module path', () => {
  const model = new Sequential(
    new Conv2d(1, 32, 5, { padding: 2 }),
    new MaxPool2d(2),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(3136, 10),
  );
  expect(() => tf.tidy(() => model.apply(tf.zeros([2, 28, 28, 1])))).toThrow(
    "Linear '4' expected 3136 input features but its input comes from '3' (Flatten), which flattens [N, 7, 7, 32] to [N, 1568] = 7*7*32 = 1568 features per sample; set in_features to 1568 or check the conv/pool layers before it",
  );
  model.dispose();
});

it('switches train/eval recursively and changes dropout behaviour', () => {
  const model = new Sequential(new Linear(4, 4), new Dropout(0.5), new LogSoftmax());
  expect(model.namedModules().every(([, m]) => m.training)).toBe(true);
  model.eval();
  expect(model.namedModules().some(([, m]) => m.training)).toBe(false);
  const x = tf.ones([2, 4]);
  const a = tf.tidy(() => model.apply(x));
  const b = tf.tidy(() => model.apply(x));
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  model.train();
  expect((model.at(1) as Dropout).training).toBe(true);
  tf.dispose([x, a, b]);
  model.dispose();
});

it('loads a state dict strictly and explains mismatches', () => {
  const a = new Sequential(new Linear(3, 2), new ReLU(), new Linear(2, 1));
  const b = new Sequential(new Linear(3, 2), new ReLU(), new Linear(2, 1));
  b.loadStateDict(a.stateDict());
  expect(Array.from(b.stateDict()['2.weight']?.dataSync() ?? [])).toEqual(
    Array.from(a.stateDict()['2.weight']?.dataSync() ?? []),
  );
  const c = new Sequential(new Linear(3, 2), new ReLU(), new Linear(2, 2));
  expect(() => c.loadStateDict(a.stateDict())).toThrow(StateDictError);
  expect(() => c.loadStateDict(a.stateDict())).toThrow(
    'state dict entry "2.weight" has shape [2,1] but the model expects [2,2]',
  );
  expect(() => c.loadStateDict({})).toThrow(/missing \[0.weight, 0.bias, 2.weight, 2.bias\], unexpected \[\]/);
  const before = tf.memory().numTensors;
  const ints = { '0.weight': tf.zeros([3, 2], 'int32') };
  c.loadStateDict(ints, false);
  expect(c.stateDict()['0.weight']?.dtype).toBe('float32');
  tf.dispose(ints);
  expect(tf.memory().numTensors).toBe(before);
  const n = tf.memory().numTensors;
  a.dispose();
  expect(tf.memory().numTensors).toBe(n - 4);
  b.dispose();
  c.dispose();
});

it('prints a torch-like tree', () => {
  const model = new Sequential(
    new Conv2d(1, 8, 3, { padding: 1 }),
    new ReLU(),
    new Flatten(),
    new Linear(8 * 28 * 28, 10),
  );
  expect(model.toString()).toBe(
    [
      'Sequential(',
      '  (0): Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))',
      '  (1): ReLU()',
      '  (2): Flatten()',
      '  (3): Linear(in_features=6272, out_features=10, bias=True)',
      ')',
    ].join('\n'),
  );
  expect(() => new Flatten().apply(tf.zeros([5]))).toThrow(ShapeError);
  model.dispose();
});
