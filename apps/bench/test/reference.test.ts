// The reference report: parsed from a real `bench_torch.py --reference` output (captured on the
// project's machine: Debian's torch 1.13 with OpenBLAS 0.3.21, OpenMP build), classified, printed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MachineInfo } from '../src/machine';
import { blasWarning, classifyBlas, parseTorchBuild, parseTorchReference } from '../src/reference';
import { formatReferenceReport, referenceReport } from '../src/reference-report';
import { parseTorchReport, TorchBenchError } from '../src/torch';

const captured = readFileSync(new URL('./fixtures/torch-reference.json', import.meta.url), 'utf8');
const raw = JSON.parse(captured).reference;
const OPENBLAS_OPENMP = '/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3';

const machine = (load: number, blas: string | null): MachineInfo => ({
  cpuModel: 'AMD EPYC',
  cores: 2,
  node: 'v20.20.2',
  platform: 'linux-x64',
  loadAverage: [load, 1, 1],
  blas,
  blasAlternative: blas ? `${blas} (auto mode)` : null,
  env: {},
});

describe('parseTorchReference and parseTorchBuild on captured output', () => {
  const ref = parseTorchReference(raw);
  it('reads version, threads and the loaded OpenBLAS', () => {
    expect(ref).toMatchObject({ torchVersion: '1.13.0a0', defaultThreads: 1, threads: 2, interopThreads: 1 });
    expect(ref.openblas).toMatchObject({ parallel: 'openmp', threads: 2, library: OPENBLAS_OPENMP });
    expect(ref.openblas!.config).toMatch(/^OpenBLAS 0\.3\.21 .*USE_OPENMP/);
    expect(ref.libraries).toContain('/usr/lib/x86_64-linux-gnu/libgomp.so.1.0.0');
  });

  it('reads the build facts from torch.__config__.show() and parallel_info()', () => {
    expect(parseTorchBuild(ref.config, ref.parallelInfo)).toEqual({
      blasInfo: 'generic',
      mkldnn: 'Intel(R) MKL-DNN v2.6.3',
      openmp: 'OpenMP 201511 (a.k.a. OpenMP 4.5)',
      cpuCapability: 'AVX2',
      parallelBackend: 'OpenMP',
      atenThreads: 2,
      ompMaxThreads: 2,
      mkl: false,
    });
  });

  it('rejects a reference without its fields', () => {
    expect(() => parseTorchReference(null)).toThrow(TorchBenchError);
    expect(() => parseTorchReference({ ...raw, threads: 'two' })).toThrow(/reference\.threads: expected a number/);
  });
});

describe('classifyBlas and blasWarning', () => {
  it.each([
    [OPENBLAS_OPENMP, null, 'openblas-openmp'],
    ['/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3', null, 'openblas-pthread'],
    ['/usr/lib/x86_64-linux-gnu/openblas-serial/libblas.so.3', null, 'openblas-serial'],
    ['/usr/lib/x86_64-linux-gnu/blas/libblas.so.3', null, 'netlib'],
    ['/usr/lib/x86_64-linux-gnu/blis-openmp/libblas.so.3', null, 'blis'],
    [null, null, 'unknown'],
  ] as const)('%s is %s', (path, openblas, kind) => {
    expect(classifyBlas(path, openblas)).toBe(kind);
  });

  it("trusts the loaded OpenBLAS's own parallel mode over the path", () => {
    const pthread = { library: 'x', config: 'OpenBLAS 0.3.21', parallel: 'pthread', threads: 2 };
    expect(classifyBlas(OPENBLAS_OPENMP, pthread)).toBe('openblas-pthread');
  });

  it('warns loudly about the netlib reference BLAS and not about OpenBLAS with OpenMP', () => {
    expect(blasWarning('openblas-openmp')).toBeNull();
    expect(blasWarning('netlib')).toMatch(/netlib REFERENCE BLAS \(libblas3\).*libopenblas0-openmp/);
    expect(blasWarning('openblas-serial')).toMatch(/one core/);
    expect(blasWarning('openblas-pthread')).toMatch(/pthread build/);
  });
});

