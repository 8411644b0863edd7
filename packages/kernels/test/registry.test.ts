import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasFusedKernel, setFusedKernels } from '../src';

const NAME = 'CnnRegistryTestKernel';

describe('hasFusedKernel', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => {
    tf.unregisterKernel(NAME, 'cpu');
  });

  it('is false until the active backend registers the kernel, then true', () => {
    expect(hasFusedKernel(NAME)).toBe(false);
    tf.registerKernel({
      kernelName: NAME,
      backendName: 'cpu',
      kernelFunc: () => ({ dataId: {}, shape: [], dtype: 'float32' }),
    });
    expect(hasFusedKernel(NAME)).toBe(true);
  });

  it('is false while fused kernels are switched off, and the switch returns the previous setting', () => {
    expect(setFusedKernels(false)).toBe(true);
    expect(hasFusedKernel(NAME)).toBe(false);
    expect(setFusedKernels(true)).toBe(false);
    expect(hasFusedKernel(NAME)).toBe(true);
  });
});
