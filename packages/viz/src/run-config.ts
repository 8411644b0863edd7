import * as fs from 'node:fs';
import * as path from 'node:path';
import { VizError } from './errors';

/** File names inside a run directory (see the README's “Run directory” section). */
export const RUN_FILES = { metrics: 'metrics.jsonl', config: 'config.json', model: 'model' } as const;

/** The optional `config.json` of a run: free-form, with these keys understood. */
export interface RunConfig {
  /** Report title (default: the run directory's name). */
  title?: string;
  /** One example's shape `[H, W, C]` (default `[28, 28, 1]`). */
  inputShape?: number[];
  /** The normalisation used in training (default MNIST's 0.1307 / 0.3081). */
  normalize?: { mean: number; std: number };
  classNames?: string[];
  /** A folder of MNIST-style IDX files for the test set (default the embedded MNIST). */
  dataDir?: string;
  [key: string]: unknown;
}

/** Reads `config.json` when present; bad JSON is a `VizError` naming the file. */
export function readRunConfig(dir: string): RunConfig {
  const file = path.join(dir, RUN_FILES.config);
  if (!fs.existsSync(file)) return {};
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as RunConfig;
  } catch (err) {
    throw new VizError('unreadable', `cannot read the run config: ${(err as Error).message}`, file);
  }
}
