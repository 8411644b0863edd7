import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { useBackend } from '../src/index';
await useBackend('wasm', { quiet: true });
const x = tf.randomNormal([50, 28, 28, 32]) as tf.Tensor4D;
const y = tf.maxPool(x, 2, 2, 'valid');
const dy = tf.randomNormal(y.shape);
for (const name of ['MaxPoolGrad', 'Sum', 'Conv2D']) {
  const run = () => {
    if (name === 'MaxPoolGrad') return tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize: 2, strides: 2, pad: 'valid' }) as tf.Tensor;
    if (name === 'Sum') return tf.sum(x, [0, 1, 2]);
    return tf.conv2d(x, tf.ones([5, 5, 32, 64]) as tf.Tensor4D, 1, 'same');
  };
  for (let i = 0; i < 3; i++) run().dispose();
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) { const r = run(); r.dataSync(); r.dispose(); }
  console.log(name, ((performance.now() - t0) / 10).toFixed(2), 'ms');
}
