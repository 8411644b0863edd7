import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, LabelRangeError, TrainingError } from './errors';
import type { EpochRecord, FitOptions } from './fit-types';
import { HOST_MEMORY_BACKENDS } from './losses';
import type { Batch, TrainableModel } from './types';

/** The one-line epoch summary printed by the progress output. */
export function formatEpoch(r: EpochRecord, epochs: number): string {
  let s = `epoch ${r.epoch + 1}/${epochs} loss ${r.loss.toFixed(4)}`;
  if (!Number.isNaN(r.accuracy)) s += ` acc ${(r.accuracy * 100).toFixed(2)}%`;
  if (r.valLoss !== undefined)
    s += ` val_loss ${r.valLoss.toFixed(4)} val_acc ${((r.valAccuracy ?? 0) * 100).toFixed(2)}%`;
  return s;
}

/** Throws `TrainingError` naming the first bad `fit` option. */
export function validateOptions(o: FitOptions): void {
  if (!o?.optimizer) throw new TrainingError('fit: options.optimizer is required');
  if (!(Number.isInteger(o.epochs) && o.epochs > 0))
    throw new TrainingError(`fit: epochs must be a positive integer, got ${o.epochs}`);
  if (o.train === undefined) throw new TrainingError('fit: options.train (the training batches) is required');
  for (const [name, v] of [
    ['validate.every', o.validate?.every],
    ['checkpoint.every', o.checkpoint?.every],
    ['logEvery', o.logEvery],
    ['progressEvery', o.progressEvery],
  ] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v > 0))
      throw new TrainingError(`fit: ${name} must be a positive integer, got ${v}`);
  }
  if (o.clipGradNorm !== undefined && !(o.clipGradNorm > 0)) {
    throw new TrainingError(`fit: clipGradNorm must be > 0, got ${o.clipGradNorm}`);
  }
}

/**
 * Checks each batch's class ids against the number of classes the model outputs before the step
 * runs (outside the gradient tape: a throw inside it would strand the tensors the tape saved).
 * Labels are read from `batch.labels` (an Int32Array, as @cnn/datasets' batches carry) or, on
 * backends whose tensors live in JS or wasm memory, from `y`; never a device sync. The class count
 * comes from one eval-mode forward pass of one example, made once (no batch-norm update, no dropout).
 */
export class LabelGuard {
  private classes: number | null | undefined;

  constructor(private readonly model: TrainableModel) {}

  /** Throws LabelRangeError naming `epoch` and `batch` (1-based) at the first label out of range. */
  check(data: Batch, epoch: number, batch: number): void {
    if (data.y.rank !== 1) return; // one-hot or soft targets cannot be out of range
    this.classes ??= this.probe(data.x);
    if (this.classes === null) return;
    const own = (data as { labels?: unknown }).labels;
    const values = ArrayBuffer.isView(own) ? (own as Int32Array) : hostValues(data.y);
    if (!values) return;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!(Number.isInteger(v) && v >= 0 && v < this.classes)) {
        throw new LabelRangeError('fit', v, i, this.classes, { epoch, batch });
      }
    }
  }

  private probe(x: tf.Tensor): number | null {
    if (x.shape[0] === 0) return null;
    const wasTraining = this.model.training;
    this.model.train(false);
    try {
      const shape = tf.tidy(() => this.model.apply(tf.slice(x, 0, 1)).shape);
      return shape.length === 2 ? shape[1]! : null;
    } finally {
      this.model.train(wasTraining);
    }
  }
}

function hostValues(y: tf.Tensor): ArrayLike<number> | undefined {
  return HOST_MEMORY_BACKENDS.has(tf.getBackend()) ? y.dataSync() : undefined;
}

/**
 * The `extra` of a checkpoint `fit` resumes from, checked: `fit` saves its history, running sums
 * and early-stopping state there. A checkpoint from `saveCheckpoint` without them is a
 * CheckpointError saying so (instead of a TypeError deep in `fit`).
 */
export function resumeExtraOf(file: string, extra: unknown): unknown {
  const e = extra as { history?: Record<string, unknown>; sums?: Record<string, unknown> } | null;
  const h = e?.history;
  const sums = e?.sums;
  const ok =
    h &&
    Array.isArray(h.epochs) &&
    Array.isArray(h.validations) &&
    typeof h.steps === 'number' &&
    sums &&
    ['loss', 'correct', 'seen'].every((k) => typeof sums[k] === 'number');
  if (!ok) {
    throw new CheckpointError(
      `checkpoint ${file} holds no fit resume state (history and running sums in "extra"): resumeFrom needs a checkpoint written by fit's checkpoint option, not one saved by saveCheckpoint directly`,
    );
  }
  return extra;
}
