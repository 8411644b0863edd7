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

/** The Blob constructor and object-URL factory while the backend starts. */
interface Patches {
  restore: () => void;
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
  };
}

/** The pthread workers tfjs starts ahead (PTHREAD_POOL_SIZE of its threaded build). */
const MAX_THREADS = 8;

/**
 * XNNPACK threads to ask for: CNN_WASM_THREADS if set (1 gives the single-threaded build), else 1.
 * Threads are opt-in: once, in a fully parallel test run on a loaded 2-core machine, the threaded
 * start never finished (the cause is not known yet); alone it takes ~0.6 s.
 */
export function wantedWasmThreads(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.CNN_WASM_THREADS;
  if (text !== undefined && text.trim() !== '') {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) {
      throw new BackendSettingError('CNN_WASM_THREADS', text, 'a whole number of threads ≥ 1');
    }
    return Math.min(n, MAX_THREADS);
  }
  return 1;
}

/**
 * Starts the wasm backend with `threads` XNNPACK threads: above 1, tfjs's threaded build with
 * the patches above, falling back to the single-threaded build if that fails to start.
 * `setBackend` is tf.setBackend('wasm'); `setThreadsCount` is tfjs-backend-wasm's.
 */
export async function startWasm(
  threads: number,
  setThreadsCount: (n: number) => void,
  setBackend: () => Promise<boolean>,
): Promise<boolean> {
  if (threads > 1) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    setThreadsCount(threads);
    const patches = patch();
    let started = false;
    try {
      started = await setBackend();
    } catch {
      started = false;
    } finally {
      patches.restore();
    }
    if (started) return true;
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(1);
  return setBackend();
}
