import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Worker as NodeWorker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { BackendSettingError } from '../errors';

/**
 * Why this file exists: tfjs-backend-wasm ships a threaded XNNPACK build, but switches it off
 * under Node (tensorflow/tfjs#3830), because its Emscripten glue hands Node things only a
 * browser accepts:
 *  - each pthread worker is started from a `blob:` URL, which Node's `Worker` refuses;
 *  - the worker then loads the module's own source from a Blob, which Node cannot read by URL;
 *  - the source, cut out of tfjs's Rollup bundle, refers to four `require`d modules by the
 *    bundle's private names (`require$$0`…) and to `commonjsGlobal`;
 *  - the thread pool is sized from half the logical cores, so one thread on a 2-core machine;
 *  - its idle pthread workers keep the Node process alive after the program ends.
 * While the backend starts, `startWasm` turns those Blobs into files in a temporary folder and
 * reports twice the cores, then puts everything back and unrefs the workers. If tfjs changes and
 * the threaded build fails to start, `startWasm` starts the single-threaded build instead.
 */

/** What `patch` changed while the backend starts, and the pthread workers it saw started. */
interface Patches {
  /** Puts the globals back and unrefs the workers (they must not keep the process alive). */
  restore: () => void;
  /** Stops the workers of a start that was given up. */
  terminate: () => void;
}

const THREADED_FACTORY = 'var WasmBackendModuleThreadedSimd';

/** What the module source expects to find around it (the bundle's names for its imports). */
const BUNDLE_PRELUDE =
  "var require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks'), " +
  "require$$4 = require('os'), commonjsGlobal = globalThis, _scriptDir = location.href;\n";

let folder: string | undefined;

function scratchFolder(): string {
  if (folder === undefined) {
    const made = mkdtempSync(join(os.tmpdir(), 'cnn-wasm-threads-'));
    folder = made;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return folder;
}

function patch(): Patches {
  const dir = scratchFolder();
  const OriginalBlob = globalThis.Blob;
  const originalCreate = URL.createObjectURL;
  const originalCpus = os.cpus;
  const texts = new WeakMap<Blob, string>();
  let modulePath: string | undefined;
  const workers: NodeWorker[] = [];
  let workerBefore: unknown;
  let tracking = false;
  globalThis.Blob = class TextRecordingBlob extends OriginalBlob {
    constructor(...args: ConstructorParameters<typeof Blob>) {
      super(...args);
      const parts = args[0];
      if (parts === undefined || !parts.every((p) => typeof p === 'string')) return;
      const text = parts.join('');
      texts.set(this, text);
      // The module source is created before the first worker and handed to each worker.
      if (text.startsWith(THREADED_FACTORY)) {
        modulePath = join(dir, 'module.cjs');
        writeFileSync(modulePath, BUNDLE_PRELUDE + text);
      }
    }
  };
  URL.createObjectURL = (blob: Blob): string => {
    const text = texts.get(blob);
    if (text === undefined || modulePath === undefined) return originalCreate.call(URL, blob);
    // The worker script: inside it, "the object URL of the module Blob" is the module's file.
    const workerPath = join(dir, 'worker.cjs');
    const prelude = `URL.createObjectURL = () => ${JSON.stringify(modulePath)}; URL.revokeObjectURL = () => {};\n`;
    writeFileSync(workerPath, prelude + text);
    // The glue calls `new Worker(thisPath)` next, with the Worker it made global (Node's);
    // keep each one to unref it once the backend has started.
    if (!tracking) {
      tracking = true;
      workerBefore = (globalThis as { Worker?: unknown }).Worker;
      const Base = (workerBefore ?? NodeWorker) as typeof NodeWorker;
      (globalThis as { Worker?: unknown }).Worker = class TrackedWorker extends Base {
        constructor(...args: ConstructorParameters<typeof NodeWorker>) {
          super(...args);
          workers.push(this);
        }
      };
    }
    return workerPath;
  };
  // XNNPACK sizes its pool as half the logical cores (for hyper-threads); count them twice.
  // (`os` is the same object the bundle's require('os') returns.)
  os.cpus = () => [...originalCpus(), ...originalCpus()];
  return {
    restore: () => {
      if (tracking) (globalThis as { Worker?: unknown }).Worker = workerBefore;
      for (const worker of workers) worker.unref();
      globalThis.Blob = OriginalBlob;
      URL.createObjectURL = originalCreate;
      os.cpus = originalCpus;
    },
    terminate: () => {
      for (const worker of workers) void worker.terminate();
    },
  };
}

/** The pthread workers tfjs starts ahead (PTHREAD_POOL_SIZE of its threaded build). */
const MAX_THREADS = 8;

/**
 * XNNPACK threads to ask for: CNN_WASM_THREADS if set (1 gives the single-threaded build), else
 * one per core (at most 8).
 */
export function wantedWasmThreads(env: NodeJS.ProcessEnv = process.env, cores = os.availableParallelism()): number {
  const text = env.CNN_WASM_THREADS;
  if (text !== undefined && text.trim() !== '') {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) {
      throw new BackendSettingError('CNN_WASM_THREADS', text, 'a whole number of threads ≥ 1');
    }
    return Math.min(n, MAX_THREADS);
  }
  return Math.max(1, Math.min(cores, MAX_THREADS));
}

