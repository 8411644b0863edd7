import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './heap';
import { SIMD_KERNELS_WASM_BASE64 } from './simd-binary';

/** A byte offset into the wasm backend's heap (the address of a tensor's first element). */
export type HeapAddress = number;

/** Bits of `adam_update`'s `flags` argument (the enum in wasm/kernels.c). */
export const ADAM_FLAGS = { initialize: 1, applyL2: 2, applyDecay: 4 } as const;

/** Bits of `sgd_update`'s `flags` argument (the enum in wasm/kernels.c). */
export const SGD_FLAGS = { applyWeightDecay: 1, withBuffer: 2, initialize: 4, nesterov: 8 } as const;

/**
 * The functions of wasm/kernels.c: SIMD128 loops working in place on the wasm backend's heap.
 * Every address is a float32 tensor's {@link heapAddress}; counts and sizes are elements.
 */
export interface SimdKernels {
  /** One Adam step over `n` floats; the outputs may be the inputs themselves. Scalars: adamScalars(). */
  adam_update(
    param: HeapAddress,
    grad: HeapAddress,
    expAvg: HeapAddress,
    expAvgSq: HeapAddress,
    paramOut: HeapAddress,
    expAvgOut: HeapAddress,
    expAvgSqOut: HeapAddress,
    n: number,
    flags: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    l2: number,
    decayFactor: number,
    biasCorrection2Sqrt: number,
    eps: number,
    stepSize: number,
  ): void;
  /** One SGD step over `n` floats; the buffer addresses are read only with SGD_FLAGS.withBuffer. */
  sgd_update(
    param: HeapAddress,
    grad: HeapAddress,
    buffer: HeapAddress,
    paramOut: HeapAddress,
    bufferOut: HeapAddress,
    n: number,
    flags: number,
    lr: number,
    momentum: number,
    oneMinusDampening: number,
    weightDecay: number,
  ): void;
  /** out[c] = sum of x[r, c] over the rows of x [rows, cols], in row order. */
  sum_rows(x: HeapAddress, out: HeapAddress, rows: number, cols: number): void;
  /** dx [batch, inH, inW, channels] of a 2x2 stride-2 unpadded max-pool, every element written. */
  maxpool_grad_2x2(
    x: HeapAddress,
    dy: HeapAddress,
    dx: HeapAddress,
    batch: number,
    inHeight: number,
    inWidth: number,
    channels: number,
    outHeight: number,
    outWidth: number,
  ): void;
  /** out[r, c] = x[r, c] + row[c] for x [rows, cols]. */
  add_row(x: HeapAddress, row: HeapAddress, out: HeapAddress, rows: number, cols: number): void;
  /** out[r, c] = x[r, c] * row[c] for x [rows, cols]. */
  multiply_row(x: HeapAddress, row: HeapAddress, out: HeapAddress, rows: number, cols: number): void;
  /** c [m, n] = op(a) op(b); a stored [k, m] when transposeA, b stored [n, k] when transposeB (not both: 1/0 flags). */
  small_matmul(
    a: HeapAddress,
    b: HeapAddress,
    c: HeapAddress,
    m: number,
    k: number,
    n: number,
    transposeA: number,
    transposeB: number,
  ): void;
  /** dw [kh, kw, 1, outChannels] of a one-channel convolution of x [batch, inH, inW, 1] given dy. */
  one_channel_filter_grad(
    x: HeapAddress,
    dy: HeapAddress,
    dw: HeapAddress,
    batch: number,
    inHeight: number,
    inWidth: number,
    outHeight: number,
    outWidth: number,
    outChannels: number,
    filterHeight: number,
    filterWidth: number,
    strideHeight: number,
    strideWidth: number,
    padTop: number,
    padLeft: number,
  ): void;
  /** taps [kh * kw, batch * outH * outW] of a one-channel input x [batch, inH, inW]. */
  one_channel_taps(
    x: HeapAddress,
    taps: HeapAddress,
    batch: number,
    inHeight: number,
    inWidth: number,
    outHeight: number,
    outWidth: number,
    filterHeight: number,
    filterWidth: number,
    strideHeight: number,
    strideWidth: number,
    padTop: number,
    padLeft: number,
  ): void;
}

