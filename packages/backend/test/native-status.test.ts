import * as fusedKernels from '@cnn/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { NATIVE_BACKEND_NAME, nativeStatus, registerNativeBackend } from '../src/index';
import { loadNativeAddon, nativeAddon, packageRoot } from '../src/native/addon';
import {
  CONV_GEOMETRY_FIELDS,
  type Packed,
  POOL_GEOMETRY_FIELDS,
  type PoolGeometry,
  packConvGeometry,
  packPoolGeometry,
} from '../src/native/geometry';
import { NATIVE_KERNELS } from '../src/native/kernels/registry';

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

  it('replaces only kernels that cpu has (and adds the fused ones of @cnn/kernels), each once', () => {
    const cpu = new Set(tf.getKernelsForBackend('cpu').map((k) => k.kernelName));
    const fused = new Set<string>(Object.values(fusedKernels).filter((v) => typeof v === 'string'));
    const names = NATIVE_KERNELS.map((k) => k.kernelName);
    expect(names.filter((n) => !cpu.has(n) && !fused.has(n))).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('explains in one line why an addon does not load', () => {
    expect(loadNativeAddon('/nonexistent/cnn_native.node').status).toEqual({
      available: false,
      reason: 'native addon /nonexistent/cnn_native.node does not exist',
    });
    const notAddon = loadNativeAddon(new URL('../package.json', import.meta.url).pathname).status;
    expect(notAddon.available).toBe(false);
    expect((notAddon as { reason: string }).reason).toMatch(/^native addon failed to load: [^\n]+$/);
  });

  it('finds the package root from src', () => {
    const root = packageRoot();
    expect(root).toMatch(/packages[/\\]backend$/);
    expect(packageRoot('/')).toBeUndefined();
  });
});

describe.skipIf(!nativeStatus().available)('addon argument checks', () => {
  it('rejects wrong buffer sizes and types with named errors', () => {
    const addon = nativeAddon();
    const f = (n: number) => new Float32Array(n);
    expect(() => addon.matmul(f(5), f(6), f(4), 1, 1, 2, 2, 3, false, false, null, false)).toThrow(
      new RangeError('matmul: a too small'),
    );
    expect(() => addon.matmul(f(6), f(6), f(4), 1, 1, 2, 2, 3, false, false, f(3), false)).toThrow(
      'matmul: bias must have N elements',
    );
    expect(() => addon.unary('relu', new Float64Array(3) as unknown as Float32Array, f(3), 0)).toThrow(
      new TypeError('argument 1 must be a Float32Array'),
    );
    expect(() => addon.binary('add', f(3), [4], f(4), [4], f(4))).toThrow('binary: a has 3 elements');
    expect(() => addon.binary('add', f(4), [4], f(3), [4], f(4))).toThrow('binary: b has 3 elements');
    expect(() => addon.reduceSum(f(6), f(2), 1, 3, 3)).toThrow('reduceSum: x size');
    expect(() => addon.tile(f(6), f(12), [2, 3], [2])).toThrow('tile: shape and reps must have the same rank > 0');
    expect(() => addon.tile(f(6), f(11), [2, 3], [2, 1])).toThrow('tile: out size');
    expect(() => addon.tile(f(6), f(12), [2, 3], [2, 0])).toThrow('tile: dims and reps must be positive');
    expect(() => addon.batchNorm(f(10), f(4), f(4), null, null, f(10), 4, 1e-3)).toThrow(
      'batchNorm: x size must be a multiple of the parameter length',
    );
    expect(() => addon.batchNorm(f(8), f(4), f(2), null, null, f(8), 4, 1e-3)).toThrow(
      'batchNorm: parameters must have length 1 or L',
    );
    expect(() => addon.unary('cube' as 'relu', f(3), f(3), 0)).toThrow("unary: unknown op 'cube'");
    // A 3x3 filter over a 5x5 image gives 3x3, not the 4x4 this geometry claims.
    const conv = packConvGeometry({
      batchSize: 1,
      inHeight: 5,
      inWidth: 5,
      inChannels: 1,
      filterHeight: 3,
      filterWidth: 3,
      outChannels: 1,
      outHeight: 4,
      outWidth: 4,
      strideHeight: 1,
      strideWidth: 1,
      dilationHeight: 1,
      dilationWidth: 1,
      padTop: 0,
      padLeft: 0,
      padBottom: 0,
      padRight: 0,
    });
    expect(() => addon.conv2d(f(25), f(9), null, f(16), conv, false)).toThrow(
      'conv: geometry inconsistent with its output size',
    );
    const pool: PoolGeometry = {
      batchSize: 1,
      inHeight: 2,
      inWidth: 2,
      channels: 1,
      filterHeight: 2,
      filterWidth: 2,
      outHeight: 1,
      outWidth: 1,
      strideHeight: 0,
      strideWidth: 2,
      padTop: 0,
      padLeft: 0,
    };
    expect(() => addon.maxPool(f(4), f(1), packPoolGeometry(pool))).toThrow('maxPool: bad geometry');
    // A field that is not a number is named; so is a geometry of the wrong length.
    const notNumber = [...packPoolGeometry({ ...pool, strideHeight: 2 })] as unknown[];
    notNumber[POOL_GEOMETRY_FIELDS.indexOf('strideWidth')] = '2';
    expect(() => addon.maxPool(f(4), f(1), notNumber as Packed<PoolGeometry>)).toThrow(
      new RangeError('maxPool: geometry field strideWidth is not a number'),
    );
    expect(() => addon.conv2d(f(25), f(9), null, f(16), conv.slice(1) as typeof conv, false)).toThrow(
      new RangeError('conv: geometry must have 17 entries, got 16'),
    );
  });

  it('C++ reads the conv and pool geometries in the field order TypeScript packs them', () => {
    expect(nativeAddon().convGeometryFields).toEqual([...CONV_GEOMETRY_FIELDS]);
    expect(nativeAddon().poolGeometryFields).toEqual([...POOL_GEOMETRY_FIELDS]);
  });
});
