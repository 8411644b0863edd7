import type * as tf from '@tensorflow/tfjs-core';
import { getRngState, setRngState } from '@cnn/layers';
import { readCheckpointFile, writeCheckpointFile } from './checkpoint-file';
import { checkModel, optimizerStateOf, restoring, validateMeta } from './checkpoint-restore';
import { CheckpointError } from './errors';
import type { Optimizer, OptimizerState } from './optimizer';
import type { LRScheduler, SchedulerState } from './scheduler';
import type { TrainableModel } from './types';

/** Where a run stands: `epoch` (0-based), batches done in it, and global steps done. */
export interface TrainingPosition {
  epoch: number;
  batch: number;
  step: number;
}

export interface TrainingStateParts {
  model: TrainableModel;
  // biome-ignore lint/suspicious/noExplicitAny: any optimizer subclass
  optimizer?: Optimizer<any>;
  scheduler?: LRScheduler;
}

export interface Meta {
  kind: 'training-state';
  position: TrainingPosition;
  rng: number;
  optimizer: Omit<OptimizerState, 'state'> | null;
  scheduler: SchedulerState | null;
  extra: unknown;
}

/**
 * Saves model parameters and buffers, optimizer state, scheduler position, the global RNG
 * state and `position` to one file, atomically (see `writeCheckpointFile`). `extra` is any
 * JSON the caller wants back on resume (e.g. history so far).
 */
export async function saveCheckpoint(
  file: string,
  parts: TrainingStateParts,
  position: TrainingPosition,
  extra: unknown = null,
): Promise<void> {
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, t] of [...parts.model.namedParameters(), ...parts.model.namedBuffers()])
    tensors[`model/${name}`] = t;
  let optimizer: Meta['optimizer'] = null;
  if (parts.optimizer) {
    const { state, ...rest } = parts.optimizer.stateDict();
    optimizer = rest;
    for (const [param, entries] of Object.entries(state)) {
      for (const [key, t] of Object.entries(entries)) tensors[`optimizer/${param}/${key}`] = t;
    }
  }
  const meta: Meta = {
    kind: 'training-state',
    position,
    rng: getRngState(),
    optimizer,
    scheduler: parts.scheduler ? parts.scheduler.stateDict() : null,
    extra,
  };
  await writeCheckpointFile(file, tensors, meta);
}

/**
 * Restores what `saveCheckpoint` wrote into `parts` (every model tensor must match by name, shape
 * and dtype, every optimizer state tensor the shape of its parameter) and the global RNG state;
 * returns the saved position and `extra` (null when none was saved). All or nothing: on any error
 * the model, optimizer, scheduler and RNG are exactly as before.
 */
export function loadCheckpoint(
  file: string,
  parts: TrainingStateParts,
): { position: TrainingPosition; extra: unknown } {
  const { tensors, meta: raw } = readCheckpointFile(file);
  try {
    const meta = validateMeta(file, raw);
    checkModel(file, parts.model, tensors);
    const optimizerState = parts.optimizer ? optimizerStateOf(file, parts, meta, tensors) : undefined;
    if (parts.scheduler && !meta.scheduler) throw new CheckpointError(`checkpoint ${file}: holds no scheduler state`);
    restoring(parts, () => {
      for (const [name, variable] of [...parts.model.namedParameters(), ...parts.model.namedBuffers()]) {
        variable.assign(tensors[`model/${name}`]!);
      }
      if (optimizerState) parts.optimizer!.loadStateDict(optimizerState);
      if (parts.scheduler) parts.scheduler.loadStateDict(meta.scheduler!);
      setRngState(meta.rng);
    });
    return { position: meta.position, extra: meta.extra ?? null };
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}
