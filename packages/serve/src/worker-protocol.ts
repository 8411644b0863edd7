import type { BackendName } from '@cnn/backend';
import type * as tf from '@tensorflow/tfjs-core';
import type { Predictor } from './infer';
import type { Normalisation } from './model-dir';

/** Messages from the server to its inference worker; each carries an id its answer repeats. */
export type ToWorker =
  | { type: 'init'; id: number; modelDir: string; normalize: Normalisation; backend: BackendName | 'auto' }
  | { type: 'predict'; id: number; pixels: Float32Array; n: number }
  | { type: 'memory'; id: number };

/** Answers of the inference worker. */
export type FromWorker =
  | { type: 'ready'; id: number; info: Pick<Predictor, 'backend' | 'summary' | 'layersExport'> }
  | { type: 'result'; id: number; probs: Float32Array; memory: tf.MemoryInfo }
  | { type: 'memory'; id: number; memory: tf.MemoryInfo }
  | { type: 'error'; id: number; name: string; message: string };
