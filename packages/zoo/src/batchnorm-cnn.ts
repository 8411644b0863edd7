import { BatchNorm2d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@cnn/layers';
import { defineRecipe } from './define';

const conv3 = (inChannels: number, outChannels: number) => new Conv2d(inChannels, outChannels, 3, { padding: 1 });

/**
 * Tutorial 004, `batchnorm-cnn`: four 3x3 convolutions (5, 10, 20, 40 channels, padding 1)
 * with ReLU, two 2x2 max-poolings and three batch norms, in the tutorial's order
 * (conv, relu, conv, pool, relu, bn, conv, relu, bn, conv, pool, relu, bn); then hidden layers
 * of 200 (dropout 0.5) and 500 units.
 *
 * Shape: `[N, 28, 28, 1]` → `[N, 28, 28, 5]` → `[N, 28, 28, 10]` → pool `[N, 14, 14, 10]` →
 * `[N, 14, 14, 20]` → `[N, 14, 14, 40]` → pool `[N, 7, 7, 40]` → flatten `[N, 1960]` →
 * `[N, 200]` → `[N, 500]` → `[N, 10]` logits.
 *
 * Training: inputs normalised with mean 0.5 and std 0.5; Adam lr 3e-4 with L2 weight decay
 * 1e-3, batch 100, 10 epochs; a plot of the first 40 training digits first; the test
 * accuracy every 50 steps (recorded), printed with the loss every 600 steps (each epoch);
 * loss and accuracy curves at the end.
 */
export const batchnormCnn = defineRecipe({
  id: '004',
  name: 'batchnorm-cnn',
  title: 'conv 5/10/20/40 3x3 pad 1 with batch norm, fc 1960-200-500-10, dropout',
  source: '004_b18961ee3c56bc43.txt',
  build: () =>
    new Sequential(
      conv3(1, 5),
      new ReLU(),
      conv3(5, 10),
      new MaxPool2d(2),
      new ReLU(),
      new BatchNorm2d(10),
      conv3(10, 20),
      new ReLU(),
      new BatchNorm2d(20),
      conv3(20, 40),
      new MaxPool2d(2),
      new ReLU(),
      new BatchNorm2d(40),
      new Flatten(),
      new Linear(1960, 200),
      new ReLU(),
      new Dropout(0.5),
      new Linear(200, 500),
      new ReLU(),
      new Linear(500, 10),
    ),
  params: 507_420,
  optimizerSettings: { kind: 'adam', lr: 3e-4, weightDecay: 1e-3 },
  loss: 'cross-entropy',
  batchSize: 100,
  testBatchSize: 100,
  epochs: 10,
  shuffle: true,
  normalize: { mean: 0.5, std: 0.5 },
  reports: [
    { kind: 'digits', when: 'start', count: 40, split: 'train' },
    { kind: 'test', when: { everySteps: 50, per: 'run' }, loss: false, accuracy: true, printed: false },
    { kind: 'train-loss', when: { everySteps: 600, per: 'run' }, batchAccuracy: false, progress: false },
    { kind: 'curves', when: 'end', series: ['train-loss', 'test-accuracy'] },
  ],
  reported: { percent: 99, epochs: 10 },
  pytorch: { percent: 99.15, epochs: 10 },
});
