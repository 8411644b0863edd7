import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmKernelBackend } from './kernel-call';

/** The part of the wasm backend that kernels written in JavaScript over the wasm heap use. */
export interface HeapBackend extends WasmKernelBackend {
  makeOutput(shape: number[], dtype: 'float32' | 'int32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array;
  /** How many tensors share this buffer. */
  refCount(dataId: object): number;
}

/**
 * Allocates the outputs first, then returns views of `inputs` and of the outputs: a heap
 * allocation can grow the wasm memory, which detaches every older view, so views are taken after.
 */
export function heapViews(
  backend: HeapBackend,
  inputs: readonly TensorInfo[],
  outputShapes: readonly (readonly number[])[],
): { outputs: TensorInfo[]; ins: (Float32Array | Int32Array)[]; outs: Float32Array[] } {
  const outputs = outputShapes.map((shape) => backend.makeOutput([...shape], 'float32'));
  const ins = inputs.map((t) => backend.typedArrayFromHeap(t));
  const outs = outputs.map((t) => backend.typedArrayFromHeap(t) as Float32Array);
  return { outputs, ins, outs };
}
