import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { BackendName } from '@cnn/backend';
import type * as tf from '@tensorflow/tfjs-core';
import { loadPredictor, type Predictor } from './infer';
import type { Normalisation } from './model-dir';
import type { ToWorker, FromWorker } from './worker-protocol';

/** What the engine publishes once the model is loaded. */
export type EngineInfo = Pick<Predictor, 'backend' | 'summary' | 'layersExport'>;

/** One forward pass: probabilities (`n × classes`, row-major) and `tf.memory()` right after it. */
export interface EngineResult {
  probs: Float32Array;
  memory: tf.MemoryInfo;
}

/** Runs the model: in a worker thread (`'worker'`) or on the main thread (`'main'`). */
export interface Engine {
  readonly mode: 'worker' | 'main';
  readonly info: EngineInfo;
  /** Args: `pixels`, `n × 784` in [0, 1]. One call at a time (the batcher serialises them). */
  predict(pixels: Float32Array, n: number): Promise<EngineResult>;
  memory(): Promise<tf.MemoryInfo>;
  close(): Promise<void>;
}

export interface EngineOptions {
  modelDir: string;
  normalize: Normalisation;
  backend: BackendName | 'auto';
  mode: 'worker' | 'main';
}

/** Starts an engine and waits until the model is loaded (rejects with the loading error). */
export async function startEngine(options: EngineOptions): Promise<Engine> {
  return options.mode === 'worker' ? startWorker(options) : startMain(options);
}

async function startMain(options: EngineOptions): Promise<Engine> {
  const p = await loadPredictor(options.modelDir, options.normalize, options.backend);
  return {
    mode: 'main',
    info: { backend: p.backend, summary: p.summary, layersExport: p.layersExport },
    predict: async (pixels, n) => ({ probs: p.predict(pixels, n), memory: p.memory() }),
    memory: async () => p.memory(),
    close: async () => p.dispose(),
  };
}

/** The worker's entry: `worker.ts` next to this file from sources (through tsx), `worker.js` when built. */
function workerSource(): { code: string; eval: true } | { file: URL; eval: false } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const req = createRequire(here);
    const tsx = pathToFileURL(join(dirname(req.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
    const target = new URL('./worker.ts', here).href;
    const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); })`;
    return { code, eval: true };
  }
  return { file: new URL(`./worker.js`, pathToFileURL(fileURLToPath(here))), eval: false };
}

async function startWorker(options: EngineOptions): Promise<Engine> {
  const source = workerSource();
  const execArgv = source.eval ? ['--conditions=@cnn/source'] : [];
  const worker = source.eval
    ? new Worker(source.code, { eval: true, execArgv })
    : new Worker(source.file, { execArgv });
  const pending = new Map<number, { resolve: (m: FromWorker) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let failure: Error | undefined;
  const fail = (err: Error) => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('error', (err) => fail(err));
  worker.on('exit', (code) => fail(new Error(`the inference worker exited (code ${code})`)));
  worker.on('message', (m: FromWorker) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.type === 'error') {
      // The worker's error class does not cross the thread; its name does (e.g. ModelFileError).
      const err = new Error(m.message);
      err.name = m.name;
      p.reject(err);
    } else p.resolve(m);
  });
  const call = (msg: ToWorker, transfer: ArrayBuffer[] = []): Promise<FromWorker> =>
    new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      pending.set(msg.id, { resolve, reject });
      worker.postMessage(msg, transfer);
    });
  const ready = await call({
    type: 'init',
    id: nextId++,
    modelDir: options.modelDir,
    normalize: options.normalize,
    backend: options.backend,
  }).catch(async (err) => {
    await worker.terminate();
    throw err;
  });
  if (ready.type !== 'ready') throw new Error('the inference worker did not start');
  return {
    mode: 'worker',
    info: ready.info,
    async predict(pixels, n) {
      const m = await call({ type: 'predict', id: nextId++, pixels, n });
      if (m.type !== 'result') throw new Error('unexpected answer from the inference worker');
      return { probs: m.probs, memory: m.memory };
    },
    async memory() {
      const m = await call({ type: 'memory', id: nextId++ });
      if (m.type !== 'memory') throw new Error('unexpected answer from the inference worker');
      return m.memory;
    },
    async close() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
