import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from './atomic-write';
import { architectureOf, fromConfig, type SequentialConfig } from './architecture';
import type { LayerConfig, Module } from './module';

export const MODEL_FORMAT = 'cnn-layers-model';
export const WEIGHTS_FILE = 'weights.bin';
export const MODEL_FILE = 'model.json';

/** The `model.json` written by `saveModel`. */
export interface SavedModelJson {
  format: typeof MODEL_FORMAT;
  formatVersion: 1;
  generatedBy: string;
  /** Architecture of a Sequential of built-in layers, else null. */
  modelTopology: SequentialConfig | LayerConfig | null;
  /** Free-form information (e.g. epoch, accuracy) passed to saveModel. */
  metadata?: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

export interface SaveOptions {
  /** Store the architecture (default: when the model is a Sequential of built-in layers). */
  architecture?: boolean;
  metadata?: Record<string, unknown>;
}

/** A saved model directory that is missing, unreadable or inconsistent. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

/**
 * Saves parameters and buffers (torch state-dict names) to `dir/weights.bin` in the
 * tfjs weights-manifest layout and describes them in `dir/model.json`, with the
 * architecture when the model is a Sequential of built-in layers. Creates `dir`.
 */
export async function saveModel(model: Module, dir: string, options: SaveOptions = {}): Promise<SavedModelJson> {
  const topology = architectureOf(model);
  if (options.architecture === true && !topology) {
    throw new ModelFileError(
      `cannot store the architecture of ${model.constructor.name}: only a Sequential of built-in layers can be rebuilt from JSON (save without architecture and load into a new ${model.constructor.name})`,
    );
  }
  const state = model.stateDict();
  const { data, specs } = await tf.io.encodeWeights(state);
  const json: SavedModelJson = {
    format: MODEL_FORMAT,
    formatVersion: 1,
    generatedBy: '@cnn/layers',
    modelTopology: options.architecture === false ? null : topology,
    ...(options.metadata ? { metadata: options.metadata } : {}),
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
  };
  await fs.mkdir(dir, { recursive: true });
  const bytes =
    data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(tf.io.concatenateArrayBuffers(data));
  await writeFileAtomic(path.join(dir, WEIGHTS_FILE), bytes);
  await writeFileAtomic(path.join(dir, MODEL_FILE), `${JSON.stringify(json, null, 2)}\n`);
  return json;
}

/** Reads and checks `dir/model.json`. */
export async function readModelJson(dir: string): Promise<SavedModelJson> {
  const file = path.join(dir, MODEL_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new ModelFileError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let json: SavedModelJson;
  try {
    json = JSON.parse(text) as SavedModelJson;
  } catch (err) {
    throw new ModelFileError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (json?.format !== MODEL_FORMAT) {
    throw new ModelFileError(
      `${file}: field "format" should be "${MODEL_FORMAT}" but is ${JSON.stringify(json?.format)}`,
    );
  }
  const group = json.weightsManifest?.[0];
  if (json.weightsManifest.length !== 1 || !group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
    throw new ModelFileError(`${file}: field "weightsManifest" should hold one group with "paths" and "weights"`);
  }
  return json;
}

/** Reads the saved parameters and buffers by name. The caller owns (and disposes) the tensors. */
export async function loadState(dir: string): Promise<Record<string, tf.Tensor>> {
  const json = await readModelJson(dir);
  const group = json.weightsManifest[0] as SavedModelJson['weightsManifest'][number];
  const buffers: Uint8Array[] = [];
  for (const p of group.paths) {
    const file = path.join(dir, p);
    try {
      buffers.push(await fs.readFile(file));
    } catch (err) {
      throw new ModelFileError(`cannot read ${file}: ${(err as Error).message}`);
    }
  }
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const expected = group.weights.reduce((n, w) => n + bytesOf(w), 0);
  if (total !== expected) {
    throw new ModelFileError(
      `${path.join(dir, group.paths.join('+'))} has ${total} bytes but ${MODEL_FILE} describes ${expected} bytes of weights`,
    );
  }
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    joined.set(b, offset);
    offset += b.byteLength;
  }
  return tf.io.decodeWeights(joined.buffer, group.weights);
}

function bytesOf(w: tf.io.WeightsManifestEntry): number {
  const size = w.shape.reduce((a, b) => a * b, 1);
  const width = w.dtype === 'bool' ? 1 : 4;
  if (!['float32', 'int32', 'bool'].includes(w.dtype))
    throw new ModelFileError(`weight "${w.name}" has unsupported dtype ${w.dtype}`);
  return size * width;
}

/**
 * Loads a saved model. With `into`, copies the saved weights into that model (strict
 * names and shapes) and returns it; without, rebuilds the Sequential from the stored
 * architecture (eval mode is not set: call `.eval()` for inference).
 */
export async function loadModel<M extends Module = Module>(dir: string, into?: M): Promise<M> {
  const json = await readModelJson(dir);
  let model: Module;
  if (into) model = into;
  else if (json.modelTopology) model = fromConfig(json.modelTopology);
  else {
    throw new ModelFileError(
      `${path.join(dir, MODEL_FILE)} has no architecture (the model was not a Sequential of built-in layers): pass a new instance of the model class to loadModel(dir, model)`,
    );
  }
  const state = await loadState(dir);
  try {
    model.loadStateDict(state);
  } catch (err) {
    if (!into) model.dispose();
    throw err;
  } finally {
    for (const t of Object.values(state)) t.dispose();
  }
  return model as M;
}
