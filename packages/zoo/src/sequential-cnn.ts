import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@cnn/layers';
import { defineRecipe } from './define';

/**
 * Tutorial 003, `sequential-cnn`: two blocks of a 5x5 convolution (16 then 32 channels,
 * padding 2), ReLU and 2x2 max-pooling; one linear layer to the 10 logits.
 *
 * Shape: `[N, 28, 28, 1]` → block `[N, 14, 14, 16]` → block `[N, 7, 7, 32]` → flatten
 * `[N, 1568]` → `[N, 10]` logits.
 *
 * Training: Adam lr 1e-3, batch 4, 10 epochs, no normalisation; the number of training and
 * test batches first, the test accuracy (test batch 4) at the end.
 */
export const sequentialCnn = defineRecipe({
  id: '003',
  name: 'sequential-cnn',
  title: 'conv 16/32 5x5 pad 2 (relu, pool), fc 1568-10',
  source: '003_fcc810c2fffe50ca.txt',
  build: () =>
    new Sequential(
      new Conv2d(1, 16, 5, { padding: 2 }),
      new ReLU(),
      new MaxPool2d(2),
      new Conv2d(16, 32, 5, { padding: 2 }),
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      new Linear(1568, 10),
    ),
  params: 28_938,
  optimizerSettings: { kind: 'adam', lr: 1e-3, weightDecay: 0 },
  loss: 'cross-entropy',
  batchSize: 4,
  testBatchSize: 4,
  epochs: 10,
  shuffle: true,
  normalize: null,
  reports: [
    { kind: 'batch-counts', when: 'start' },
    { kind: 'test', when: 'end', loss: false, accuracy: true, printed: true },
  ],
  reported: { percent: 99.05, epochs: 10 },
  pytorch: { percent: 98.84, epochs: 10 },
});
