import { hasFusedKernel, LOG_SOFTMAX, LOG_SOFTMAX_GRAD } from '@cnn/kernels';
import * as tf from '@tensorflow/tfjs-core';

let gradientRegistered = false;

/** LOG_SOFTMAX's gradient is one LOG_SOFTMAX_GRAD kernel on dy and the saved output; registered on first use. */
function registerGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  if (tf.getGradient(LOG_SOFTMAX) !== undefined) return;
  tf.registerGradient({
    kernelName: LOG_SOFTMAX,
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [y] = saved as [tf.Tensor];
      return { x: () => tf.engine().runKernel(LOG_SOFTMAX_GRAD, { dy: dy as tf.Tensor, y }, {}) as tf.Tensor };
    },
  });
}

/**
 * log(softmax(x)) over the last axis: one LOG_SOFTMAX kernel (and one for its gradient) where the
 * active backend has it and fused kernels are on, else tfjs's composite `tf.logSoftmax`.
 */
export function logSoftmaxLastAxis(x: tf.Tensor): tf.Tensor {
  if (x.dtype !== 'float32' || x.rank < 1 || !hasFusedKernel(LOG_SOFTMAX)) return tf.logSoftmax(x, -1);
  registerGradient();
  return tf.engine().runKernel(LOG_SOFTMAX, { x }, {}) as tf.Tensor;
}
