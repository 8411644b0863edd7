// The crash suite: no input reachable from JavaScript may end the process. Each case of
// fixtures/crash-cases.ts runs on the native backend in a child process; the child must exit
// normally (never by a signal) with either the cpu backend's result or a typed NativeKernelError.
// Where cpu returns garbage (a negative dimension), native must throw.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CRASH_CASES } from './fixtures/crash-cases';
import { available, skipReason } from './native-helpers';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface Outcome {
  shape?: number[];
  dtype?: string;
  values?: string[];
  error?: string;
  kernel?: string;
  message?: string;
}
interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs node (with tsx) on `args`, optionally under `ulimit -v <kib>`; at most two children at a time. */
let running = 0;
const waiting: (() => void)[] = [];
async function child(args: string[], ulimitKib?: number): Promise<ChildRun> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    // --disable-wasm-trap-handler: otherwise V8 reserves gigabytes of address space for tsx's wasm.
    const node = [process.execPath, '--disable-wasm-trap-handler', '--import', 'tsx', '--conditions=@cnn/source'];
    const command = ulimitKib ? 'sh' : node[0]!;
    const argv = ulimitKib
      ? ['-c', `ulimit -v ${ulimitKib} && exec "$0" "$@"`, ...node, ...args]
      : [...node.slice(1), ...args];
    return await new Promise<ChildRun>((resolve, reject) => {
      const p = spawn(command, argv, { cwd: packageDir, env: { ...process.env, CNN_NATIVE_VERBOSE: '' } });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d) => {
        stdout += d;
      });
      p.stderr.on('data', (d) => {
        stderr += d;
      });
      p.on('error', reject);
      p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function outcome(run: ChildRun): Outcome {
  const line = run.stdout.trim().split('\n').pop() ?? '';
  expect(run.signal, `killed by ${run.signal}; stderr: ${run.stderr.slice(-800)}`).toBeNull();
  expect(run.code, `exit ${run.code}; stderr: ${run.stderr.slice(-800)}`).toBe(0);
  return JSON.parse(line) as Outcome;
}

/** The case run in this process on cpu, as the child reports it. */
function onCpu(name: string): Outcome {
  tf.setBackend('cpu');
  try {
    const y = tf.tidy(() => CRASH_CASES[name]!());
    const values = Array.from(y.dataSync().subarray(0, 64));
    y.dispose();
    return { shape: y.shape, dtype: y.dtype, values: values.map(String) };
  } catch (err) {
    return { error: (err as Error).name, message: (err as Error).message };
  }
}

const names = Object.keys(CRASH_CASES).filter((n) => n !== 'conv-out-of-memory');
// Convolutions run on NHWC without blocked copies: the output buffer is what fails at these limits.
const OOM_LIMITS_KIB = [2_000_000, 2_200_000];

describe.skipIf(!available)(`native kernels never end the process${skipReason}`, () => {
  const runs = new Map<string, Promise<ChildRun>>();
  beforeAll(() => {
    // Start every child now (two at a time); each test awaits its own.
    for (const name of names) runs.set(name, child(['test/fixtures/crash-case.mts', 'native', name]));
    // Two limits: where V8 itself runs short first varies with the limit, so at least one of them
    // must get the inputs allocated and fail inside the kernel.
    for (const kib of OOM_LIMITS_KIB) {
      runs.set(`oom-${kib}`, child(['test/fixtures/crash-case.mts', 'native', 'conv-out-of-memory'], kib));
    }
  });

  for (const name of names) {
    it(`${name}: the cpu result or a NativeKernelError`, async () => {
      const native = outcome(await runs.get(name)!);
      const cpu = onCpu(name);
      const garbage = cpu.shape?.some((d) => d < 0) ?? false;
      if (native.error === 'NativeKernelError') {
        expect(native.message).toMatch(/^@cnn\/backend native \w+ \(/);
        return;
      }
      expect(garbage, `cpu returns the impossible shape [${cpu.shape}]: native must throw`).toBe(false);
      // Errors raised by tfjs ops before any kernel runs are the same on both backends.
      expect(native).toEqual(cpu);
    });
  }

  it('the issue reproduction names the kernel and the shapes', async () => {
    const native = outcome(await runs.get('conv-kernel-larger-than-input')!);
    expect(native).toEqual({
      error: 'NativeKernelError',
      kernel: 'Conv2D',
      message:
        '@cnn/backend native Conv2D (x [1,3,3,1], filter [5,5,1,8]): output would be [1,-1,-1,8]: ' +
        'the 5x5 (dilated) kernel does not fit the padded 3x3 input',
    });
  });

  it('out of memory under ulimit -v (a 3x3 conv on [64,256,256,16]) is a NativeKernelError, never a signal', async () => {
    const outcomes = [];
    for (const kib of OOM_LIMITS_KIB) outcomes.push(outcome(await runs.get(`oom-${kib}`)!));
    for (const o of outcomes) {
      // Either the kernel ran out (typed), or tfjs could not even allocate the inputs before it.
      if (o.error !== 'NativeKernelError')
        expect(o).toEqual({ error: 'RangeError', message: 'Array buffer allocation failed' });
    }
    const typed = outcomes.filter((o) => o.error === 'NativeKernelError');
    expect(typed.length).toBeGreaterThan(0);
    for (const o of typed) {
      expect(o.message).toMatch(
        /^@cnn\/backend native Conv2D \(x \[64,256,256,16\], filter \[3,3,16,16\]\): .*out of memory/,
      );
    }
  });

  it('the main thread and a worker_thread run native kernels at the same time, each matching cpu', async () => {
    const run = await child(['test/fixtures/worker-load.mts']);
    expect(run.signal, run.stderr.slice(-800)).toBeNull();
    expect(run.code, run.stderr.slice(-800)).toBe(0);
    const out = JSON.parse(run.stdout.trim());
    expect(out.worker.status.available).toBe(true);
    for (const worst of [out.main, out.worker.worst, out.after]) {
      expect(worst).toBeTypeOf('number');
      expect(worst).toBeLessThan(1e-4);
    }
  });
});
