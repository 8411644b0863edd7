import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { bufferPool } from '../buffer-pool';
import { NativeKernelError } from '../errors';

/** What a native kernel receives: the backend is (a subclass of) MathBackendCPU. */
export interface NativeKernelArgs {
  inputs: NamedTensorInfoMap;
  backend: MathBackendCPU;
  attrs?: NamedAttrMap;
}

/** A native kernel returns undefined to hand the call to the cpu kernel (unsupported case). */
export type NativeKernelFunc = (args: NativeKernelArgs) => TensorInfo | TensorInfo[] | undefined;

/**
 * The float32 elements of a tensor held by a cpu-style backend, without a copy. The cpu
 * backend's Cast from int32 or bool to float32 keeps the source storage (no encoding loss), so
 * a float32 tensor can hold an Int32Array or Uint8Array: those are converted here.
 */
export function f32(backend: MathBackendCPU, t: TensorInfo): Float32Array {
  const values = backend.data.get(t.dataId).values;
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

/** True when every given tensor is float32 (native kernels only handle float32). */
export function allFloat32(...ts: (TensorInfo | undefined)[]): boolean {
  return ts.every((t) => t === undefined || t.dtype === 'float32');
}

/** How many calls each native kernel handed to the cpu kernel (tests check the hot paths stay native). */
export const cpuFallbacks = new Map<string, number>();

/**
 * How many calls each native kernel has handed to the cpu kernel of the same name since the
 * process started (kernel name: calls; kernels that never fell back are absent). Diff two
 * snapshots to count a training step's fallbacks.
 */
export function nativeCpuFallbacks(): Record<string, number> {
  return Object.fromEntries(cpuFallbacks);
}

/** Runs `fn`; a JS allocation that fails in it (an output buffer) becomes a NativeKernelError of kind 'memory'. */
function outOfMemoryTyped(kernelName: string, args: NativeKernelArgs, fn: NativeKernelFunc) {
  try {
    return fn(args);
  } catch (err) {
    if (!(err instanceof RangeError) || !/allocation failed|Array buffer|typed array length/i.test(err.message))
      throw err;
    const shapes = Object.fromEntries(Object.entries(args.inputs).map(([k, t]) => [k, t?.shape ?? []]));
    throw new NativeKernelError(kernelName, shapes, 'memory', `out of memory: ${err.message}`);
  }
}

/** Wraps a native kernel so that unsupported cases run the cpu kernel of the same name. */
export function withCpuFallback(kernelName: string, fn: NativeKernelFunc): KernelConfig {
  let cpu: KernelFunc | undefined;
  const kernelFunc = ((args: NativeKernelArgs) => {
    const out = outOfMemoryTyped(kernelName, args, fn);
    if (out !== undefined) return out;
    cpuFallbacks.set(kernelName, (cpuFallbacks.get(kernelName) ?? 0) + 1);
    cpu ??= getKernel(kernelName, 'cpu')?.kernelFunc;
    if (!cpu) throw new Error(`@cnn/backend: no cpu kernel ${kernelName} to fall back to`);
    return cpu(args as unknown as Parameters<KernelFunc>[0]);
  }) as unknown as KernelFunc;
  return { kernelName, backendName: 'native', kernelFunc };
}

/** The product of a shape's dimensions. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * An output buffer of `n` floats with unspecified contents (every native kernel writes all of its
 * output): a disposed tensor's buffer of that length from the backend's pool when there is one,
 * else a new one. Hand it to `backend.makeTensorInfo` (so the pool sees when it is disposed), and
 * never dispose a tensor whose values you still read: its buffer may be the next alloc().
 */
export function alloc(n: number): Float32Array {
  return bufferPool.take(n);
}

/**
 * Runs one addon call; any error it throws (bad arguments, oneDNN, out of memory) becomes a
 * NativeKernelError naming the kernel and the input shapes.
 */
export function callAddon(kernel: string, shapes: Record<string, readonly number[]>, call: () => void): void {
  try {
    call();
  } catch (err) {
    throw NativeKernelError.fromAddon(kernel, shapes, err);
  }
}

/** Throws a NativeKernelError of kind 'geometry' unless every entry of `dims` is an integer >= `min`. */
export function requireDims(
  kernel: string,
  shapes: Record<string, readonly number[]>,
  what: string,
  dims: readonly number[],
  min: number,
): void {
  if (dims.every((d) => Number.isInteger(d) && d >= min)) return;
  throw new NativeKernelError(kernel, shapes, 'geometry', `${what} [${dims.join(',')}] must all be integers >= ${min}`);
}
