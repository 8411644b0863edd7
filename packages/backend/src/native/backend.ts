import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { findBackendFactory, getKernelsForBackend, registerBackend, registerKernel } from '@tensorflow/tfjs-core';
import { nativeStatus } from './addon';
import { NATIVE_KERNELS } from './kernels/registry';

/** The tfjs name of the backend. */
export const NATIVE_BACKEND_NAME = 'native';

/**
 * The cpu backend with its hot kernels (conv, matmul, pooling, element-wise, reductions) replaced by
 * oneDNN / OpenMP code from build/Release/cnn_native.node. Tensors live in JS typed arrays as in cpu.
 */
export class NativeBackend extends MathBackendCPU {
  constructor() {
    super();
    // MathBackendCPU's first write prints "install tfjs-node" advice, which doesn't apply here.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }
}

/**
 * Registers the tfjs backend 'native' (idempotent). Its priority is below cpu's, so tfjs never picks
 * it by itself: call tf.setBackend('native'). Returns false (and registers nothing) when the addon
 * is unavailable; nativeStatus() says why.
 */
export function registerNativeBackend(): boolean {
  if (!nativeStatus().available) return false;
  if (findBackendFactory(NATIVE_BACKEND_NAME)) return true;
  const own = new Set(NATIVE_KERNELS.map((k) => k.kernelName));
  for (const config of getKernelsForBackend('cpu')) {
    if (!own.has(config.kernelName)) registerKernel({ ...config, backendName: NATIVE_BACKEND_NAME });
  }
  for (const config of NATIVE_KERNELS) registerKernel(config);
  registerBackend(NATIVE_BACKEND_NAME, () => new NativeBackend(), -1);
  return true;
}
