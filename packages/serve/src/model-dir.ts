import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { MODEL_FILE } from '@cnn/layers';
import { ModelDirError } from './errors';

/** Input normalisation `(x - mean) / std`, applied to pixels in [0, 1]. */
export interface Normalisation {
  mean: number;
  std: number;
}

/** What the server knows about the model it serves, read from the model or run directory only. */
export interface ModelInfo {
  /** The directory given (a run directory or a model directory), absolute. */
  dir: string;
  /** The directory holding `model.json` and `weights.bin`. */
  modelDir: string;
  /** Class names in label order (10 for MNIST). */
  classNames: string[];
  normalize: Normalisation;
  /** The run's `summary.json` (test accuracy, recipe, ...) when `dir` is a run directory, else null. */
  summary: Record<string, unknown> | null;
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

function readJson(dir: string, file: string): Record<string, unknown> | null {
  const full = path.join(dir, file);
  if (!existsSync(full)) return null;
  try {
    const v: unknown = JSON.parse(readFileSync(full, 'utf8'));
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (err) {
    throw new ModelDirError(dir, `${file} is not a readable JSON object: ${(err as Error).message}`);
  }
}

function normalisationOf(dir: string, v: unknown): Normalisation | null {
  if (v === undefined || v === null) return null;
  const n = v as Partial<Normalisation>;
  if (typeof n.mean !== 'number' || typeof n.std !== 'number' || !(n.std > 0)) {
    throw new ModelDirError(dir, `"normalize" should be { mean, std } with std > 0, not ${JSON.stringify(v)}`);
  }
  return { mean: n.mean, std: n.std };
}

function classNamesOf(dir: string, v: unknown): string[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.length !== 10 || !v.every((c) => typeof c === 'string')) {
    throw new ModelDirError(dir, `"classNames" should be 10 strings, not ${JSON.stringify(v)}`);
  }
  return v as string[];
}

/**
 * Reads what the server needs from `dir`, which is either
 * - a run directory written by `@cnn/runner` (`model/`, `config.json`, `summary.json`), or
 * - a model directory written by `saveModel` (`model.json`, `weights.bin`), whose
 *   `metadata.normalize` and `metadata.classNames` are used when present.
 * Only files inside `dir` are read. Defaults: no normalisation (pixels in [0, 1]), digits 0–9.
 * Throws `ModelDirError` when `dir` holds neither.
 */
export function readModelInfo(dir: string): ModelInfo {
  const abs = path.resolve(dir);
  if (!existsSync(abs)) throw new ModelDirError(abs, 'no such directory');
  const isRun = existsSync(path.join(abs, 'model', MODEL_FILE));
  const modelDir = isRun ? path.join(abs, 'model') : abs;
  if (!existsSync(path.join(modelDir, MODEL_FILE))) {
    throw new ModelDirError(
      abs,
      `neither ${MODEL_FILE} nor model/${MODEL_FILE} is here: pass a model or run directory`,
    );
  }
  const modelJson = readJson(modelDir, MODEL_FILE) ?? {};
  const metadata = (modelJson.metadata ?? {}) as Record<string, unknown>;
  const config = isRun ? readJson(abs, 'config.json') : null;
  const summary = isRun ? readJson(abs, 'summary.json') : null;
  return {
    dir: abs,
    modelDir,
    classNames: classNamesOf(abs, config?.classNames) ?? classNamesOf(abs, metadata.classNames) ?? DIGITS,
    normalize: normalisationOf(abs, config?.normalize) ??
      normalisationOf(abs, metadata.normalize) ?? { mean: 0, std: 1 },
    summary,
  };
}
