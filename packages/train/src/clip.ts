import * as tf from '@tensorflow/tfjs-core';
import { OptimizerError } from './errors';

/**
 * Scales gradients so their global L2 norm is at most `maxNorm`, as
 * `torch.nn.utils.clip_grad_norm_`: `coef = min(1, maxNorm / (norm + 1e-6))`.
 * Returns new gradient tensors (the inputs are untouched) and the norm before clipping.
 */
export function clipGradNorm(
  grads: Record<string, tf.Tensor>,
  maxNorm: number,
): { grads: Record<string, tf.Tensor>; totalNorm: tf.Scalar } {
  if (!(maxNorm > 0)) throw new OptimizerError(`clipGradNorm: maxNorm must be > 0, got ${maxNorm}`);
  const names = Object.keys(grads);
  return tf.tidy(() => {
    const squares = names.map((k) => tf.sum(tf.square(grads[k]!)));
    const totalNorm = tf.sqrt(squares.length ? tf.addN(squares) : tf.scalar(0)) as tf.Scalar;
    const coef = tf.minimum(tf.div(maxNorm, tf.add(totalNorm, 1e-6)), 1);
    const out: Record<string, tf.Tensor> = {};
    for (const k of names) out[k] = tf.mul(grads[k]!, coef);
    return { grads: out, totalNorm };
  });
}
