import * as tf from '@tensorflow/tfjs-core';

/**
 * Calls the fused kernel `name` of the active backend directly on tensors, as @cnn/train does
 * (kernelFunc, outside the engine), and returns what it wrote (see FusedUpdateResult).
 */
export function runFusedKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: object): tf.TensorInfo[] {
  const config = tf.getKernel(name, tf.getBackend());
  if (config === undefined) throw new Error(`${name} is not registered for ${tf.getBackend()}`);
  return config.kernelFunc({ inputs, backend: tf.backend(), attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo[];
}
