import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { quietCpuBanner } from './cpu-banner';
import { BackendUnavailableError } from './errors';
import { loadNative } from './native-loader';
import { loadTfjsNode } from './tfjs-node';
import type { HeapBackend } from './wasm/heap';
import {
  loadWasmModule,
  registerWasmTrainingKernels,
  WASM_TRAINING_KERNELS,
  wantedWasmThreads,
  wasmStatus,
  wasmThreadsCount,
} from './wasm/index';
import { simdKernelsState } from './wasm/simd-kernels';
import { activateWasm } from './wasm/threads';

// Any cpu backend of a program that uses @cnn/backend skips tfjs's "install tfjs-node" banner.
quietCpuBanner();

/** Backends in order of preference. */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface UseBackendOptions {
  /** No notice on stderr when 'auto' falls back past the native kernels. */
  quiet?: boolean;
}

/** The name tfjs knows each backend by. */
const TFJS_NAME: Record<BackendName, string> = {
  'tensorflow-gpu': 'tensorflow',
  tensorflow: 'tensorflow',
  native: 'native',
  wasm: 'wasm',
  cpu: 'cpu',
};

type Probe = { ok: true; detail: string } | { ok: false; reason: string; hint: string };

/** Loads what `name` needs (without making it active) and says whether it can run. */
async function prepare(name: BackendName): Promise<Probe> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow': {
      const status = await loadTfjsNode(name);
      if (!status.available) return { ok: false, reason: status.reason, hint: status.hint };
      return { ok: true, detail: `libtensorflow via @tensorflow/tfjs-node${name === 'tensorflow-gpu' ? '-gpu' : ''}` };
    }
    case 'native': {
      const native = await loadNative();
      if (!native.available) return { ok: false, reason: native.reason, hint: native.hint };
      return { ok: true, detail: `N-API kernels, ${native.library}` };
    }
    case 'wasm': {
      const status = await wasmStatus();
      if (!status.available) {
        return {
          ok: false,
          reason: status.reason,
          hint: 'Reinstall @tensorflow/tfjs-backend-wasm (a dependency of @cnn/backend).',
        };
      }
      await registerWasmTrainingKernels();
      return { ok: true, detail: 'XNNPACK' };
    }
    case 'cpu':
      quietCpuBanner(); // again, in case cpu was registered anew since this module loaded
      return { ok: true, detail: 'tfjs reference kernels in JavaScript' };
  }
}

/**
 * Lists the backends that can run here, fastest first. Loads their code (an installed
 * @tensorflow/tfjs-node registers itself on import) but does not change the active backend.
 */
export async function availableBackends(): Promise<BackendName[]> {
  const found: BackendName[] = [];
  for (const name of BACKEND_NAMES) if ((await prepare(name)).ok) found.push(name);
  return found;
}

/**
 * The wasm backend's Emscripten glue, when it starts, adds process handlers that rethrow every
 * uncaught exception and unhandled rejection, so Node prints its whole minified source line
 * instead of the error. Returns a function that removes the handlers added since this call.
 */
