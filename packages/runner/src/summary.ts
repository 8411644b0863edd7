import type { AccuracyFigure } from '@cnn/zoo';
import * as tf from '@tensorflow/tfjs-core';
import pkg from '../package.json';

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
