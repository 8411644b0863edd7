import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  type backend_util,
  type DataId,
  type DataType,
  engine,
  findBackendFactory,
  getKernelsForBackend,
  registerBackend,
  registerKernel,
} from '@tensorflow/tfjs-core';
import { nativeStatus } from './addon';
import { bufferPool } from './buffer-pool';
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

  // The overrides below keep the buffer pool's count of the dataIds that view each pooled buffer.
  override write(values: backend_util.BackendValues, shape: number[], dtype: DataType): DataId {
    const dataId = super.write(values, shape, dtype);
    bufferPool.retain(values);
    return dataId;
  }

  override move(
    dataId: DataId,
    values: backend_util.BackendValues,
    shape: number[],
    dtype: DataType,
    refCount: number,
  ): void {
    const old = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    super.move(dataId, values, shape, dtype, refCount);
    bufferPool.retain(values);
    if (old !== undefined) bufferPool.release(old);
  }

  /** Recycles the buffer of a deleted dataId when the pool made it and nothing else can see it. */
  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const released = super.disposeData(dataId, force);
    if (values !== undefined && !this.data.has(dataId)) bufferPool.release(values);
    return released;
  }

  /**
   * User code (kernel depth 0: dataSync, data, array) gets a copy of a pooled buffer, so the buffer
   * stays reusable; a kernel that reads through readSync gets the array itself, which is then
   * never pooled (it might keep it).
   */
  override readSync(dataId: DataId): backend_util.BackendValues {
    return bufferPool.handOut(super.readSync(dataId), engine().state.kernelDepth === 0);
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