/** How long each build may take to start before it is given up (alone: ~0.6 s threaded, 0.07 s not). */
export interface StartLimits {
  threadedMs: number;
  singleMs: number;
}

/**
 * Once, in a fully parallel test run on a loaded 2-core machine, the threaded start never
 * finished (its pthread workers never reported in; the cause was not found). A start that takes
 * longer than this is given up and the single-threaded build starts instead.
 */
export const START_LIMITS: StartLimits = { threadedMs: 20_000, singleMs: 60_000 };

/** A wasm backend made by the factory tfjs-backend-wasm registered, and its thread count. */
export interface StartedWasm {
  backend: tf.KernelBackend;
  threads: number;
}

/** `create()` unless it fails or takes longer than `ms`; then the reason, in words. */
async function within(
  create: () => tf.KernelBackend | Promise<tf.KernelBackend>,
  ms: number,
): Promise<tf.KernelBackend | string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`it did not start within ${ms / 1000} s`), ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(create), late]);
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0]! : String(error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Makes a wasm backend with `threads` XNNPACK threads: above 1, tfjs's threaded build with the
 * patches above, falling back (with a note on stderr) to the single-threaded build if that fails
 * or does not start in time. `create` is the factory tfjs-backend-wasm registered; it is called
 * here rather than through tf.setBackend so that a start that never ends can be given up without
 * leaving tfjs waiting on it. Throws if the single-threaded build cannot start either.
 */
export async function startWasm(
  threads: number,
  setThreadsCount: (n: number) => void,
  create: () => tf.KernelBackend | Promise<tf.KernelBackend>,
  limits: StartLimits = START_LIMITS,
): Promise<StartedWasm> {
  if (threads > 1) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    setThreadsCount(threads);
    const patches = patch();
    let made: tf.KernelBackend | string;
    try {
      made = await within(create, limits.threadedMs);
    } finally {
      patches.restore();
    }
    if (typeof made !== 'string') return { backend: made, threads };
    patches.terminate();
    process.stderr.write(`@cnn/backend: the ${threads}-thread wasm build failed to start (${made}); using 1 thread\n`);
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(1);
  const made = await within(create, limits.singleMs);
  if (typeof made === 'string') throw new Error(`the wasm backend failed to start: ${made}`);
  return { backend: made, threads: 1 };
}

/**
 * Makes tfjs's 'wasm' backend active, starting it first (by {@link startWasm}) unless it already
 * runs. tfjs keeps one factory per name, so the started instance is installed by replacing the
 * factory with one that hands out this instance once and defers to the original after (should the
 * backend be removed and started again), at the original's priority. Without a registered 'wasm'
 * factory, tf.setBackend reports the problem itself.
 */
export async function activateWasm(threads: number, setThreadsCount: (n: number) => void): Promise<boolean> {
  const entry = tf.engine().registryFactory.wasm;
  if (tf.engine().registry.wasm !== undefined || entry === undefined) return tf.setBackend('wasm');
  let ready: tf.KernelBackend | undefined = (await startWasm(threads, setThreadsCount, entry.factory)).backend;
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    () => {
      const made = ready ?? entry.factory();
      ready = undefined;
      return made;
    },
    entry.priority,
  );
  return tf.setBackend('wasm');
}
