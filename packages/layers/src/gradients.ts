import * as tf from '@tensorflow/tfjs-core';
/**
 * tfjs-core on its own registers no gradient functions: `tf.grad` fails with
 * "gradient function not found" unless something registers them. The tfjs-core
 * file that does (`dist/register_all_gradients.js`) is ESM with extensionless
 * imports, which plain Node and tsx cannot load, so we import @tensorflow/tfjs-layers,
 * whose Node (CJS) and ESM entry points both register every tfjs-core gradient in
 * the shared global registry. Importing any layer imports this file.
 */
import '@tensorflow/tfjs-layers';

/** True once tfjs-core's gradient functions are registered (importing @cnn/layers does it). */
export function hasGradients(): boolean {
  return tf.getGradient('Mean') !== undefined && tf.getGradient('Conv2D') !== undefined;
}
