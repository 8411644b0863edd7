// The wasm backend runs tfjs's threaded XNNPACK build under Node (see src/wasm/threads.ts).
// Each start-up runs in a fresh child process: tfjs starts a backend once per process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { BackendSettingError, loadWasmModule, wantedWasmThreads } from '../src/index';
import { startWasm } from '../src/wasm/threads';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface RunOutput {
  backend: string;
  threads: number;
  described: string;
  globalsRestored: boolean;
  cpusRestored: boolean;
  out: number[];
}

function startIn(threads: string): { status: number | null; output: RunOutput | null; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@cnn/source', 'test/fixtures/wasm-threads-run.mts'],
    { cwd: packageDir, encoding: 'utf8', timeout: 90_000, env: { ...process.env, CNN_WASM_THREADS: threads } },
  );
  const line = result.stdout.trim().split('\n').pop() ?? '';
  return {
    status: result.status,
    output: line.startsWith('{') ? (JSON.parse(line) as RunOutput) : null,
    stderr: result.stderr,
  };
}

describe('wantedWasmThreads', () => {
  it('is CNN_WASM_THREADS (at most 8) when set, else one per core (at most 8)', () => {
    expect(wantedWasmThreads({}, 2)).toBe(2);
    expect(wantedWasmThreads({}, 1)).toBe(1);
    expect(wantedWasmThreads({}, 64)).toBe(8);
    expect(wantedWasmThreads({ CNN_WASM_THREADS: '' }, 2)).toBe(2);
    expect(wantedWasmThreads({ CNN_WASM_THREADS: '1' }, 2)).toBe(1);
    expect(wantedWasmThreads({ CNN_WASM_THREADS: '3' }, 2)).toBe(3);
    expect(wantedWasmThreads({ CNN_WASM_THREADS: '64' }, 2)).toBe(8);
  });

  it('rejects a value that is not a whole number ≥ 1 with BackendSettingError', () => {
    for (const bad of ['0', '-2', '1.5', 'two']) {
      let caught: unknown;
      try {
        wantedWasmThreads({ CNN_WASM_THREADS: bad });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(BackendSettingError);
      expect((caught as Error).message).toBe(
        `@cnn/backend: CNN_WASM_THREADS='${bad}' is not valid; expected a whole number of threads ≥ 1`,
      );
    }
  });
});

describe('startWasm', () => {
  // Stand-ins for the factory tfjs-backend-wasm registers: each call records the build asked
  // for (the multithreading flag and the thread count) and behaves as the next script entry says.
  type Behaviour = 'fails' | 'hangs' | 'starts';
  function factory(script: Behaviour[]) {
    const calls: { threadsFlag: unknown; count: number }[] = [];
    let count = 0;
    const setThreadsCount = (n: number) => {
      count = n;
    };
    const create = async () => {
      calls.push({ threadsFlag: tf.env().get('WASM_HAS_MULTITHREAD_SUPPORT'), count });
      const behaviour = script[calls.length - 1];
      if (behaviour === 'fails') throw new Error('the build failed\nsecond line');
      if (behaviour === 'hangs') return new Promise<tf.KernelBackend>(() => {});
      return { made: calls.length } as unknown as tf.KernelBackend;
    };
    return { calls, setThreadsCount, create };
  }
  const limits = { threadedMs: 50, singleMs: 50 };

  function captureStderr(): { text: () => string; restore: () => void } {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    return { text: () => written.join(''), restore: () => spy.mockRestore() };
  }

  it('starts the threaded build when it starts', async () => {
    await loadWasmModule(); // registers the flag
    const f = factory(['starts']);
    const started = await startWasm(2, f.setThreadsCount, f.create, limits);
    expect(started).toEqual({ backend: { made: 1 }, threads: 2 });
    expect(f.calls).toEqual([{ threadsFlag: true, count: 2 }]);
  });

  it('falls back to the single-threaded build, saying why, when the threaded one fails', async () => {
    const f = factory(['fails', 'starts']);
    const err = captureStderr();
    const started = await startWasm(2, f.setThreadsCount, f.create, limits).finally(err.restore);
    expect(started).toEqual({ backend: { made: 2 }, threads: 1 });
    expect(f.calls).toEqual([
      { threadsFlag: true, count: 2 },
      { threadsFlag: false, count: 1 },
    ]);
    expect(err.text()).toBe(
      '@cnn/backend: the 2-thread wasm build failed to start (the build failed); using 1 thread\n',
    );
  });

  it('gives up a threaded start that never ends and starts the single-threaded build', async () => {
    const f = factory(['hangs', 'starts']);
    const err = captureStderr();
    const started = await startWasm(3, f.setThreadsCount, f.create, limits).finally(err.restore);
    expect(started.threads).toBe(1);
    expect(f.calls).toEqual([
      { threadsFlag: true, count: 3 },
      { threadsFlag: false, count: 1 },
    ]);
    expect(err.text()).toBe(
      '@cnn/backend: the 3-thread wasm build failed to start (it did not start within 0.05 s); using 1 thread\n',
    );
  });

  it('throws, naming the reason, when the single-threaded build cannot start either', async () => {
    const err = captureStderr();
    const hangs = factory(['hangs', 'hangs']);
    await expect(startWasm(2, hangs.setThreadsCount, hangs.create, limits).finally(err.restore)).rejects.toThrow(
      'the wasm backend failed to start: it did not start within 0.05 s',
    );
    const fails = factory(['fails']);
    await expect(startWasm(1, fails.setThreadsCount, fails.create, limits)).rejects.toThrow(
      'the wasm backend failed to start: the build failed',
    );
    expect(fails.calls).toEqual([{ threadsFlag: false, count: 1 }]);
  });
});

describe('the threaded wasm backend under Node', () => {
  it('starts with 2 XNNPACK threads, restores the globals it patched, gives the single-threaded results, and lets the process exit', () => {
    const two = startIn('2');
    expect(two.status, two.stderr).toBe(0);
    const one = startIn('1');
    expect(one.status, one.stderr).toBe(0);
    expect(two.output?.backend).toBe('wasm');
    expect(two.output?.threads).toBe(2);
    expect(two.output?.described).toMatch(/^wasm \(XNNPACK SIMD, 2 threads, SIMD kernels on, training kernels: /);
    expect(two.output?.globalsRestored).toBe(true);
    expect(two.output?.cpusRestored).toBe(true);
    expect(one.output?.threads).toBe(1);
    expect(one.output?.described).toMatch(/^wasm \(XNNPACK SIMD, 1 thread, SIMD kernels on, training kernels: /);
    expect(two.output?.out).toHaveLength(80);
    // Threads split the output between them; each value is computed the same way.
    expect(two.output?.out).toEqual(one.output?.out);
  });
});
