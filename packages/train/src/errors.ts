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