describe('referenceReport', () => {
  const ref = parseTorchReference(raw);
  const project = [
    { backend: 'native', node: 'v20.20.2', library: 'oneDNN 2.6.3 (OpenMP)', ompThreads: null, cores: 2, env: {} },
  ];

  it('warns when PyTorch runs more threads than its own default (2 against 1 in the capture)', () => {
    expect(referenceReport(machine(0.4, OPENBLAS_OPENMP), ref, project).warnings).toEqual([
      'PyTorch ran with 2 threads, more than its own default here (1): at small batches and on a busy machine that can slow the reference; compare with --torch-threads 1',
    ]);
  });

  it('prints both sides, and no warning on a quiet machine with OpenBLAS/OpenMP', () => {
    const r = referenceReport(machine(0.4, OPENBLAS_OPENMP), { ...ref, defaultThreads: 2 }, project);
    expect(r.warnings).toEqual([]);
    const text = formatReferenceReport(r);
    expect(text).toContain(`libblas.so.3 -> ${OPENBLAS_OPENMP} [${OPENBLAS_OPENMP} (auto mode)]`);
    expect(text).toContain('PyTorch 1.13.0a0: 2 threads (its default here: 2), interop 1, parallel backend OpenMP');
    expect(text).toContain('BLAS_INFO=generic (the system libblas.so.3), Intel(R) MKL-DNN v2.6.3, MKL not found');
    expect(text).toMatch(/PyTorch loaded .*: OpenBLAS 0\.3\.21 .* \(openmp, 2 threads\)/);
    expect(text).toContain(
      'project native: node v20.20.2, oneDNN 2.6.3 (OpenMP), OMP_NUM_THREADS unset (one per core: 2)',
    );
  });

  it('warns about the netlib BLAS and a busy machine', () => {
    const r = referenceReport(
      machine(5.2, '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3'),
      { ...ref, defaultThreads: 2, openblas: null },
      [],
    );
    expect(r.warnings).toHaveLength(2);
    expect(formatReferenceReport(r)).toMatch(/^WARNING: libblas\.so\.3 is the netlib REFERENCE BLAS/m);
    expect(formatReferenceReport(r)).toMatch(/^WARNING: load average 5\.2 on 2 cores/m);
  });

  it('with the share other processes took, warns on that share and not on the load average', () => {
    const m = machine(5.2, OPENBLAS_OPENMP);
    const quiet = { ...ref, defaultThreads: 2 };
    expect(referenceReport(m, quiet, [], 0.02).warnings).toEqual([]);
    expect(referenceReport(m, quiet, [], 0.25).warnings).toEqual([
      "other processes took 25.0% of the cores' time during the run: other work skews the figures, OpenMP code (PyTorch's and the native addon's) most",
    ]);
  });

  it('warns when the two sides ran OpenMP differently (the parent or a worker), and not when they match', () => {
    const m = { ...machine(0.4, OPENBLAS_OPENMP), env: { OMP_WAIT_POLICY: 'passive' } };
    const passive = { ...ref, defaultThreads: 2, env: { OMP_WAIT_POLICY: 'passive' } };
    expect(referenceReport(m, passive, []).warnings).toEqual([]);
    expect(referenceReport(m, { ...passive, env: {} }, []).warnings).toEqual([
      'PyTorch and the project ran with different threading settings: OMP_WAIT_POLICY unset vs passive',
    ]);
    const worker = { ...project[0]!, env: { OMP_WAIT_POLICY: 'active' } };
    expect(referenceReport(m, passive, [worker]).warnings).toEqual([
      'PyTorch and the project ran with different threading settings: OMP_WAIT_POLICY passive vs active',
    ]);
  });

  it('says so when PyTorch did not run', () => {
    expect(formatReferenceReport(referenceReport(machine(0, null), null, []))).toContain('PyTorch: not run');
  });
});

describe('parseTorchReport', () => {
  const step = {
    model: '002',
    params: 21840,
    batch: 128,
    warmup: 5,
    repeats: 3,
    train_steps_all: [40, 42, 41],
    train_seconds_all: [2.0, 2.1, 2.0],
    train_img_s_all: [2560, 2560, 2624],
    train_img_s: 2560,
    train_cpu_ms_per_step: 95.5,
    final_loss: 0.4,
    infer_images_all: [10000, 10000, 10000],
    infer_batch: 1000,
    infer_seconds_all: [0.5, 0.5, 0.4],
    infer_img_s_all: [20000, 20000, 25000],
    infer_img_s: 20000,
  };
  const epoch = {
    model: '004',
    batch: 100,
    test_batch: 100,
    train_images: 500,
    test_images: 500,
    steps: 5,
    load_seconds: 0.5,
    train_seconds: 1,
    eval_seconds: 0.25,
    train_cpu_seconds: 1.9,
    train_loss: 2.1,
    test_accuracy: 0.31,
  };

  it('maps step rows and epoch rows onto ours (backend "pytorch") with the reference', () => {
    const run = parseTorchReport(`progress\n${JSON.stringify({ reference: raw, results: [step, epoch] })}\n`);
    expect(run.reference.threads).toBe(2);
    expect(run.results).toHaveLength(1);
    expect(run.results[0]).toMatchObject({ model: '002', backend: 'pytorch', trainImgPerSec: 2560, gcMsPerStep: null });
    expect(run.results[0]!.trainStepsAll).toEqual([40, 42, 41]);
    expect(run.epochs).toHaveLength(1);
    expect(run.epochs[0]).toMatchObject({ model: '004', backend: 'pytorch', steps: 5, testAccuracy: 0.31 });
    expect(run.epochs[0]!.totalSeconds).toBeCloseTo(1.75);
    expect(run.epochs[0]!.trainImgPerSec).toBeCloseTo(500);
    expect(run.epochs[0]!.trainCpuSeconds).toBe(1.9);
    expect(run.results[0]!.trainCpuMsPerStep).toBe(95.5);
  });

  it('rejects output that is not its report', () => {
    expect(() => parseTorchReport('Traceback (most recent call last)')).toThrow(TorchBenchError);
    expect(() => parseTorchReport(JSON.stringify({ reference: raw, results: 3 }))).toThrow(/no "results" array/);
    expect(() => parseTorchReport(JSON.stringify({ reference: raw, results: [{ model: '000' }] }))).toThrow(
      /results\[0\]\.params: expected a number/,
    );
  });
});
