import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './heap';
import { SIMD_KERNELS_WASM_BASE64 } from './simd-binary';
import type { HeapAddress, SimdKernels } from './simd-exports';

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

/** How the kernels bound to one backend: loaded, or why not. */
type Binding = { kernels: SimdKernels; reason?: undefined } | { kernels: undefined; reason: string };

/** The compiled module by sharedness of its memory import. */
const compiled = new Map<boolean, object>();
/** One binding per backend object (its memory never changes, only grows). */
const bindings = new WeakMap<object, Binding>();

/** The backend's WebAssembly.Memory: the threaded build keeps it on the module, the other exports it. */
function memoryOf(backend: HeapBackend): WasmMemory | undefined {
  const module = (backend as unknown as { wasm?: EmscriptenModule }).wasm;
  if (module === undefined) return undefined;
  const isMemory = (value: unknown): value is WasmMemory => value instanceof wasmApi.Memory;
  if (isMemory(module.wasmMemory)) return module.wasmMemory;
  return Object.values(module.asm ?? {}).find(isMemory);
}

function bind(backend: HeapBackend): Binding {
  const memory = memoryOf(backend);
  if (memory === undefined) return { kernels: undefined, reason: "the backend's WebAssembly memory was not found" };
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = compiled.get(shared) ?? new wasmApi.Module(bytesFor(shared));
    compiled.set(shared, module);
    const instance = new wasmApi.Instance(module, { env: { memory } });
    return { kernels: instance.exports as unknown as SimdKernels };
  } catch (error) {
    // E.g. no WebAssembly SIMD in this engine: the callers' other paths are correct, only slower.
    return { kernels: undefined, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}

function bindingOf(backend: HeapBackend): Binding {
  let binding = bindings.get(backend);
  if (binding === undefined) {
    binding = bind(backend);
    bindings.set(backend, binding);
  }
  return binding;
}

/**
 * The SIMD kernels bound to this backend's heap, or undefined when they cannot run there (see
 * {@link simdKernelsState}): callers then use their JavaScript or composite path.
 */
export function simdKernels(backend: HeapBackend): SimdKernels | undefined {
  if (process.env[SIMD_KERNELS_ENV] === '0') return undefined;
  return bindingOf(backend).kernels;
}

/** "on", or "off (why)": whether the wasm backend `backend` runs the SIMD kernels. */
export function simdKernelsState(backend: HeapBackend): string {
  if (process.env[SIMD_KERNELS_ENV] === '0') return `off (${SIMD_KERNELS_ENV}=0)`;
  const { reason } = bindingOf(backend);
  return reason === undefined ? 'on' : `off (${reason})`;
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
