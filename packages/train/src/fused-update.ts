import type { FusedUpdateResult } from '@cnn/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { OptimizerError } from './errors';

/**
 * Runs the fused update kernel `name` of the active backend on `inputs` and points each variable
 * of `written` (in the kernel's output order) at the values the kernel wrote. The kernel's
 * `kernelFunc` is called directly: an update runs outside any gradient tape, and skipping the
 * engine saves its per-op bookkeeping (see `FusedUpdateResult` in @cnn/kernels).
 */
export function runFusedUpdate(
  name: string,
  inputs: Record<string, tf.Tensor>,
  written: readonly tf.Variable[],
  attrs: object,
): void {
  const config = tf.getKernel(name, tf.getBackend());
  if (config === undefined) throw new OptimizerError(`fused kernel ${name} is not registered for ${tf.getBackend()}`);
  const out = config.kernelFunc({
    inputs,
    backend: tf.backend(),
    attrs: attrs as unknown as tf.NamedAttrMap,
  }) as FusedUpdateResult;
  if (out.length !== written.length) {
    throw new OptimizerError(`fused kernel ${name} returned ${out.length} tensors, expected ${written.length}`);
  }
  out.forEach((info, i) => {
    const variable = written[i]!;
    if (info.dataId === variable.dataId) return; // updated in place
    // A fresh buffer (the old one was shared): adopt it, as assign would adopt a new tensor.
    const fresh = tf.engine().makeTensorFromTensorInfo(info);
    variable.assign(fresh);
    fresh.dispose();
  });
}
