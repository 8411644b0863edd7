import {
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  Linear,
  LogSoftmax,
  MaxPool2d,
  type Module,
  ReLU,
  Sequential,
} from '@cnn/layers';
import { Adam, SGD } from '@cnn/train';

/** The five tutorials of /work/shared/seeds, by number. */
export const MODEL_IDS = ['000', '001', '002', '003', '004'] as const;
export type ModelId = (typeof MODEL_IDS)[number];

/** The optimizers the tutorials use. */
export type TutorialOptimizer = SGD | Adam;

/** One tutorial's model with its training set-up. */
export interface ModelSpec {
  id: ModelId;
  title: string;
  /** Tutorial training batch size. */
  batchSize: number;
  /** Input normalisation `(x - mean) / std` after scaling pixels to [0, 1], or null. */
  normalize: { mean: number; std: number } | null;
  /** Parameter count of the model (same in the PyTorch reference). */
  params: number;
  /** Optimizer as the tutorial describes it, in words. */
  optimizerText: string;
  /** A fresh model (initialised from the default generator; seed with `manualSeed`). */
  build(): Module;
  /** The tutorial's optimizer over the model's parameters. */
  optimizer(model: Module): TutorialOptimizer;
}

const conv = (inC: number, outC: number, k: number, padding = 0) => new Conv2d(inC, outC, k, { padding });

/**
 * The five architectures, NHWC. The loss is cross-entropy on the model output in every case;
 * 000 and 001 end in log_softmax, so (as in those tutorials) cross-entropy is applied to
 * log-probabilities.
 */
export const MODELS: Record<ModelId, ModelSpec> = {
  '000': {
    id: '000',
    title: 'basic CNN (32/64 conv, fc 1024)',
    batchSize: 50,
    normalize: null,
    params: 3_274_634,
    optimizerText: 'SGD lr 3e-4',
    build: () =>
      new Sequential(
        conv(1, 32, 5, 2),
        new MaxPool2d(2),
        new ReLU(),
        conv(32, 64, 5, 2),
        new MaxPool2d(2),
        new ReLU(),
        new Flatten(),
        new Linear(3136, 1024),
        new ReLU(),
        new Dropout(0.5),
        new Linear(1024, 10),
        new LogSoftmax(),
      ),
    optimizer: (m) => new SGD(m, { lr: 3e-4 }),
  },
  '001': {
    id: '001',
    title: 'wide CNN (150/64 conv, fc 1024-500)',
    batchSize: 50,
    normalize: null,
    params: 3_973_762,
    optimizerText: 'SGD lr 1e-2 momentum 0.95',
    build: () =>
      new Sequential(
        conv(1, 150, 5, 2),
        new ReLU(),
        new MaxPool2d(2),
        conv(150, 64, 5, 2),
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
    optimizer: (m) => new SGD(m, { lr: 1e-2, momentum: 0.95 }),
  },
  '002': {
    id: '002',
    title: 'small CNN (10/20 conv, fc 320)',
    batchSize: 128,
    normalize: { mean: 0.1307, std: 0.3081 },
    params: 8_490,
    optimizerText: 'SGD lr 1e-2 momentum 0.5',
    build: () =>
      new Sequential(
        conv(1, 10, 5),
        new MaxPool2d(2),
        new ReLU(),
        conv(10, 20, 5),
        new MaxPool2d(2),
        new ReLU(),
        new Flatten(),
        new Linear(320, 10),
      ),
    optimizer: (m) => new SGD(m, { lr: 1e-2, momentum: 0.5 }),
  },
  '003': {
    id: '003',
    title: 'CNN 16/32 conv, batch 4',
    batchSize: 4,
    normalize: null,
    params: 28_938,
    optimizerText: 'Adam lr 1e-3',
    build: () =>
      new Sequential(
        conv(1, 16, 5, 2),
        new ReLU(),
        new MaxPool2d(2),
        conv(16, 32, 5, 2),
        new ReLU(),
        new MaxPool2d(2),
        new Flatten(),
        new Linear(1568, 10),
      ),
    optimizer: (m) => new Adam(m, { lr: 1e-3 }),
  },
  '004': {
    id: '004',
    title: 'CNN 5/10/20/40 conv + batch norm',
    batchSize: 100,
    normalize: { mean: 0.5, std: 0.5 },
    params: 507_420,
    optimizerText: 'Adam lr 3e-4 weight decay 1e-3',
    build: () =>
      new Sequential(
        conv(1, 5, 3, 1),
        new ReLU(),
        conv(5, 10, 3, 1),
        new MaxPool2d(2),
        new ReLU(),
        new BatchNorm2d(10),
        conv(10, 20, 3, 1),
        new ReLU(),
        new BatchNorm2d(20),
        conv(20, 40, 3, 1),
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
    optimizer: (m) => new Adam(m, { lr: 3e-4, weightDecay: 1e-3 }),
  },
};

/** Number of trainable values in a model. */
export function countParameters(model: Module): number {
  return model.parameters().reduce((n, p) => n + p.size, 0);
}
