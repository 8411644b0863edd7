/** One training-loss line: what a tutorial can print about the current batch. */
export interface TrainLine {
  /** 0-based epoch. */
  epoch: number;
  /** Batches done in this epoch (1-based). */
  batch: number;
  /** Steps done in the run (1-based). */
  step: number;
  /** The counter the tutorial prints: the step or batch, from 0 or 1 as the tutorial counts. */
  index: number;
  /** This batch's loss. */
  loss: number;
  /** This batch's accuracy in [0, 1], when the report asks for it. */
  accuracy?: number;
  /** Images seen before this batch in this epoch, as PyTorch's `batch_idx * len(data)`. */
  seen: number;
  /** Training images per epoch. */
  total: number;
  /** Batches per epoch. */
  batches: number;
  /** The test accuracy measured at this step, when one was (in [0, 1]). */
  testAccuracy?: number;
}

/** A test-set result. */
export interface TestLine {
  epoch: number;
  step: number;
  /** Mean loss per image. */
  loss: number;
  /** In [0, 1]. */
  accuracy: number;
  correct: number;
  total: number;
}

/**
 * How an app words its lines, each optional: the runner's defaults are plain
 * `key value` lines. Apps pass their tutorial's wording.
 */
export interface LineFormats {
  trainLoss?(line: TrainLine): string;
  test?(line: TestLine): string;
  /** Ground truth and predicted class names of the chosen test digits. */
  predictions?(truth: readonly string[], predicted: readonly string[]): string[];
  /** Training and test batches per epoch. */
  batchCounts?(train: number, test: number): string[];
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

/** The runner's own wording, used for whatever an app does not word itself. */
export const DEFAULT_LINES: Required<LineFormats> = {
  trainLoss: (l) =>
    `epoch ${l.epoch + 1} step ${l.step} loss ${l.loss.toFixed(4)}` +
    (l.accuracy === undefined ? '' : ` batch accuracy ${pct(l.accuracy)}`) +
    (l.testAccuracy === undefined ? '' : ` test accuracy ${pct(l.testAccuracy)}`),
  test: (l) => `test loss ${l.loss.toFixed(4)}, accuracy ${pct(l.accuracy)} (${l.correct}/${l.total})`,
  predictions: (truth, predicted) => [
    `GroundTruth:  ${truth.map((t) => t.padStart(5)).join(' ')}`,
    `Predicted:  ${predicted.map((t) => t.padStart(5)).join(' ')}`,
  ],
  batchCounts: (train, test) => [`training batches: ${train}`, `test batches: ${test}`],
};
