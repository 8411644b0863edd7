import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@cnn/layers';
import { defineRecipe } from './define';

/**
 * Tutorial 002, `small-cnn`: two unpadded 5x5 convolutions (10 and 20 channels), each
 * followed by 2x2 max-pooling then ReLU; one linear layer to the 10 logits.
 *
 * Shape: `[N, 28, 28, 1]` → conv `[N, 24, 24, 10]` → pool `[N, 12, 12, 10]` → conv
 * `[N, 8, 8, 20]` → pool `[N, 4, 4, 20]` → flatten `[N, 320]` → `[N, 10]` logits.
 *
 * Training: inputs normalised with mean 0.1307 and std 0.3081; SGD lr 1e-2 momentum 0.5,
 * batch 128, 1 epoch; epoch, images seen and loss every 10 batches; then the test loss and
 * accuracy.
 */
export const smallCnn = defineRecipe({
  id: '002',
  name: 'small-cnn',
  title: 'conv 10/20 5x5 (pool, relu), fc 320-10',
  source: '002_d0177caa30123e6f.txt',
  build: () =>
    new Sequential(
      new Conv2d(1, 10, 5),
      new MaxPool2d(2),
      new ReLU(),
      new Conv2d(10, 20, 5),
      new MaxPool2d(2),
      new ReLU(),
      new Flatten(),
      new Linear(320, 10),
    ),
  params: 8_490,
  optimizerSettings: { kind: 'sgd', lr: 1e-2, momentum: 0.5 },
  loss: 'cross-entropy',
  batchSize: 128,
  testBatchSize: 128,
  epochs: 1,
  shuffle: true,
  normalize: { mean: 0.1307, std: 0.3081 },
  reports: [
    { kind: 'train-loss', when: { everySteps: 10, per: 'epoch' }, batchAccuracy: false, progress: true },
    { kind: 'test', when: 'end', loss: true, accuracy: true, printed: true },
  ],
  reported: { percent: 97.14, epochs: 1 },
  pytorch: { percent: 95.12, epochs: 1 },
});
