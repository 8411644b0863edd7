import type * as tf from '@tensorflow/tfjs-core';
import type { EarlyStopping, EarlyStoppingOptions } from './early-stopping';
import type { Optimizer } from './optimizer';
import type { ProgressMode, TextSink } from './progress';
import type { LRScheduler } from './scheduler';
import type { Batch, BatchSource, LossFn } from './types';

export interface FitOptions {
  // biome-ignore lint/suspicious/noExplicitAny: any optimizer subclass
  optimizer: Optimizer<any>;
  /** Default: cross-entropy on logits. Use `nllLoss` for models ending in LogSoftmax. */
  loss?: LossFn;
  epochs: number;
  /** Training batches: a re-iterable collection or `(epoch) => iterable` (see `BatchSource`). */
  train: BatchSource;
  /** Validation data, evaluated every `every` steps, or at each epoch end without `every`. */
  validate?: { data: BatchSource; every?: number };
  scheduler?: LRScheduler;
  /** When to step the scheduler; default 'batch' for OneCycleLR, else 'epoch'. */
  schedulerStep?: 'batch' | 'epoch';
  /** Clip the global gradient norm to this value. */
  clipGradNorm?: number;
  earlyStopping?: EarlyStoppingOptions | EarlyStopping;
  /** Track training accuracy (needs class outputs). Default true. */
  trackAccuracy?: boolean;
  onBatchEnd?: (info: BatchEndInfo) => void | Promise<void>;
  onEpochEnd?: (info: EpochRecord & { stop(): void }) => void | Promise<void>;
  onValidation?: (info: ValidationRecord) => void | Promise<void>;
  /** JSON Lines metrics log for this run. */
  logFile?: string;
  /** Log a batch line every this many steps. Default 10. */
  logEvery?: number;
  /** Save `dir/last.ckpt` every `every` steps and at each epoch end. */
  checkpoint?: { dir: string; every?: number };
  /** Continue from a checkpoint file (or a checkpoint dir holding `last.ckpt`). */
  resumeFrom?: string;
  progress?: ProgressMode;
  /** Plain-line progress every this many batches. Default 100. */
  progressEvery?: number;
  progressSink?: TextSink;
  /** Batches per epoch, for the progress bar when the source has no `length`. */
  stepsPerEpoch?: number;
}

/** Handed to `onBatchEnd` after each step. Tensors are freed when the callback returns. */
export interface BatchEndInfo {
  epoch: number;
  /** Batches done in this epoch (1-based). */
  batch: number;
  /** Steps done in the whole run (1-based). */
  step: number;
  size: number;
  lr: number;
  data: Batch;
  output: tf.Tensor;
  lossTensor: tf.Scalar;
  /** This batch's loss (reads the device once). */
  loss(): number;
  /** This batch's accuracy. */
  accuracy(): number;
  /** Mean loss over the epoch so far. */
  runningLoss(): number;
  /** Accuracy over the epoch so far. */
  runningAccuracy(): number;
  /** Ends training after this step. */
  stop(): void;
}

export interface EpochRecord {
  epoch: number;
  steps: number;
  loss: number;
  accuracy: number;
  lr: number;
  valLoss?: number;
  valAccuracy?: number;
}

export interface ValidationRecord {
  epoch: number;
  step: number;
  loss: number;
  accuracy: number;
}

export interface History {
  epochs: EpochRecord[];
  validations: ValidationRecord[];
  steps: number;
  stopReason: 'completed' | 'early-stopping' | 'callback';
}
