/** Tensors passed to a loss or metric have the wrong rank, shape or dtype. */
export class LossInputError extends Error {
  override name = 'LossInputError';
}

/** An optimizer or scheduler was built or driven with bad options or gradients. */
export class OptimizerError extends Error {
  override name = 'OptimizerError';
}

/** A checkpoint file is missing, truncated, of another format, or does not fit the model. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** `fit`, `evaluate` or `predict` got options or data they cannot use. */
export class TrainingError extends Error {
  override name = 'TrainingError';
}

/**
 * A class-id label that the model cannot output: not an integer in `0..classes-1` (PyTorch's
 * "Target out of bounds"). `row` is its index in the batch; `fit` and `evaluate` add `epoch` and
 * `batch` (1-based within the epoch).
 */
export class LabelRangeError extends LossInputError {
  override name = 'LabelRangeError';
  constructor(
    /** The loss function that saw the label, e.g. 'crossEntropy'. */
    readonly fn: string,
    /** The offending label. */
    readonly label: number,
    /** Its row in the batch. */
    readonly row: number,
    /** How many classes the model outputs (the size of the output's last axis). */
    readonly classes: number,
    /** Where in training it came from, when known. */
    readonly where?: { epoch: number; batch: number },
  ) {
    const at = where ? `epoch ${where.epoch} batch ${where.batch}: ` : '';
    super(
      `${at}${fn}: label ${label} at row ${row} is out of range: the model outputs ${classes} classes (labels 0..${classes - 1})`,
    );
  }

  /** The same error, saying where in training it happened. */
  at(epoch: number, batch: number): LabelRangeError {
    return new LabelRangeError(this.fn, this.label, this.row, this.classes, { epoch, batch });
  }
}
