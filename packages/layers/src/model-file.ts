// The model.json of a saved model: its type, a strict validator, and the SHA-256 integrity record.
import { createHash } from 'node:crypto';
import type * as tf from '@tensorflow/tfjs-core';
import type { SequentialConfig } from './architecture';
import type { LayerConfig } from './module';

export const MODEL_FORMAT = 'cnn-layers-model';
export const WEIGHTS_FILE = 'weights.bin';
export const MODEL_FILE = 'model.json';
/** The format version `saveModel` writes. Version 1 (no `integrity`) still loads, unverified. */
export const MODEL_FORMAT_VERSION = 2;

/** The dtypes a saved weight may have, and their bytes per element. */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
const ENTRY_FIELDS = new Set(['name', 'shape', 'dtype']);
const TOP_FIELDS = new Set([
  'format',
  'formatVersion',
  'generatedBy',
  'modelTopology',
  'metadata',
  'weightsManifest',
  'integrity',
]);

/** SHA-256 (hex) of each weights file and of model.json itself (without this field), written by `saveModel`. */
export interface ModelIntegrity {
  algorithm: 'sha256';
  /** Of `JSON.stringify` of model.json without `integrity`: covers the manifest, shapes, dtypes, architecture. */
  json: string;
  /** By weights file name. */
  files: Record<string, string>;
}

/** The `model.json` written by `saveModel`. */
export interface SavedModelJson {
  format: typeof MODEL_FORMAT;
  formatVersion: 1 | 2;
  generatedBy: string;
  /** Architecture of a Sequential of built-in layers, else null. */
  modelTopology: SequentialConfig | LayerConfig | null;
  /** Free-form information (e.g. epoch, accuracy) passed to saveModel. */
  metadata?: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  /** Checksums (format version 2). */
  integrity?: ModelIntegrity;
}

/** What was wrong with a saved model directory: which file, and which field or part of it. */
export interface ModelFileProblem {
  /** The file at fault. */
  file?: string;
  /** The field or part, e.g. 'weightsManifest[0].weights[2].dtype' or 'checksum'. */
  field?: string;
}

/** A saved model directory that is missing, unreadable, inconsistent, corrupted or unsupported. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
  /** The file at fault, when one is. */
  readonly file?: string;
  /** The field or part at fault, when known. */
  readonly field?: string;
  constructor(message: string, problem: ModelFileProblem = {}) {
    super(message);
    if (problem.file !== undefined) this.file = problem.file;
    if (problem.field !== undefined) this.field = problem.field;
  }
}

export function sha256(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** The hash of model.json's content, without its `integrity` field. */
export function jsonDigest(json: SavedModelJson): string {
  const { integrity: _, ...rest } = json;
  return sha256(JSON.stringify(rest));
}

/** Bytes of one manifest entry (the entry is already validated). */
export function bytesOf(w: tf.io.WeightsManifestEntry): number {
  return w.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[w.dtype]!;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A weights path must name a file directly in the model directory: no separators, no '..'. */
function plainFileName(p: unknown): p is string {
  return typeof p === 'string' && p.length > 0 && p !== '.' && p !== '..' && !/[/\\\0]/.test(p);
}

/**
 * Throws ModelFileError unless `raw` is a model.json this version can load: every field known and
 * of the right type, one manifest group whose paths stay in the directory, entries with a unique
 * name, a supported dtype and a shape of whole numbers, and no field it would silently ignore
 * (such as `quantization`).
 */
export function validateModelJson(raw: unknown, file: string): SavedModelJson {
  const fail = (field: string, what: string): never => {
    throw new ModelFileError(`${file}: field "${field}" ${what}`, { file, field });
  };
  if (!isObject(raw)) fail('(root)', 'should be a JSON object');
  const json = raw as Record<string, unknown>;
  if (json.format !== MODEL_FORMAT) fail('format', `should be "${MODEL_FORMAT}" but is ${JSON.stringify(json.format)}`);
  if (json.formatVersion !== 1 && json.formatVersion !== 2) {
    fail(
      'formatVersion',
      `is ${JSON.stringify(json.formatVersion)}; this version of @cnn/layers reads 1 and 2 (a newer @cnn/layers wrote it?)`,
    );
  }
  for (const key of Object.keys(json)) if (!TOP_FIELDS.has(key)) fail(key, 'is not supported by this loader');
  if (json.modelTopology !== null && !isObject(json.modelTopology))
    fail('modelTopology', 'should be an object or null');
  if (json.metadata !== undefined && !isObject(json.metadata)) fail('metadata', 'should be an object');
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length !== 1 || !isObject(manifest[0])) {
    fail('weightsManifest', 'should hold one group with "paths" and "weights"');
  }
  const group = (manifest as Record<string, unknown>[])[0]!;
  for (const key of Object.keys(group))
    if (key !== 'paths' && key !== 'weights') fail(`weightsManifest[0].${key}`, 'is not supported by this loader');
  if (!Array.isArray(group.paths) || group.paths.length === 0)
    fail('weightsManifest[0].paths', 'should be a non-empty array');
  (group.paths as unknown[]).forEach((p, i) => {
    if (!plainFileName(p))
      fail(
        `weightsManifest[0].paths[${i}]`,
        `is ${JSON.stringify(p)}: only a file name inside the model directory is allowed`,
      );
  });
  if (!Array.isArray(group.weights)) fail('weightsManifest[0].weights', 'should be an array');
  const names = new Set<string>();
  (group.weights as unknown[]).forEach((w, i) => {
    const at = `weightsManifest[0].weights[${i}]`;
    if (!isObject(w)) {
      fail(at, 'should be an object');
      return;
    }
    for (const key of Object.keys(w))
      if (!ENTRY_FIELDS.has(key)) fail(`${at}.${key}`, 'is not supported by this loader');
    if (typeof w.name !== 'string' || w.name === '') fail(`${at}.name`, 'should be a non-empty string');
    if (names.has(w.name as string)) fail(`${at}.name`, `repeats "${w.name}"`);
    names.add(w.name as string);
    if (!(typeof w.dtype === 'string' && w.dtype in DTYPE_BYTES))
      fail(`${at}.dtype`, `is ${JSON.stringify(w.dtype)}; supported: float32, int32, bool`);
    if (!Array.isArray(w.shape) || !w.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`${at}.shape`, `is ${JSON.stringify(w.shape)}; expected an array of whole numbers >= 0`);
    }
  });
  if (json.formatVersion === 2) {
    const ig = json.integrity;
    const hex = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
    if (!isObject(ig) || ig.algorithm !== 'sha256' || !hex(ig.json) || !isObject(ig.files)) {
      fail('integrity', 'should be { algorithm: "sha256", json, files } in format version 2');
    }
    const files = (ig as { files: Record<string, unknown> }).files;
    for (const p of group.paths as string[])
      if (!hex(files[p])) fail(`integrity.files.${p}`, 'should be a SHA-256 hex digest');
    if (jsonDigest(json as unknown as SavedModelJson) !== (ig as { json: string }).json) {
      fail('integrity.json', 'does not match the content: model.json was changed after it was saved');
    }
  } else if (json.integrity !== undefined) {
    fail('integrity', 'is not part of format version 1');
  }
  return json as unknown as SavedModelJson;
}
