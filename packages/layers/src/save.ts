import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { architectureOf, fromConfig } from './architecture';
import { writeDirAtomic } from './atomic-write';
import {
  bytesOf,
  jsonDigest,
  MODEL_FILE,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  ModelFileError,
  type SavedModelJson,
  sha256,
  validateModelJson,
  WEIGHTS_FILE,
} from './model-file';
import type { Module } from './module';

export type { ModelFileProblem, ModelIntegrity, SavedModelJson } from './model-file';
export {
  MODEL_FILE,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  ModelFileError,
  validateModelJson,
  WEIGHTS_FILE,
} from './model-file';

export interface SaveOptions {
  /** Store the architecture (default: when the model is a Sequential of built-in layers). */
  architecture?: boolean;
  metadata?: Record<string, unknown>;
}

/**
 * Saves parameters and buffers (torch state-dict names) to `dir/weights.bin` in the
 * tfjs weights-manifest layout and describes them in `dir/model.json` (format version 2,
 * with SHA-256 checksums of both), with the architecture when the model is a Sequential of
 * built-in layers. The directory appears as a whole (see `writeDirAtomic`); it is created if
 * needed, and what a killed earlier save left beside it is removed.
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
  const bytes =
    data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(tf.io.concatenateArrayBuffers(data));
  const json: SavedModelJson = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    generatedBy: '@cnn/layers',
    modelTopology: options.architecture === false ? null : topology,
    ...(options.metadata ? { metadata: options.metadata } : {}),
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
  };
  json.integrity = { algorithm: 'sha256', json: jsonDigest(json), files: { [WEIGHTS_FILE]: sha256(bytes) } };
  // model.json last: where the directory cannot be swapped whole, it is the file renamed in last.
  await writeDirAtomic(dir, { [WEIGHTS_FILE]: bytes, [MODEL_FILE]: `${JSON.stringify(json, null, 2)}\n` });
  return json;
}

/** Reads and checks `dir/model.json` (every field; see `validateModelJson`). */
export async function readModelJson(dir: string): Promise<SavedModelJson> {
  const file = path.join(dir, MODEL_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new ModelFileError(`cannot read ${file}: ${(err as Error).message}`, { file });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ModelFileError(`${file} is not valid JSON: ${(err as Error).message}`, { file });
  }
  return validateModelJson(raw, file);
}

/**
 * Reads the saved parameters and buffers by name, after checking their byte count and (format
 * version 2) their SHA-256. The caller owns (and disposes) the tensors.
 */
export async function loadState(dir: string): Promise<Record<string, tf.Tensor>> {
  const json = await readModelJson(dir);
  const group = json.weightsManifest[0]!;
  const buffers: Uint8Array[] = [];
  for (const p of group.paths) {
    const file = path.join(dir, p);
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(file);
    } catch (err) {
      throw new ModelFileError(`cannot read ${file}: ${(err as Error).message}`, { file });
    }
    buffers.push(bytes);
  }
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const expected = group.weights.reduce((n, w) => n + bytesOf(w), 0);
  if (total !== expected) {
    const file = path.join(dir, group.paths.join('+'));
    throw new ModelFileError(`${file} has ${total} bytes but ${MODEL_FILE} describes ${expected} bytes of weights`, {
      file,
      field: 'length',
    });
  }
  if (json.integrity) {
    group.paths.forEach((p, i) => {
      if (sha256(buffers[i]!) !== json.integrity!.files[p]) {
        const file = path.join(dir, p);
        throw new ModelFileError(`${file}: content does not match its SHA-256 in ${MODEL_FILE} (corrupted?)`, {
          file,
          field: 'checksum',
        });
      }
    });
  }
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    joined.set(b, offset);
    offset += b.byteLength;
  }
  return tf.io.decodeWeights(joined.buffer, group.weights);
}

/**
 * Loads a saved model. With `into`, copies the saved weights into that model (strict
 * names, shapes and dtypes) and returns it; on any error `into` is left exactly as it was.
 * Without, rebuilds the Sequential from the stored architecture (eval mode is not set: call
 * `.eval()` for inference). Files of format version 1 (no checksums) load unverified.
 */
export async function loadModel<M extends Module = Module>(dir: string, into?: M): Promise<M> {
  const json = await readModelJson(dir);
  if (!into && !json.modelTopology) {
    throw new ModelFileError(
      `${path.join(dir, MODEL_FILE)} has no architecture (the model was not a Sequential of built-in layers): pass a new instance of the model class to loadModel(dir, model)`,
      { file: path.join(dir, MODEL_FILE), field: 'modelTopology' },
    );
  }
  const state = await loadState(dir);
  try {
    const model = into ?? fromConfig(json.modelTopology!);
    try {
      loadAllOrNothing(dir, model, state);
    } catch (err) {
      if (!into) model.dispose();
      throw err;
    }
    return model as M;
  } finally {
    for (const t of Object.values(state)) t.dispose();
  }
}

/** Copies `state` into `model`, or (on any error) puts back the values it had. */
function loadAllOrNothing(dir: string, model: Module, state: Record<string, tf.Tensor>): void {
  const own = [...model.namedParameters(), ...model.namedBuffers()];
  for (const [name, variable] of own) {
    const t = state[name];
    if (t && t.dtype !== variable.dtype) {
      throw new ModelFileError(
        `${path.join(dir, MODEL_FILE)}: weight "${name}" is ${t.dtype} but the model's is ${variable.dtype}`,
        { file: path.join(dir, MODEL_FILE), field: name },
      );
    }
  }
  const before = own.map(([, v]) => tf.clone(v));
  try {
    model.loadStateDict(state);
  } catch (err) {
    own.forEach(([, v], i) => {
      v.assign(before[i]!);
    });
    throw err;
  } finally {
    tf.dispose(before);
  }
}
