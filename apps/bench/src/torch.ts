import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MeasureOptions, ModelResult } from './measure';

/** The PyTorch reference script shipped with this app. */
export const TORCH_SCRIPT = fileURLToPath(new URL('../torch/bench_torch.py', import.meta.url));

/** A Python that imports torch. */
export interface TorchPython {
  executable: string;
  torchVersion: string;
  /** Why this interpreter was chosen. */
  source: 'CNN_TORCH_PYTHON' | '/usr/bin/python3' | 'PATH';
}

/** What the PyTorch script reports besides its rows. */
export interface TorchRun {
  torchVersion: string;
  python: string;
  executable: string;
  threads: number;
  mkldnn: boolean;
  env: Record<string, string>;
  results: ModelResult[];
}

/** The PyTorch script failed or printed something that is not its JSON report. */
export class TorchBenchError extends Error {
  override name = 'TorchBenchError';
}

/** The torch version `python` imports, or null when it cannot run or has no torch. */
export function torchVersionOf(python: string): string | null {
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0 || typeof r.stdout !== 'string') return null;
  return r.stdout.trim() || null;
}

/**
 * Chooses the interpreter: `CNN_TORCH_PYTHON` if set (an error when it has no torch, since the
 * user asked for it), else /usr/bin/python3 (where Debian's python3-torch installs) if it
 * imports torch, else `python3` on PATH if it does; null when none has torch.
 */
export function findTorchPython(env: NodeJS.ProcessEnv = process.env): TorchPython | null {
  const chosen = env.CNN_TORCH_PYTHON;
  if (chosen) {
    const version = torchVersionOf(chosen);
    if (!version) throw new TorchBenchError(`CNN_TORCH_PYTHON=${chosen} cannot import torch`);
    return { executable: chosen, torchVersion: version, source: 'CNN_TORCH_PYTHON' };
  }
  for (const [executable, source] of [
    ['/usr/bin/python3', '/usr/bin/python3'],
    ['python3', 'PATH'],
  ] as const) {
    const version = torchVersionOf(executable);
    if (version) return { executable, torchVersion: version, source };
  }
  return null;
}

/** Runs bench_torch.py on the same IDX files and settings; its progress goes to our stderr. Aborting `signal` kills it. */
export async function runTorch(
  python: TorchPython,
  files: { trainImages: string; trainLabels: string; testImages: string },
  models: readonly string[],
  opts: MeasureOptions,
  threads = 2,
  signal?: AbortSignal,
): Promise<TorchRun> {
  const args = [
    TORCH_SCRIPT,
    '--train-images',
    files.trainImages,
    '--train-labels',
    files.trainLabels,
    '--test-images',
    files.testImages,
    '--models',
    models.join(','),
    '--steps',
    String(opts.steps),
    '--warmup',
    String(opts.warmup),
    '--infer-images',
    String(opts.inferImages),
    '--infer-batch',
    String(opts.inferBatch),
    '--repeats',
    String(opts.repeats),
    '--threads',
    String(threads),
    '--seed',
    String(opts.seed),
  ];
  const child = spawn(python.executable, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
    ...(signal ? { signal } : {}),
  });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new TorchBenchError(`${python.executable} ${TORCH_SCRIPT} exited with code ${code}`);
  return parseTorchReport(stdout);
}

/** Parses the script's JSON into rows shaped like ours (backend "pytorch"). */
export function parseTorchReport(text: string): TorchRun {
  let raw: unknown;
  try {
    raw = JSON.parse(text.trim().split('\n').at(-1) ?? '');
  } catch {
    throw new TorchBenchError(`bench_torch.py printed no JSON report; stdout was: ${text.slice(0, 200)}`);
  }
  const r = raw as Record<string, unknown>;
  if (!r || typeof r !== 'object' || !Array.isArray(r.results)) {
    throw new TorchBenchError('bench_torch.py report has no "results" array');
  }
  const results = (r.results as Record<string, unknown>[]).map((row, i): ModelResult => {
    const num = (key: string): number => {
      const v = row[key];
      if (typeof v !== 'number')
        throw new TorchBenchError(`bench_torch.py results[${i}].${key}: expected a number, got ${String(v)}`);
      return v;
    };
    const nums = (key: string): number[] => {
      const v = row[key];
      if (!Array.isArray(v) || !v.every((e) => typeof e === 'number')) {
        throw new TorchBenchError(`bench_torch.py results[${i}].${key}: expected an array of numbers`);
      }
      return v as number[];
    };
    return {
      model: String(row.model),
      backend: 'pytorch',
      params: num('params'),
      batch: num('batch'),
      steps: num('steps'),
      warmup: num('warmup'),
      repeats: num('repeats'),
      trainSeconds: num('train_seconds'),
      trainSecondsAll: nums('train_seconds_all'),
      trainImgPerSec: num('train_img_s'),
      finalLoss: num('final_loss'),
      inferImages: num('infer_images'),
      inferBatch: num('infer_batch'),
      inferSeconds: num('infer_seconds'),
      inferSecondsAll: nums('infer_seconds_all'),
      inferImgPerSec: num('infer_img_s'),
      leakedTensors: 0,
    };
  });
  return {
    torchVersion: String(r.torch_version),
    python: String(r.python),
    executable: String(r.python_executable),
    threads: Number(r.threads),
    mkldnn: Boolean(r.mkldnn),
    env: (r.env ?? {}) as Record<string, string>,
    results,
  };
}
