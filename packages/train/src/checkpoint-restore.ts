// What loadCheckpoint checks before it changes anything, and how it undoes a restore that fails.
import * as tf from '@tensorflow/tfjs-core';
import { getRngState, setRngState } from '@cnn/layers';
import type { Meta, TrainingStateParts } from './checkpoint';
import { CheckpointError } from './errors';
import type { OptimizerState } from './optimizer';
import type { TrainableModel } from './types';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

/** The checkpoint's meta, with every field loadCheckpoint uses checked. */
export function validateMeta(file: string, raw: unknown): Meta {
  const fail = (what: string): never => {
    throw new CheckpointError(`checkpoint ${file}: ${what}`);
  };
  if (!isObject(raw) || raw.kind !== 'training-state') return fail('not a training state');
  const p = raw.position;
  if (!isObject(p) || !count(p.epoch) || !count(p.batch) || !count(p.step)) {
    fail(`field "position" should be { epoch, batch, step } of whole numbers, got ${JSON.stringify(p)}`);
  }
  if (typeof raw.rng !== 'number' || !Number.isFinite(raw.rng))
    fail(`field "rng" should be a number, got ${JSON.stringify(raw.rng)}`);
  if (raw.optimizer !== null && !isObject(raw.optimizer)) fail('field "optimizer" should be an object or null');
  if (raw.scheduler !== null && !isObject(raw.scheduler)) fail('field "scheduler" should be an object or null');
  return raw as unknown as Meta;
}

/** Throws unless the saved model tensors match the model's by name, shape and dtype. */
export function checkModel(file: string, model: TrainableModel, tensors: Record<string, tf.Tensor>): void {
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
    if (t.dtype !== variable.dtype) {
      throw new CheckpointError(`checkpoint ${file}: "${name}" is ${t.dtype}, the model's is ${variable.dtype}`);
    }
  }
}

/** The optimizer state to load, each tensor checked against the shape of its parameter. */
export function optimizerStateOf(
  file: string,
  parts: TrainingStateParts,
  meta: Meta,
  tensors: Record<string, tf.Tensor>,
): OptimizerState {
  if (!meta.optimizer) throw new CheckpointError(`checkpoint ${file}: holds no optimizer state`);
  const params = new Map(parts.model.namedParameters());
  const state: OptimizerState['state'] = {};
  for (const [key, t] of Object.entries(tensors)) {
    if (!key.startsWith('optimizer/')) continue;
    const rest = key.slice('optimizer/'.length);
    const cut = rest.lastIndexOf('/');
    const param = rest.slice(0, cut);
    const p = params.get(param);
    if (p && !tf.util.arraysEqual(t.shape, p.shape)) {
      throw new CheckpointError(
        `checkpoint ${file}: optimizer state "${rest}" has shape [${t.shape}], its parameter "${param}" is [${p.shape}]`,
      );
    }
    state[param] = { ...(state[param] ?? {}), [rest.slice(cut + 1)]: t };
  }
  return { ...(meta.optimizer as Omit<OptimizerState, 'state'>), state };
}

/**
 * Runs `restore`; if it throws, puts back the model values, optimizer state, scheduler state and
 * RNG state from before, then rethrows.
 */
export function restoring(parts: TrainingStateParts, restore: () => void): void {
  const variables = [...parts.model.namedParameters(), ...parts.model.namedBuffers()].map(([, v]) => v);
  const values = variables.map((v) => tf.clone(v));
  const optimizer = parts.optimizer?.stateDict();
  const optimizerCopy = optimizer && {
    ...optimizer,
    state: Object.fromEntries(
      Object.entries(optimizer.state).map(([k, e]) => [
        k,
        Object.fromEntries(Object.entries(e).map(([n, t]) => [n, tf.clone(t)])),
      ]),
    ),
  };
  const scheduler = parts.scheduler?.stateDict();
  const rng = getRngState();
  try {
    restore();
  } catch (err) {
    variables.forEach((v, i) => {
      v.assign(values[i]!);
    });
    if (scheduler) parts.scheduler!.loadStateDict(scheduler);
    if (optimizerCopy) parts.optimizer!.loadStateDict(optimizerCopy);
    setRngState(rng);
    throw err;
  } finally {
    tf.dispose(values);
    if (optimizerCopy) for (const e of Object.values(optimizerCopy.state)) tf.dispose(Object.values(e));
  }
}
