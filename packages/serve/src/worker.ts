/**
 * The inference worker thread: loads the model once (`init`), then answers `predict` and
 * `memory` messages one at a time. Runs on the wasm or cpu backend (see the README for why
 * not the native addon).
 */
import { parentPort } from 'node:worker_threads';
import { loadPredictor, type Predictor } from './infer';
import type { FromWorker, ToWorker } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('@cnn/serve worker.ts must run in a worker thread');
let predictor: Predictor | undefined;

port.on('message', async (msg: ToWorker) => {
  const reply = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  try {
    if (msg.type === 'init') {
      predictor = await loadPredictor(msg.modelDir, msg.normalize, msg.backend);
      const { backend, summary, layersExport } = predictor;
      reply({ type: 'ready', id: msg.id, info: { backend, summary, layersExport } });
    } else if (!predictor) {
      reply({ type: 'error', id: msg.id, name: 'Error', message: 'the model is not loaded' });
    } else if (msg.type === 'predict') {
      const probs = predictor.predict(msg.pixels, msg.n);
      reply({ type: 'result', id: msg.id, probs, memory: predictor.memory() }, [probs.buffer as ArrayBuffer]);
    } else {
      reply({ type: 'memory', id: msg.id, memory: predictor.memory() });
    }
  } catch (err) {
    reply({ type: 'error', id: msg.id, name: (err as Error).name, message: (err as Error).message });
  }
});
