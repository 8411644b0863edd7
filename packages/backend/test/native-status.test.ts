import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { NATIVE_BACKEND_NAME, nativeStatus, registerNativeBackend } from '../src/index';
import { packageRoot } from '../src/native/addon';

describe('nativeStatus', () => {
  it('reports a library or a one-line reason', () => {
    const s = nativeStatus();
    if (s.available) expect(s.library).toMatch(/^oneDNN \d+\.\d+\.\d+/);
    else expect(s.reason).not.toContain('\n');
    expect(nativeStatus()).toBe(s); // loaded once
  });

  it('is available when CNN_REQUIRE_NATIVE=1 (CI builds the addon)', () => {
    const s = nativeStatus();
    if (process.env.CNN_REQUIRE_NATIVE === '1') expect(s).toMatchObject({ available: true });
    else expect(typeof s.available).toBe('boolean');
  });

  it('registers the backend idempotently, below cpu in priority', () => {
    const ok = registerNativeBackend();
    expect(ok).toBe(nativeStatus().available);
    expect(registerNativeBackend()).toBe(ok);
    expect(tf.findBackendFactory(NATIVE_BACKEND_NAME) !== null).toBe(ok);
    if (ok) {
      const cpuKernels = tf.getKernelsForBackend('cpu').map((k) => k.kernelName);
      const nativeKernels = new Set(tf.getKernelsForBackend(NATIVE_BACKEND_NAME).map((k) => k.kernelName));
      expect(cpuKernels.filter((k) => !nativeKernels.has(k))).toEqual([]);
    }
  });

  it('finds the package root from src', () => {
    const root = packageRoot();
    expect(root).toMatch(/packages[/\\]backend$/);
    expect(packageRoot('/')).toBeUndefined();
  });
});
