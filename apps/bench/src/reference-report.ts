import { BUSY_SHARE } from './cpu-share';
import type { MachineInfo } from './machine';
import type { ProjectInfo } from './project-info';
import { blasWarning, classifyBlas, parseTorchBuild, type TorchReference } from './reference';

/** The reference report: what both sides ran on, as lines, and the warnings about it. */
export interface ReferenceReport {
  lines: string[];
  warnings: string[];
}

const envText = (env: Record<string, string>) => {
  const entries = Object.entries(env);
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(' ') : 'none set';
};

/**
 * Describes PyTorch (version, threads, build, the BLAS libblas.so.3 resolves to and the one it
 * loaded, the variables it saw) and the project (Node, each backend, oneDNN, OpenMP threads), and
 * warns about what makes the comparison unfair: a slow reference BLAS, a busy machine. `otherCpu`
 * is the share of the cores' time other processes took during the run (cpu-share.ts); without
 * it, the load average at the start stands in, though it also counts runs that just ended.
 */
export function referenceReport(
  machine: MachineInfo,
  torch: TorchReference | null,
  project: readonly ProjectInfo[],
  otherCpu: number | null = null,
): ReferenceReport {
  const lines: string[] = [];
  const warnings: string[] = [];
  lines.push(
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.platform}; load average ${machine.loadAverage.join(' ')}`,
  );
  lines.push(
    `libblas.so.3 -> ${machine.blas ?? 'not found'} [${machine.blasAlternative ?? 'update-alternatives: no entry'}]`,
  );
  if (torch) {
    const b = parseTorchBuild(torch.config, torch.parallelInfo);
    lines.push(
      `PyTorch ${torch.torchVersion}: ${torch.threads} threads (its default here: ${torch.defaultThreads}), ` +
        `interop ${torch.interopThreads}, parallel backend ${b.parallelBackend ?? '?'}, ` +
        `OpenMP max threads ${b.ompMaxThreads ?? '?'}, CPU capability ${b.cpuCapability ?? '?'}`,
    );
    lines.push(
      `PyTorch build: BLAS_INFO=${b.blasInfo ?? '?'}${b.blasInfo === 'generic' ? ' (the system libblas.so.3)' : ''}, ` +
        `${b.mkldnn ?? 'no MKL-DNN'}${torch.mkldnn ? '' : ' (unavailable)'}, MKL ${b.mkl ? 'found' : 'not found'}`,
    );
    const ob = torch.openblas;
    lines.push(
      ob
        ? `PyTorch loaded ${ob.library}: ${ob.config} (${ob.parallel}, ${ob.threads} threads)`
        : `PyTorch loaded no OpenBLAS; BLAS-like libraries: ${torch.libraries.join(', ') || 'none found'}`,
    );
    lines.push(`PyTorch env: ${envText(torch.env)}`);
    const warning = blasWarning(classifyBlas(machine.blas, ob));
    if (warning) warnings.push(warning);
    if (torch.threads > torch.defaultThreads) {
      // torch's default is the physical core count; past it, small batches pay OpenMP overhead.
      warnings.push(
        `PyTorch ran with ${torch.threads} threads, more than its own default here (${torch.defaultThreads}): ` +
          `at small batches and on a busy machine that can slow the reference; compare with --torch-threads ${torch.defaultThreads}`,
      );
    }
    for (const env of [machine.env, ...project.map((p) => p.env)]) {
      const differ = threadingDifferences(torch.env, env);
      const text = `PyTorch and the project ran with different threading settings: ${differ.join(', ')}`;
      if (differ.length && !warnings.includes(text)) warnings.push(text);
    }
    if (b.blasInfo === 'generic' && !machine.blas)
      warnings.push('PyTorch uses the system BLAS but libblas.so.3 was not found');
  } else lines.push('PyTorch: not run');
  for (const p of project) {
    const omp = p.ompThreads === null ? `unset (one per core: ${p.cores})` : p.ompThreads;
    lines.push(
      `project ${p.backend}: node ${p.node}${p.library ? `, ${p.library}` : ''}, OMP_NUM_THREADS ${omp}; env ${envText(p.env)}`,
    );
  }
  lines.push(`project env: ${envText(machine.env)}`);
  const skews = "other work skews the figures, OpenMP code (PyTorch's and the native addon's) most";
  const load = machine.loadAverage[0] ?? 0;
  if (otherCpu !== null) {
    if (otherCpu > BUSY_SHARE) {
      warnings.push(`other processes took ${(otherCpu * 100).toFixed(1)}% of the cores' time during the run: ${skews}`);
    }
  } else if (load > machine.cores / 2) {
    warnings.push(`load average ${load} on ${machine.cores} cores: ${skews}`);
  }
  return { lines, warnings };
}

/** Threading variables (OpenMP, OpenBLAS, MKL) whose values differ between two environments. */
export function threadingDifferences(a: Record<string, string>, b: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => /^(OMP_|GOMP_|OPENBLAS_|MKL_)/.test(k)));
  return [...keys]
    .sort()
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k} ${a[k] ?? 'unset'} vs ${b[k] ?? 'unset'}`);
}

/** The report as printed: each line, then each warning in capitals so that it is not missed. */
export function formatReferenceReport(report: ReferenceReport): string {
  return [...report.lines, ...report.warnings.map((w) => `WARNING: ${w}`)].join('\n');
}
