import { TorchBenchError } from './torch-error';

/** What bench_torch.py's reference_info.py reports about the PyTorch it runs (raw, as printed). */
export interface TorchReference {
  torchVersion: string;
  /** torch.get_num_threads() before the benchmark set it: what a plain script gets. */
  defaultThreads: number;
  /** torch.get_num_threads() after set_num_threads(--torch-threads). */
  threads: number;
  interopThreads: number;
  mkldnn: boolean;
  /** torch.__config__.show() */
  config: string;
  /** torch.__config__.parallel_info() */
  parallelInfo: string;
  /** BLAS, LAPACK, OpenMP and oneDNN libraries mapped into the torch process. */
  libraries: string[];
  /** The loaded OpenBLAS, asked through its own API; null when the BLAS is not OpenBLAS. */
  openblas: { library: string; config: string; parallel: string; threads: number } | null;
  /** OPENBLAS_* / OMP_* / MKL* / GOMP_* … variables the torch process saw. */
  env: Record<string, string>;
}

/** The build and threading facts read out of torch's config and parallel_info texts. */
export interface TorchBuild {
  /** BLAS_INFO of the build: `generic` means the system libblas.so.3, `mkl` MKL. */
  blasInfo: string | null;
  /** e.g. `Intel(R) MKL-DNN v2.6.3` */
  mkldnn: string | null;
  /** e.g. `OpenMP 201511 (a.k.a. OpenMP 4.5)` */
  openmp: string | null;
  cpuCapability: string | null;
  /** ATen parallel backend, e.g. `OpenMP` */
  parallelBackend: string | null;
  atenThreads: number | null;
  ompMaxThreads: number | null;
  mkl: boolean;
}

/** Reads the facts the report prints from torch.__config__.show() and parallel_info(). */
export function parseTorchBuild(config: string, parallelInfo: string): TorchBuild {
  const match = (text: string, re: RegExp) => re.exec(text)?.[1]?.trim() ?? null;
  const int = (text: string, re: RegExp) => {
    const m = match(text, re);
    return m === null ? null : Number.parseInt(m, 10);
  };
  return {
    blasInfo: match(config, /BLAS_INFO=([^,\s]+)/),
    mkldnn: match(config, /^\s*- (Intel\(R\) MKL-DNN v[^\n(]+|oneDNN v[^\n(]+)/m),
    openmp: match(config, /^\s*- (OpenMP [^\n]+)/m),
    cpuCapability: match(config, /CPU capability usage: (\S+)/),
    parallelBackend: match(parallelInfo, /ATen parallel backend: ([^\n]+)/),
    atenThreads: int(parallelInfo, /at::get_num_threads\(\) : (\d+)/),
    ompMaxThreads: int(parallelInfo, /omp_get_max_threads\(\) : (\d+)/),
    mkl:
      !/MKL not found/.test(parallelInfo) && /Intel\(R\) (Math Kernel|oneAPI Math Kernel) Library/.test(parallelInfo),
  };
}

/** Which BLAS implementation a path or an OpenBLAS config names. */
export type BlasKind =
  | 'openblas-openmp'
  | 'openblas-pthread'
  | 'openblas-serial'
  | 'netlib'
  | 'mkl'
  | 'blis'
  | 'atlas'
  | 'unknown';

/**
 * Classifies the BLAS: the OpenBLAS's own parallel mode when torch loaded one, else the Debian
 * alternative's directory (`openblas-openmp/`, `openblas-pthread/`, `blas/` for netlib's libblas3 …).
 */
export function classifyBlas(resolved: string | null, openblas: TorchReference['openblas']): BlasKind {
  if (openblas) {
    if (openblas.parallel === 'openmp') return 'openblas-openmp';
    if (openblas.parallel === 'pthread') return 'openblas-pthread';
    if (openblas.parallel === 'serial') return 'openblas-serial';
  }
  const path = resolved ?? '';
  if (/openblas-openmp/.test(path)) return 'openblas-openmp';
  if (/openblas-pthread/.test(path)) return 'openblas-pthread';
  if (/openblas-serial/.test(path)) return 'openblas-serial';
  if (/\/blas\/libblas\.so/.test(path)) return 'netlib';
  if (/mkl/i.test(path)) return 'mkl';
  if (/blis/.test(path)) return 'blis';
  if (/atlas/.test(path)) return 'atlas';
  return 'unknown';
}

/** A warning for a BLAS that makes PyTorch slower than it should be, or null for a good one. */
export function blasWarning(kind: BlasKind): string | null {
  switch (kind) {
    case 'openblas-openmp':
    case 'mkl':
      return null;
    case 'netlib':
      return 'libblas.so.3 is the netlib REFERENCE BLAS (libblas3): PyTorch runs several times slower than it should, so every ratio is inflated; install libopenblas0-openmp (update-alternatives --config libblas.so.3-x86_64-linux-gnu)';
    case 'openblas-pthread':
      return 'libblas.so.3 is the pthread build of OpenBLAS: its threads fight torch OpenMP threads; the Debian PyTorch is meant to run with libopenblas0-openmp';
    case 'openblas-serial':
      return 'libblas.so.3 is the serial build of OpenBLAS: PyTorch matrix products use one core; install libopenblas0-openmp';
    default:
      return `libblas.so.3 is ${kind === 'unknown' ? 'not a BLAS this benchmark knows' : kind}: PyTorch may be slower than with OpenBLAS (OpenMP build)`;
  }
}

/** Parses the `reference` object of bench_torch.py's JSON. */
export function parseTorchReference(raw: unknown): TorchReference {
  if (!raw || typeof raw !== 'object') throw new TorchBenchError('bench_torch.py report has no "reference" object');
  const r = raw as Record<string, unknown>;
  const str = (k: string) => {
    if (typeof r[k] !== 'string') throw new TorchBenchError(`bench_torch.py reference.${k}: expected a string`);
    return r[k] as string;
  };
  const num = (k: string) => {
    if (typeof r[k] !== 'number') throw new TorchBenchError(`bench_torch.py reference.${k}: expected a number`);
    return r[k] as number;
  };
  const ob = r.openblas as Record<string, unknown> | null | undefined;
  return {
    torchVersion: str('torch_version'),
    defaultThreads: num('default_threads'),
    threads: num('threads'),
    interopThreads: num('interop_threads'),
    mkldnn: Boolean(r.mkldnn),
    config: str('config'),
    parallelInfo: str('parallel_info'),
    libraries: Array.isArray(r.libraries) ? r.libraries.map(String) : [],
    openblas: ob
      ? {
          library: String(ob.library),
          config: String(ob.config),
          parallel: String(ob.parallel),
          threads: Number(ob.threads),
        }
      : null,
    env: (r.env && typeof r.env === 'object' ? r.env : {}) as Record<string, string>,
  };
}
