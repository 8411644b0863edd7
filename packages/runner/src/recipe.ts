import type { Sequential } from '@cnn/layers';
import type { AccuracyFigure, LossKind, Normalisation, OptimizerSettings, Report } from '@cnn/zoo';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * A one-cycle learning-rate schedule (`OneCycleLR` of `@cnn/train`, stepped every batch) whose
 * peak is the run's learning rate (`--lr`, default the recipe's `optimizerSettings.lr`).
 */
export interface OneCycleSchedule {
  kind: 'one-cycle';
  /** Fraction of the steps spent warming up (default 0.3). */
  pctStart?: number;
  /** The first rate is the peak / divFactor (default 25). */
  divFactor?: number;
  /** The last rate is the first / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
}

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
}
