import { Conv2d, Dropout, Flatten, Linear, LogSoftmax, MaxPool2d, ReLU, Sequential } from '@cnn/layers';
import { defineRecipe } from './define';

/**
 * Tutorial 001, `wide-cnn`: two 5x5 convolutions (150 then 64 channels, padding 2), each
 * followed by ReLU then 2x2 max-pooling; hidden layers of 1024 and 500 units, each with
 * dropout 0.5; log-softmax.
 *
 * Shape: `[N, 28, 28, 1]` → conv `[N, 28, 28, 150]` → pool `[N, 14, 14, 150]` → conv
 * `[N, 14, 14, 64]` → pool `[N, 7, 7, 64]` → flatten `[N, 3136]` → `[N, 1024]` → `[N, 500]`
 * → `[N, 10]` log-probabilities.
 *
 * Training: SGD lr 1e-2 momentum 0.95, batch 50, 3 epochs, no normalisation; loss and batch
 * accuracy every 1000 steps (counted across epochs, step 0 included); afterwards ground truth
 * and prediction for 10 random digits of the first test batch, then the test accuracy.
 */
export const wideCnn = defineRecipe({
  id: '001',
  name: 'wide-cnn',
  title: 'conv 150/64 5x5 pad 2 (relu, pool), fc 3136-1024-500-10, dropout, log-softmax',
  source: '001_5728f5b63760230c.txt',
  build: () =>
    new Sequential(
      new Conv2d(1, 150, 5, { padding: 2 }),
      new ReLU(),
      new MaxPool2d(2),
      new Conv2d(150, 64, 5, { padding: 2 }),
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      new Linear(3136, 1024),
      new ReLU(),
      new Dropout(0.5),
      new Linear(1024, 500),
      new ReLU(),
      new Dropout(0.5),
      new Linear(500, 10),
      new LogSoftmax(),
    ),
  params: 3_973_762,
  optimizerSettings: { kind: 'sgd', lr: 1e-2, momentum: 0.95 },
  loss: 'nll',
  batchSize: 50,
  testBatchSize: 1000,
  epochs: 3,
  shuffle: true,
  normalize: null,
  reports: [
    { kind: 'train-loss', when: { everySteps: 1000, per: 'run' }, batchAccuracy: true, progress: false },
    { kind: 'predictions', when: 'end', count: 10 },
    { kind: 'test', when: 'end', loss: false, accuracy: true, printed: true },
  ],
  reported: { percent: 99, epochs: 3 },
  pytorch: { percent: 99.05, epochs: 3 },
});
