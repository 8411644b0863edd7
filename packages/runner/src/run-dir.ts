import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, writeFileAtomic } from '@cnn/layers';
import { countParameters } from '@cnn/zoo';
import { RunDirError } from './errors';

/** File names inside a run directory (the `@cnn/viz` names plus the runner's own). */
export const RUN_DIR_FILES = {
  metrics: 'metrics.jsonl',
  config: 'config.json',
  summary: 'summary.json',
  model: 'model',
  checkpoint: 'last.ckpt',
  report: path.join('viz', 'report.html'),
} as const;

/** `YYYYMMDD-HHMMSS` (UTC) of `date`, the name of a new run directory. */
export function timestamp(date = new Date()): string {
  const iso = date.toISOString(); // 2026-12-01T23:15:24.123Z
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

/** `runs/<app>/<timestamp>` under `cwd`. */
export function defaultRunDir(app: string, cwd = process.cwd(), date = new Date()): string {
  return path.join(cwd, 'runs', app, timestamp(date));
}

/**
 * The directory a `--resume` continues: `out` when given, else the newest run of `app`
 * under `cwd/runs/<app>` that holds a checkpoint. Throws `RunDirError` when there is none.
 */
export function resumeDir(app: string, out: string | undefined, cwd = process.cwd()): string {
  if (out !== undefined) {
    const dir = path.resolve(cwd, out);
    if (!fs.existsSync(path.join(dir, RUN_DIR_FILES.checkpoint)))
      throw new RunDirError(dir, `--resume: no checkpoint ${RUN_DIR_FILES.checkpoint} here to resume from`);
    return dir;
  }
  const root = path.join(cwd, 'runs', app);
  const runs = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((d) => fs.existsSync(path.join(root, d, RUN_DIR_FILES.checkpoint)))
        .sort()
    : [];
  const newest = runs.at(-1);
  if (newest === undefined) throw new RunDirError(root, '--resume: no run with a checkpoint here; pass --out DIR');
  return path.join(root, newest);
}

/** Writes `value` as pretty JSON to `file` atomically (temporary file and rename). */
export async function writeJson(file: string, value: unknown): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The position of the last checkpoint recorded in a metrics log, if any. */
export function lastCheckpoint(metricsFile: string): { epoch: number; batch: number; step: number } | undefined {
  if (!fs.existsSync(metricsFile)) return undefined;
  let found: { epoch: number; batch: number; step: number } | undefined;
  for (const line of fs.readFileSync(metricsFile, 'utf8').split('\n')) {
    if (!line.includes('"checkpoint"')) continue;
    try {
      const r = JSON.parse(line) as { type?: string; epoch: number; batch: number; step: number };
      if (r.type === 'checkpoint') found = { epoch: r.epoch, batch: r.batch, step: r.step };
    } catch {
      // a torn last line
    }
  }
  return found;
}

/** What a finished run directory holds, for tests and scripts that check a run. */
export interface RunDirContents {
  /** Entries of {@link RUN_DIR_FILES} that are absent, by their relative path. */
  missing: string[];
  /** Values in the saved model, or undefined when `model/` does not load. */
  modelParameters: number | undefined;
  /** Why the model did not load, when it did not. */
  modelError?: string;
}

/** Lists the run files `dir` lacks and loads its saved model (disposed again) to count its values. */
export async function inspectRunDir(dir: string): Promise<RunDirContents> {
  const missing = Object.values(RUN_DIR_FILES).filter((f) => !fs.existsSync(path.join(dir, f)));
  try {
    const model = await loadModel(path.join(dir, RUN_DIR_FILES.model));
    const modelParameters = countParameters(model);
    model.dispose();
    return { missing, modelParameters };
  } catch (error) {
    return { missing, modelParameters: undefined, modelError: (error as Error).message };
  }
}
