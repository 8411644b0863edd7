import { Conv2d, Dropout, Flatten, Linear, LogSoftmax, MaxPool2d, ReLU, Sequential } from '@cnn/layers';
import { defineRecipe } from './define';

/**
 * Tutorial 000, `basic-cnn`: two 5x5 convolutions (32 and 64 channels, padding 2), each
 * followed by 2x2 max-pooling then ReLU; a 1024-unit hidden layer with dropout 0.5; log-softmax.
 *
 * Shape: `[N, 28, 28, 1]` → conv `[N, 28, 28, 32]` → pool `[N, 14, 14, 32]` → conv
 * `[N, 14, 14, 64]` → pool `[N, 7, 7, 64]` → flatten `[N, 3136]` → `[N, 1024]` → `[N, 10]`
 * log-probabilities.
 *
 * Training: SGD lr 3e-4 (no momentum), batch 50, 15 epochs, no normalisation; the loss of
 * the batch every 1000 steps of an epoch and the test accuracy after each epoch.
 */
export const basicCnn = defineRecipe({
  id: '000',
  name: 'basic-cnn',
  title: 'conv 32/64 5x5 pad 2 (pool, relu), fc 3136-1024-10, dropout, log-softmax',
  source: '000_895d60953198ab57.txt',
  build: () =>
    new Sequential(
      new Conv2d(1, 32, 5, { padding: 2 }),
      new MaxPool2d(2),
      new ReLU(),
      new Conv2d(32, 64, 5, { padding: 2 }),
      new MaxPool2d(2),
      new ReLU(),
      new Flatten(),
      new Linear(3136, 1024),
      new ReLU(),
      new Dropout(0.5),
      new Linear(1024, 10),
      new LogSoftmax(),
    ),
  params: 3_274_634,
  optimizerSettings: { kind: 'sgd', lr: 3e-4, momentum: 0 },
  loss: 'nll',
  batchSize: 50,
  testBatchSize: 1000,
  epochs: 15,
  shuffle: true,
  normalize: null,
  reports: [
    { kind: 'train-loss', when: { everySteps: 1000, per: 'epoch' }, batchAccuracy: false, progress: false },
    { kind: 'test', when: { everyEpochs: 1 }, loss: false, accuracy: true, printed: true },
  ],
  reported: { percent: 89.41, epochs: 15 },
  pytorch: { percent: 89.77, epochs: 15 },
});
