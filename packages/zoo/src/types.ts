import type { Module, Sequential } from '@cnn/layers';
import type { Adam, SGD } from '@cnn/train';
import type * as tf from '@tensorflow/tfjs-core';

/** The five tutorials, by number (the order of the seed files). */
export const RECIPE_IDS = ['000', '001', '002', '003', '004'] as const;
export type RecipeId = (typeof RECIPE_IDS)[number];

/** The five tutorials, by the name of their sample app (same order as `RECIPE_IDS`). */
export const RECIPE_NAMES = ['basic-cnn', 'wide-cnn', 'small-cnn', 'sequential-cnn', 'batchnorm-cnn'] as const;
export type RecipeName = (typeof RECIPE_NAMES)[number];

/**
 * A tutorial's optimizer as data, in `torch.optim` terms: `SGD(lr, momentum)` or
 * `Adam(lr, weight_decay)` with L2 decay added to the gradient (not AdamW).
 */
export type OptimizerSettings =
  | { kind: 'sgd'; lr: number; momentum: number }
  | { kind: 'adam'; lr: number; weightDecay: number };

/** The optimizers the tutorials use. */
export type RecipeOptimizer = SGD | Adam;

/** Input normalisation `(x - mean) / std`, applied after scaling pixels to [0, 1]. */
export interface Normalisation {
  mean: number;
  std: number;
}

/**
 * Random affine augmentation of the training images, as data (`randomAffine` of `@cnn/datasets`
 * takes it): rotation up to `degrees` either way, shift up to `shift` pixels, zoom in `scale`.
 */
export interface AugmentSettings {
  degrees?: number;
  shift?: number;
  scale?: readonly [number, number];
}

/**
 * The loss the tutorial applies to the model output, mean over the batch:
 * - `'cross-entropy'`: the model outputs logits `[N, 10]`; `nn.CrossEntropyLoss`.
 * - `'nll'`: the model ends in log-softmax and outputs log-probabilities `[N, 10]`; the
 *   tutorial passes them to `nn.CrossEntropyLoss`, which equals `nll_loss` on them because
 *   log-softmax of log-probabilities changes nothing.
 */
export type LossKind = 'cross-entropy' | 'nll';

/**
 * When a report is made. Steps are optimizer steps counted from 1; `per: 'epoch'` restarts
 * the count each epoch (tutorial 000), `per: 'run'` counts across epochs.
 */
export type When = 'start' | 'end' | { everyEpochs: number } | { everySteps: number; per: 'epoch' | 'run' };

/** One thing a tutorial prints or plots, so an app can reproduce its output. */
export type Report =
  /** The loss of the current training batch; `batchAccuracy` adds that batch's accuracy, `progress` images seen / total. */
  | { kind: 'train-loss'; when: When; batchAccuracy: boolean; progress: boolean }
  /** Loss and/or accuracy on the whole test set; `printed: false` records it for a curve only. */
  | { kind: 'test'; when: When; loss: boolean; accuracy: boolean; printed: boolean }
  /** Ground truth next to the predicted class for `count` random digits of the first test batch. */
  | { kind: 'predictions'; when: When; count: number }
  /** A picture of the first `count` digits of a split. */
  | { kind: 'digits'; when: When; count: number; split: 'train' | 'test' }
  /** How many training and test batches there are. */
  | { kind: 'batch-counts'; when: When }
  /** Curves of recorded values against the step number. */
  | { kind: 'curves'; when: When; series: ('train-loss' | 'test-accuracy')[] };

/** An accuracy on the 10 000 MNIST test images, in percent, after `epochs` epochs. */
export interface AccuracyFigure {
  percent: number;
  epochs: number;
}

/** One tutorial: its model and everything needed to train it as the tutorial does. */
export interface Recipe {
  id: RecipeId;
  name: RecipeName;
  /** A one-line description of the architecture. */
  title: string;
  /** The seed file the recipe is read from (provenance). */
  source: string;
  /**
   * A fresh, newly initialised model (torch's default initialisation, from the
   * `@cnn/layers` default generator: seed it with `manualSeed`). Input NHWC `[N, 28, 28, 1]`,
   * output `[N, 10]`.
   */
  build(): Sequential;
  /** Trainable values of the model. */
  params: number;
  optimizerSettings: OptimizerSettings;
  /** The tutorial's optimizer over `model`'s parameters, from `optimizerSettings`. */
  optimizer(model: Module): RecipeOptimizer;
  loss: LossKind;
  /** The loss function for `loss`: mean over the batch, labels as int32 class ids `[N]`. */
  lossFn(output: tf.Tensor, labels: tf.Tensor): tf.Tensor;
  batchSize: number;
  testBatchSize: number;
  epochs: number;
  /** Whether the training set is shuffled each epoch (it is in all five). */
  shuffle: boolean;
  normalize: Normalisation | null;
  reports: Report[];
  /** The test accuracy the tutorial reports (001 and 004 print whole percents). */
  reported: AccuracyFigure;
  /** The test accuracy PyTorch 1.13 reached on this project's machine with the same recipe. */
  pytorch: AccuracyFigure;
}
