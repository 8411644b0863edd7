import { describeBackend } from '@cnn/backend';
import type { History } from '@cnn/train';
import type { AccuracyFigure } from '@cnn/zoo';
import * as tf from '@tensorflow/tfjs-core';
import pkg from '../package.json';
import type { RunFlags } from './flags';
import type { TestLine } from './lines';
import type { AppRecipe } from './recipe';

/** `summary.json` of a finished run. Accuracies are fractions in [0, 1]. */
export interface RunSummary {
  app: string;
  recipe: string;
  title: string;
  testAccuracy: number;
  /** Mean test loss per image. */
  testLoss: number;
  correct: number;
  total: number;
  /** Epochs completed. */
  epochs: number;
  steps: number;
  /** Training images per epoch. */
  trainImages: number;
  /** Wall time of training (with the tests made during it), in seconds, this process only. */
  seconds: number;
  /**
   * CPU time of this process (all its threads) over the same span as `seconds`: close to
   * `seconds` when the run had its cores to itself, far below it when other work shared them.
   */
  cpuSeconds: number;
  /** Training images per second over `seconds`. */
  imgPerSec: number;
  /** Wall time from start to the saved model, in seconds (report not included). */
  totalSeconds: number;
  backend: string;
  seed: number;
  lr: number;
  batchSize: number;
  /** The IDX directory, or null for the embedded MNIST. */
  dataDir: string | null;
  limit: number | null;
  resumed: boolean;
  reported: AccuracyFigure | null;
  versions: { node: string; tfjsCore: string; runner: string };
  finishedAt: string;
}

/** The versions recorded in a summary. */
export function versions(): RunSummary['versions'] {
  return { node: process.versions.node, tfjsCore: tf.version_core, runner: pkg.version };
}

/** What a finished run measured, for {@link makeSummary}. */
export interface SummaryInputs {
  recipe: AppRecipe;
  flags: RunFlags;
  test: TestLine;
  history: History;
  trainImages: number;
  dataDir: string | undefined;
  /** Wall time of `fit`, and the training images it went through, in this process. */
  seconds: number;
  /** CPU time of this process over the same span. */
  cpuSeconds: number;
  imagesSeen: number;
  totalSeconds: number;
}

/** The `summary.json` of a finished run; the backend is the active one. */
export function makeSummary(i: SummaryInputs): RunSummary {
  return {
    app: i.recipe.name,
    recipe: i.recipe.id,
    title: i.recipe.title,
    testAccuracy: i.test.accuracy,
    testLoss: i.test.loss,
    correct: i.test.correct,
    total: i.test.total,
    epochs: i.history.epochs.length,
    steps: i.history.steps,
    trainImages: i.trainImages,
    seconds: round(i.seconds, 2),
    cpuSeconds: round(i.cpuSeconds, 2),
    imgPerSec: round(i.imagesSeen / i.seconds, 1),
    totalSeconds: round(i.totalSeconds, 2),
    backend: describeBackend(),
    seed: i.flags.seed,
    lr: i.flags.lr,
    batchSize: i.flags.batchSize,
    dataDir: i.dataDir ?? null,
    limit: i.flags.limit ?? null,
    resumed: i.flags.resume,
    reported: i.recipe.reported ?? null,
    versions: versions(),
    finishedAt: new Date().toISOString(),
  };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