function muteEmscriptenCrashHandlers(): () => void {
  const exceptions = new Set(process.listeners('uncaughtException'));
  const rejections = new Set(process.listeners('unhandledRejection'));
  return () => {
    for (const listener of process.listeners('uncaughtException')) {
      if (!exceptions.has(listener)) process.removeListener('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!rejections.has(listener)) process.removeListener('unhandledRejection', listener);
    }
  };
}

/** How the wasm backend runs, once started. */
export interface WasmRunInfo {
  /** Whether tfjs loaded XNNPACK's SIMD build (it does wherever WebAssembly SIMD128 runs). */
  xnnpackSimd: boolean;
  /** XNNPACK's thread count (CNN_WASM_THREADS, or the default). */
  threads: number;
  /** Whether the package's own SIMD kernels run: "on", or "off (why)". */
  simdKernels: string;
  /** The training kernels @cnn/backend registered for wasm. */
  trainingKernels: string[];
}

/** The backend @cnn/backend made active, and how it runs. */
export interface ActiveBackend {
  name: BackendName;
  /** What describeBackend() prints in brackets, e.g. "N-API kernels, oneDNN 2.6.3 (OpenMP)". */
  detail: string;
  /** Only when `name` is "wasm". */
  wasm?: WasmRunInfo;
}

let active: ActiveBackend | undefined;

/** "XNNPACK SIMD, 2 threads, SIMD kernels on": the wasm build, its threads and our SIMD kernels. */
export function describeWasmRun(wasm: WasmRunInfo): string {
  const threads = `${wasm.threads} thread${wasm.threads === 1 ? '' : 's'}`;
  return `XNNPACK${wasm.xnnpackSimd ? ' SIMD' : ''}, ${threads}, SIMD kernels ${wasm.simdKernels}`;
}

async function activate(name: BackendName): Promise<Probe> {
  const probe = await prepare(name);
  if (!probe.ok) return probe;
  let started = false;
  // Read before starting, so that a bad CNN_WASM_THREADS is reported as itself.
  const wasmThreads = name === 'wasm' ? wantedWasmThreads() : 1;
  const quietCrashes = name === 'wasm' ? muteEmscriptenCrashHandlers() : () => {};
  try {
    if (name === 'wasm') {
      const wasm = await loadWasmModule();
      started = await activateWasm(wasmThreads, wasm.setThreadsCount);
    } else {
      started = await tf.setBackend(TFJS_NAME[name]);
    }
    await tf.ready();
    quietCrashes();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, reason: `it failed to start (${message})`, hint: 'Try another backend, e.g. --backend cpu.' };
  }
  if (!started) return { ok: false, reason: 'it failed to start', hint: 'Try another backend, e.g. --backend cpu.' };
  if (name !== 'wasm') {
    active = { name, detail: probe.detail };
    return probe;
  }
  const wasm: WasmRunInfo = {
    xnnpackSimd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    threads: await wasmThreadsCount(),
    simdKernels: simdKernelsState(tf.backend() as unknown as HeapBackend),
    trainingKernels: WASM_TRAINING_KERNELS.map((k) => k.kernelName),
  };
  const detail = `${describeWasmRun(wasm)}, training kernels: ${wasm.trainingKernels.join(', ')}`;
  active = { name, detail, wasm };
  return probe;
}

/**
 * Makes `name` the active tfjs backend, or for 'auto' the fastest one that starts. Throws
 * BackendUnavailableError (saying why and how to get it) when an explicitly named backend
 * cannot run. With 'auto', prints one line to stderr when it falls back past the native kernels: why
 * (e.g. no C++ compiler when the package was installed) and the command that builds them.
 */
export async function useBackend(
  name: BackendName | 'auto' = 'auto',
  options: UseBackendOptions = {},
): Promise<BackendName> {
  if (name !== 'auto') {
    const probe = await activate(name);
    if (!probe.ok) throw new BackendUnavailableError(name, probe.reason, probe.hint);
    return name;
  }
  let nativeWhy: string | undefined;
  for (const candidate of BACKEND_NAMES) {
    const probe = await activate(candidate);
    if (probe.ok) {
      if (nativeWhy !== undefined && !options.quiet) {
        process.stderr.write(`@cnn/backend: using ${candidate} (native kernels not available: ${nativeWhy})\n`);
      }
      return candidate;
    }
    if (candidate === 'native') nativeWhy = `${probe.reason}. ${probe.hint}`;
  }
  throw new BackendUnavailableError('auto', 'no backend could start, not even cpu', 'Check the tfjs installation.');
}

/**
 * One line for apps to print: which backend runs and how, e.g.
 * "wasm (XNNPACK SIMD, 2 threads, SIMD kernels on, training kernels: ...)".
 */
export function describeBackend(): string {
  const current = tf.getBackend();
  const ours = activeBackend();
  if (ours !== undefined) return `${ours.name} (${ours.detail})`;
  return current === undefined ? 'none (no backend set yet)' : `${current} (set outside @cnn/backend)`;
}

/**
 * The backend useBackend() made active, with how it runs (for wasm: threads and SIMD kernels), or
 * undefined when none was, or when tfjs's active backend was changed since.
 */
export function activeBackend(): ActiveBackend | undefined {
  return active !== undefined && TFJS_NAME[active.name] === tf.getBackend() ? active : undefined;
}
