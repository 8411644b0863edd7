import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** Where the benchmark ran: enough to compare runs across machines. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  node: string;
  platform: string;
  /** 1, 5 and 15 minute load averages when the run started (other work skews results). */
  loadAverage: number[];
  /** The file libblas.so.3 resolves to (the BLAS PyTorch's matrix products use), or null. */
  blas: string | null;
  /** The alternative selected for libblas.so.3 and the mode, from update-alternatives. */
  blasAlternative: string | null;
  /** OpenBLAS / OpenMP / MKL variables passed through to every process. */
  env: Record<string, string>;
}

const LIBBLAS = '/usr/lib/x86_64-linux-gnu/libblas.so.3';

/** Collects machine facts; every probe is best-effort. */
export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: cpus().length,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    blas: existsSync(LIBBLAS) ? realpathSync(LIBBLAS) : null,
    blasAlternative: blasAlternative(),
    env: tuningEnv(process.env),
  };
}

function cpuModel(): string {
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const m = /^model name\s*:\s*(.+)$/m.exec(text);
    if (m?.[1]) return m[1].trim();
  } catch {
    // not Linux: fall through
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** `… link currently points to X` and the auto/manual mode, or null without update-alternatives. */
function blasAlternative(): string | null {
  const r = spawnSync('update-alternatives', ['--display', 'libblas.so.3-x86_64-linux-gnu'], { encoding: 'utf8' });
  if (r.status !== 0 || typeof r.stdout !== 'string') return null;
  const target = /currently points to (\S+)/.exec(r.stdout)?.[1];
  const mode = /- (auto|manual) mode/.exec(r.stdout)?.[1];
  return target ? `${target}${mode ? ` (${mode} mode)` : ''}` : null;
}

/** Environment variables that change BLAS / OpenMP threading, and this project's own settings (CNN_*, e.g. CNN_WASM_THREADS). */
export function tuningEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && /^(OPENBLAS_|OMP_|GOMP_|MKL_|KMP_|DNNL_|ONEDNN_|CNN_)/.test(k)) out[k] = v;
  }
  return out;
}
