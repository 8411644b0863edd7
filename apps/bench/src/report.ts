import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The monorepo root (the directory holding pnpm-workspace.yaml above this app), else the cwd. */
export function repoRoot(): string {
  let dir = APP_DIR;
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** `bench-results/engine-<date>T<time>.json` under the repo root. */
export function defaultOutPath(date: Date): string {
  const stamp = date.toISOString().slice(0, 19).replace(/:/g, '-');
  return join(repoRoot(), 'bench-results', `engine-${stamp}.json`);
}

/** A relative --out is relative to where `pnpm bench` was typed (pnpm's INIT_CWD), not apps/bench. */
export function resolveOut(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

export function writeReport(path: string, report: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

interface RecordedReport {
  date: string;
  command: string[];
  machine: { cpuModel: string; cores: number; node: string; blas: string | null; loadAverage: number[] };
  torch: { torchVersion: string; threads: number } | null;
}

/** Rewrites apps/bench/RESULTS.md with this run's table; returns its path. */
export function recordResults(report: RecordedReport, table: string, targets: string): string {
  const path = join(APP_DIR, 'RESULTS.md');
  const m = report.machine;
  const text = `# Engine benchmark results

Recorded ${report.date} with \`pnpm bench ${report.command.join(' ')}\`.

- CPU: ${m.cpuModel}, ${m.cores} cores; Node ${m.node}; load average at start ${m.loadAverage.join(' ')}
- PyTorch: ${report.torch ? `${report.torch.torchVersion}, ${report.torch.threads} threads` : 'not run'}; libblas.so.3 → ${m.blas ?? 'not found'}

Throughput in images per second (training: timed steps after warm-up at the tutorial batch size,
loss read back every step; inference: the test set at batch 1000 in eval mode, classes read back).
Ratios are to PyTorch on the same machine in the same run.

${table}

Targets:

${targets
  .split('\n')
  .map((l) => `- ${l}`)
  .join('\n')}
`;
  writeFileSync(path, text);
  return path;
}
