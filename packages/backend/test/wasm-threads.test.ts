// The wasm backend runs tfjs's threaded XNNPACK build under Node (see src/wasm/threads.ts).
// Each start-up runs in a fresh child process: tfjs starts a backend once per process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
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
  it('is 1 unless CNN_WASM_THREADS asks for more (at most 8)', () => {
    expect(wantedWasmThreads({})).toBe(1);
    expect(wantedWasmThreads({ CNN_WASM_THREADS: '' })).toBe(1);
    expect(wantedWasmThreads({ CNN_WASM_THREADS: '1' })).toBe(1);
    expect(wantedWasmThreads({ CNN_WASM_THREADS: '3' })).toBe(3);
    expect(wantedWasmThreads({ CNN_WASM_THREADS: '64' })).toBe(8);
  });

  it('rejects a value that is not a whole number ≥ 1 with BackendSettingError', () => {
    for (const bad of ['0', '-2', '1.5', 'two']) {
      const error = (() => {
        try {
          wantedWasmThreads({ CNN_WASM_THREADS: bad });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(BackendSettingError);
      expect((error as BackendSettingError).message).toBe(
        `@cnn/backend: CNN_WASM_THREADS='${bad}' is not valid; expected a whole number of threads ≥ 1`,
      );
    }
  });
});

describe('startWasm', () => {
  it('falls back to the single-threaded build when the threaded one fails to start', async () => {
    await loadWasmModule(); // registers the flag
    const calls: { threadsFlag: unknown; count: number }[] = [];
    let count = 0;
    const started = await startWasm(
      2,
      (n) => {
        count = n;
      },
      async () => {
        calls.push({ threadsFlag: tf.env().get('WASM_HAS_MULTITHREAD_SUPPORT'), count });
        if (calls.length === 1) throw new Error('the threaded build failed');
        return true;
      },
    );
    expect(started).toBe(true);
    expect(calls).toEqual([
      { threadsFlag: true, count: 2 },
      { threadsFlag: false, count: 1 },
    ]);
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
    expect(two.output?.described).toMatch(/^wasm \(XNNPACK SIMD, 2 threads, training kernels: /);
    expect(two.output?.globalsRestored).toBe(true);
    expect(two.output?.cpusRestored).toBe(true);
    expect(one.output?.threads).toBe(1);
    expect(one.output?.described).toMatch(/^wasm \(XNNPACK SIMD, 1 thread, training kernels: /);
    expect(two.output?.out).toHaveLength(80);
    // Threads split the output between them; each value is computed the same way.
    expect(two.output?.out).toEqual(one.output?.out);
  });
});
