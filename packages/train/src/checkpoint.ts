import * as tf from '@tensorflow/tfjs-core';
import { getRngState, setRngState } from '@cnn/layers';
import { readCheckpointFile, writeCheckpointFile } from './checkpoint-file';
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

interface Meta {
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
 * Restores what `saveCheckpoint` wrote into `parts` (every model tensor must match by name and
 * shape) and the global RNG state; returns the saved position and `extra`.
 */
export function loadCheckpoint(
  file: string,
  parts: TrainingStateParts,
): { position: TrainingPosition; extra: unknown } {
  const { tensors, meta: raw } = readCheckpointFile(file);
  try {
    const meta = raw as Meta;
    if (meta?.kind !== 'training-state') throw new CheckpointError(`checkpoint ${file}: not a training state`);
    loadModel(file, parts.model, tensors);
    if (parts.optimizer) {
      if (!meta.optimizer) throw new CheckpointError(`checkpoint ${file}: holds no optimizer state`);
      const state: OptimizerState['state'] = {};
      for (const [key, t] of Object.entries(tensors)) {
        if (!key.startsWith('optimizer/')) continue;
        const rest = key.slice('optimizer/'.length);
        const cut = rest.lastIndexOf('/');
        const param = rest.slice(0, cut);
        state[param] = { ...(state[param] ?? {}), [rest.slice(cut + 1)]: t };
      }
      parts.optimizer.loadStateDict({ ...meta.optimizer, state });
    }
    if (parts.scheduler) {
      if (!meta.scheduler) throw new CheckpointError(`checkpoint ${file}: holds no scheduler state`);
      parts.scheduler.loadStateDict(meta.scheduler);
    }
    setRngState(meta.rng);
    return { position: meta.position, extra: meta.extra };
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

function loadModel(file: string, model: TrainableModel, tensors: Record<string, tf.Tensor>): void {
  const own = new Map([...model.namedParameters(), ...model.namedBuffers()]);
  const saved = Object.keys(tensors)
    .filter((k) => k.startsWith('model/'))
    .map((k) => k.slice('model/'.length));
  const missing = [...own.keys()].filter((k) => !saved.includes(k));
  const unexpected = saved.filter((k) => !own.has(k));
  if (missing.length || unexpected.length) {
    throw new CheckpointError(
      `checkpoint ${file}: model does not match: missing [${missing.join(', ')}], unexpected [${unexpected.join(', ')}]`,
    );
  }
  for (const [name, variable] of own) {
    const t = tensors[`model/${name}`]!;
    if (!tf.util.arraysEqual(t.shape, variable.shape)) {
      throw new CheckpointError(
        `checkpoint ${file}: "${name}" has shape [${t.shape}], the model expects [${variable.shape}]`,
      );
    }
    tf.tidy(() => variable.assign(t.dtype === variable.dtype ? t : tf.cast(t, variable.dtype)));
  }
}