/** Set to 0 to run the JavaScript and composite kernels instead (to compare, or to rule these out). */
export const SIMD_KERNELS_ENV = 'CNN_WASM_SIMD_KERNELS';

/** The little of the WebAssembly API used here (this package's TypeScript libs have no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
interface WasmApi {
  Memory: abstract new (...args: never[]) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Where tensors live: the backend's emscripten module holds its memory. */
interface EmscriptenModule {
  wasmMemory?: unknown;
  asm?: Record<string, unknown>;
}

/** The compiled module by sharedness of its memory import. */
const compiled = new Map<boolean, object>();
const instances = new WeakMap<WasmMemory, SimdKernels | null>();

/** The backend's WebAssembly.Memory: the threaded build keeps it on the module, the other exports it. */
function memoryOf(backend: HeapBackend): WasmMemory | undefined {
  const module = (backend as unknown as { wasm?: EmscriptenModule }).wasm;
  if (module === undefined) return undefined;
  const isMemory = (value: unknown): value is WasmMemory => value instanceof wasmApi.Memory;
  if (isMemory(module.wasmMemory)) return module.wasmMemory;
  return Object.values(module.asm ?? {}).find(isMemory);
}

/**
 * The module's bytes with its memory import marked shared or not, to match the memory it is
 * given: an import must declare the same sharedness as the memory, and one build of the binary
 * serves both tfjs builds. The limits byte after `env.memory` is 0x01 (has maximum) as compiled.
 */
function bytesFor(shared: boolean): Uint8Array {
  const bytes = Uint8Array.from(Buffer.from(SIMD_KERNELS_WASM_BASE64, 'base64'));
  const marker = Buffer.from('\x03env\x06memory\x02', 'latin1');
  const at = Buffer.from(bytes.buffer).indexOf(marker);
  if (at < 0) throw new Error('@cnn/backend: SIMD kernels binary has no env.memory import');
  const HAS_MAXIMUM = 0x01;
  const SHARED_WITH_MAXIMUM = 0x03;
  bytes[at + marker.length] = shared ? SHARED_WITH_MAXIMUM : HAS_MAXIMUM;
  return bytes;
}

/**
 * The SIMD kernels bound to this backend's heap, or undefined when they cannot run there (no
 * WebAssembly SIMD, a memory that is not found, or CNN_WASM_SIMD_KERNELS=0): callers then use
 * their JavaScript or composite path. Instantiated once per memory.
 */
export function simdKernels(backend: HeapBackend): SimdKernels | undefined {
  if (process.env[SIMD_KERNELS_ENV] === '0') return undefined;
  const memory = memoryOf(backend);
  if (memory === undefined) return undefined;
  const known = instances.get(memory);
  if (known !== undefined) return known ?? undefined;
  let kernels: SimdKernels | null = null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = compiled.get(shared) ?? new wasmApi.Module(bytesFor(shared));
    compiled.set(shared, module);
    const instance = new wasmApi.Instance(module, { env: { memory } });
    kernels = instance.exports as unknown as SimdKernels;
  } catch {
    // Not available in this engine: the callers' other paths are correct, only slower.
    kernels = null;
  }
  instances.set(memory, kernels);
  return kernels ?? undefined;
}

/** The backend's record of a tensor's place on the heap (a public field of tfjs's BackendWasm). */
interface HeapRecords {
  dataIdMap?: { get(dataId: object): { memoryOffset?: number } | undefined };
}

/** The heap address of a tensor's data (its first element). */
export function heapAddress(backend: HeapBackend, t: TensorInfo): HeapAddress {
  // The record is a map lookup; a typed-array view of the heap costs an allocation.
  const offset = (backend as unknown as HeapRecords).dataIdMap?.get(t.dataId)?.memoryOffset;
  return offset ?? backend.typedArrayFromHeap(t).byteOffset;
}
