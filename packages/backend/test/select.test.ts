import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  activeBackend,
  availableBackends,
  BACKEND_NAMES,
  BackendUnavailableError,
  describeBackend,
  describeWasmRun,
  TFJS_NODE_VERSION,
  useBackend,
  wantedWasmThreads,
} from '../src/index';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('availableBackends', () => {
  it('lists what runs here fastest first: wasm and cpu, never the uninstalled tfjs-node', async () => {
    expect(BACKEND_NAMES).toEqual(['tensorflow-gpu', 'tensorflow', 'native', 'wasm', 'cpu']);
    const found = await availableBackends();
    expect(found).not.toContain('tensorflow');
    expect(found).not.toContain('tensorflow-gpu');
    expect(found.slice(-2)).toEqual(['wasm', 'cpu']);
    // Order follows BACKEND_NAMES.
    expect([...found].sort((a, b) => BACKEND_NAMES.indexOf(a) - BACKEND_NAMES.indexOf(b))).toEqual(found);
  });
});

describe('useBackend with a name', () => {
  it('wasm: activates it and describes XNNPACK, its threads and the training kernels', async () => {
    expect(await useBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const threads = wantedWasmThreads();
    const text = describeBackend();
    expect(text).toMatch(
      new RegExp(
        `^wasm \\(XNNPACK( SIMD)?, ${threads} threads?, SIMD kernels on, training kernels: Conv2DBackpropFilter, Conv2DBackpropInput, BatchMatMul, MaxPoolGrad(, \\w+)*\\)$`,
      ),
    );
    // The same facts, structured.
    const info = activeBackend();
    expect(info?.name).toBe('wasm');
    expect(text).toBe(`wasm (${info?.detail})`);
    expect(info?.wasm?.threads).toBe(threads);
    expect(info?.wasm?.simdKernels).toBe('on');
    expect(describeWasmRun(info!.wasm!)).toMatch(new RegExp(`^XNNPACK( SIMD)?, ${threads} threads?, SIMD kernels on$`));
    expect(info?.wasm?.trainingKernels.slice(0, 4)).toEqual([
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'BatchMatMul',
      'MaxPoolGrad',
    ]);
  });

  it('cpu: activates it', async () => {
    expect(await useBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(describeBackend()).toBe('cpu (tfjs reference kernels in JavaScript)');
    expect(activeBackend()).toEqual({ name: 'cpu', detail: 'tfjs reference kernels in JavaScript' });
  });

  it('tensorflow (not installed here): BackendUnavailableError with the install command', async () => {
    await useBackend('cpu');
    const error = await useBackend('tensorflow').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    const e = error as BackendUnavailableError;
    expect(e.name).toBe('BackendUnavailableError');
    expect(e.backend).toBe('tensorflow');
    expect(e.reason).toBe('@tensorflow/tfjs-node is not installed');
    expect(e.hint).toContain(`npm i @tensorflow/tfjs-node@${TFJS_NODE_VERSION}`);
    expect(e.message).toBe(`@cnn/backend: backend 'tensorflow' is not available: ${e.reason}. ${e.hint}`);
    // The active backend is left alone.
    expect(tf.getBackend()).toBe('cpu');
  });

  it('tensorflow-gpu (not installed here): the error names the gpu package and CUDA', async () => {
    const error = await useBackend('tensorflow-gpu').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    const e = error as BackendUnavailableError;
    expect(e.reason).toBe('@tensorflow/tfjs-node-gpu is not installed');
    expect(e.hint).toContain(`npm i @tensorflow/tfjs-node-gpu@${TFJS_NODE_VERSION}`);
    expect(e.hint).toContain('CUDA');
  });

  it('describeBackend says when the backend was set behind its back', async () => {
    await useBackend('wasm');
    await tf.setBackend('cpu');
    expect(describeBackend()).toBe('cpu (set outside @cnn/backend)');
    expect(activeBackend()).toBeUndefined();
  });
});

describe("useBackend('auto')", () => {
  it('picks the first available backend, with a one-line notice when it falls back past native', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const expected = (await availableBackends())[0];
    const chosen = await useBackend('auto');
    expect(chosen).toBe(expected);
    expect(tf.getBackend()).toBe(chosen === 'tensorflow-gpu' ? 'tensorflow' : chosen);
    const notices = writes.filter((w) => w.startsWith('@cnn/backend:'));
    if (chosen === 'wasm' || chosen === 'cpu') {
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(
        new RegExp(`^@cnn/backend: using ${chosen} \\(native kernels not available: .+\\)\\n$`),
      );
    } else {
      expect(notices).toEqual([]);
    }
  });

  it('quiet: no notice', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    await useBackend('auto', { quiet: true });
    expect(writes.filter((w) => w.startsWith('@cnn/backend:'))).toEqual([]);
  });
});
