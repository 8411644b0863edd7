import type { Sequential } from '@cnn/layers';
import type {
  AccuracyFigure,
  AugmentSettings,
  LossKind,
  Normalisation,
  OneCycleSettings,
  OptimizerSettings,
  Report,
} from '@cnn/zoo';
import type * as tf from '@tensorflow/tfjs-core';

/** A one-cycle learning-rate schedule, peaking at the run's `--lr` (`OneCycleSettings` of `@cnn/zoo`). */
export type OneCycleSchedule = OneCycleSettings;

/**
 * What the runner needs of a recipe. Every `Recipe` of `@cnn/zoo` is one; recipes that go
 * beyond the tutorials may add a `schedule`.
 */
export interface AppRecipe {
  /** Short id (`'002'`) and app name (`'small-cnn'`). */
  id: string;
  name: string;
  /** One line about the architecture. */
  title: string;
  /** A fresh model: NHWC input `[N, 28, 28, 1]`, output `[N, 10]` logits or log-probabilities. */
  build(): Sequential;
  optimizerSettings: OptimizerSettings;
  loss: LossKind;
  lossFn(output: tf.Tensor, labels: tf.Tensor): tf.Tensor;
  batchSize: number;
  testBatchSize: number;
  epochs: number;
  shuffle: boolean;
  normalize: Normalisation | null;
  /** What is printed or plotted, and when (see `Report` in `@cnn/zoo`). */
  reports: readonly Report[];
  /** The accuracy the tutorial reports, when there is a tutorial. */
  reported?: AccuracyFigure;
  schedule?: OneCycleSchedule;
  /** Random affine augmentation of the training batches (never of the test). */
  augment?: AugmentSettings;
}
