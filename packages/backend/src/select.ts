import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

/** Backends in order of preference. */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * Lists the backends that can run here, fastest first.
 * (Skeleton: only `cpu` until the native, wasm and tfjs-node loaders land.)
 */
export async function availableBackends(): Promise<BackendName[]> {
  return ['cpu'];
}

/** Makes `name` (or the fastest available backend for 'auto') the active tfjs backend. */
export async function useBackend(name: BackendName | 'auto' = 'auto'): Promise<BackendName> {
  const chosen = name === 'auto' ? (await availableBackends())[0]! : name;
  await tf.setBackend(chosen);
  await tf.ready();
  return chosen;
}
