import { type BackendName, describeBackend, useBackend } from '@cnn/backend';
import { loadModel, type Module, type SummaryResult, summary, toLayersModel } from '@cnn/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { Normalisation } from './model-dir';

/** A model ready for inference, with what the server publishes about it. */
export interface Predictor {
  /** The backend line of `@cnn/backend` (`wasm (XNNPACK ...)`). */
  backend: string;
  /** Layer table of the model, as `@cnn/layers` `summary()` prints it. */
  summary: Pick<SummaryResult, 'rows' | 'totalParams' | 'text'>;
  /** The model in the TF.js Layers format for the page: `model.json` text and `weights.bin` bytes, or why not. */
  layersExport: { modelJson: string; weights: Uint8Array } | { error: string };
  /**
   * Probabilities of `n` images. Args: `pixels`, `n × 784` values in [0, 1] (NHWC `[n, 28, 28, 1]`,
   * white ink on black). Shape: returns `n × classes` probabilities, row-major.
   */
  predict(pixels: Float32Array, n: number): Float32Array;
  /** `tf.memory()` of the thread the model runs in. */
  memory(): tf.MemoryInfo;
  dispose(): void;
}

/**
 * Selects `backend`, loads the model saved by `@cnn/layers` in `modelDir` (architecture
 * included) and prepares it for inference (eval mode; softmax over the output, which gives
 * probabilities both for logits and for log-probabilities).
 */
export async function loadPredictor(
  modelDir: string,
  normalize: Normalisation,
  backend: BackendName | 'auto',
): Promise<Predictor> {
  await useBackend(backend, { quiet: true });
  const model: Module = (await loadModel(modelDir)).eval();
  const table = summary(model, [28, 28, 1], { print: false });
  let layersExport: Predictor['layersExport'];
  try {
    const artifacts = toLayersModel(model, [28, 28, 1]);
    const encoded = await tf.io.encodeWeights(artifacts.weights);
    const modelJson = JSON.stringify({
      ...artifacts.modelJson,
      weightsManifest: [{ paths: ['weights.bin'], weights: encoded.specs }],
    });
    const data = encoded.data instanceof ArrayBuffer ? encoded.data : tf.io.concatenateArrayBuffers(encoded.data);
    layersExport = { modelJson, weights: new Uint8Array(data) };
  } catch (err) {
    layersExport = { error: (err as Error).message };
  }
  return {
    backend: describeBackend(),
    summary: { rows: table.rows, totalParams: table.totalParams, text: table.text },
    layersExport,
    predict(pixels, n) {
      const probs = tf.tidy(() => {
        const x = tf.tensor4d(pixels, [n, 28, 28, 1]);
        const input =
          normalize.mean === 0 && normalize.std === 1 ? x : tf.div(tf.sub(x, normalize.mean), normalize.std);
        return tf.softmax(model.apply(input));
      });
      try {
        // A copy of its own: the worker transfers this buffer to the main thread.
        return Float32Array.from(probs.dataSync() as Float32Array);
      } finally {
        probs.dispose();
      }
    },
    memory: () => tf.memory(),
    dispose: () => model.dispose(),
  };
}
