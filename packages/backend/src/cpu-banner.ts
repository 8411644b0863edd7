import '@tensorflow/tfjs-backend-cpu';
import type { KernelBackend } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Why: tfjs-backend-cpu's `MathBackendCPU.write()` prints, the first time an instance stores a
 * tensor in Node, "Hi, looks like you are running TensorFlow.js in Node.js. To speed things up
 * dramatically, install our node backend..." through `backend_util.warn`. Each process (and each
 * vitest test file) that computes on `cpu` prints it once. Choosing a faster backend is what
 * `useBackend` does, so here the advice is noise.
 *
 * How: the banner is guarded by the instance's private `firstUse` flag alone; clearing that flag
 * silences exactly this message. Nothing else changes: PROD mode stays off and every other tfjs
 * warning is still printed.
 */
function skipBanner(backend: KernelBackend | Promise<KernelBackend> | undefined): void {
  const instance = backend as { firstUse?: unknown } | undefined;
  if (instance !== undefined && typeof instance.firstUse === 'boolean') instance.firstUse = false;
}

const wrapped = new WeakSet<object>();

/**
 * Makes the `cpu` backend of this tfjs-core skip the "install tfjs-node" banner: the instance
 * that already exists, if any, and every instance tfjs creates later (it creates a new one, for
 * example, when it picks its default backend). Wraps the registered factory in place, so the
 * existing instance and its tensors are kept. Idempotent; does nothing when `cpu` is not
 * registered. Called when @cnn/backend is imported and by `useBackend` (importing this module
 * registers `cpu`, so the banner never gets a chance).
 */
export function quietCpuBanner(): void {
  const engine = tf.engine();
  skipBanner(engine.registry.cpu);
  const entry = engine.registryFactory.cpu;
  if (entry === undefined || wrapped.has(entry)) return;
  const create = entry.factory;
  entry.factory = () => {
    const backend = create();
    skipBanner(backend);
    return backend;
  };
  wrapped.add(entry);
}
