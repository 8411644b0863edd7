import * as tf from '@tensorflow/tfjs-core';

/** One kernel timed on its own: a name and a function that runs it and returns its output. */
export interface KernelCase {
  name: string;
  run(): tf.Tensor;
}

/**
 * The kernels a training step of tutorial 000 spends its time in, on that model's shapes
 * (NHWC, batch 50): the convolutions and their two gradients, the dense products and their
 * transposed forms, pooling, bias, ReLU, reductions, tiling, batch norm and a square root.
 * Inputs are random; `dispose()` frees them.
 */
export function kernelCases(): { cases: KernelCase[]; dispose(): void } {
  const t = {
    x1: tf.randomNormal([50, 28, 28, 1]) as tf.Tensor4D,
    w1: tf.randomNormal([5, 5, 1, 32]) as tf.Tensor4D,
    x2: tf.randomNormal([50, 14, 14, 32]) as tf.Tensor4D,
    w2: tf.randomNormal([5, 5, 32, 64]) as tf.Tensor4D,
    dy2: tf.randomNormal([50, 14, 14, 64]) as tf.Tensor4D,
    act: tf.randomNormal([50, 28, 28, 32]) as tf.Tensor4D,
    flat: tf.randomNormal([50, 3136]) as tf.Tensor2D,
    w3: tf.randomNormal([3136, 1024]) as tf.Tensor2D,
    g3: tf.randomNormal([50, 1024]) as tf.Tensor2D,
    c32: tf.randomNormal([32]) as tf.Tensor1D,
  };
  const filterGrad = tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(t.x2, w as tf.Tensor4D, 1, 'same')));
  const cases: KernelCase[] = [
    { name: 'conv2d 50x28x28x1 * 5x5x1x32', run: () => tf.conv2d(t.x1, t.w1, 1, 'same') },
    { name: 'conv2d 50x14x14x32 * 5x5x32x64', run: () => tf.conv2d(t.x2, t.w2, 1, 'same') },
    { name: 'conv2d input gradient 32<-64', run: () => tf.conv2dTranspose(t.dy2, t.w2, [50, 14, 14, 32], 1, 'same') },
    { name: 'conv2d filter gradient 32->64', run: () => filterGrad(t.w2) },
    { name: 'matMul 50x3136 * 3136x1024', run: () => tf.matMul(t.flat, t.w3) },
    { name: 'matMul dW 3136x50 * 50x1024 (tA)', run: () => tf.matMul(t.flat, t.g3, true, false) },
    { name: 'matMul dX 50x1024 * 1024x3136 (tB)', run: () => tf.matMul(t.g3, t.w3, false, true) },
    { name: 'maxPool 2x2 50x28x28x32', run: () => tf.maxPool(t.act, 2, 2, 'valid') },
    { name: 'add bias 50x28x28x32 + 32', run: () => tf.add(t.act, t.c32) },
    { name: 'relu 50x28x28x32', run: () => tf.relu(t.act) },
    { name: 'sum over N,H,W 50x28x28x32', run: () => tf.sum(t.act, [0, 1, 2]) },
    { name: 'mean over N,H,W 50x28x28x32', run: () => tf.mean(t.act, [0, 1, 2]) },
    { name: 'tile 1x1x1x32 -> 50x28x28x32', run: () => tf.tile(tf.reshape(t.c32, [1, 1, 1, 32]), [50, 28, 28, 1]) },
    { name: 'batchNorm 50x28x28x32', run: () => tf.batchNorm(t.act, t.c32, tf.abs(t.c32), t.c32, t.c32, 1e-5) },
    { name: 'sqrt 3136x1024', run: () => tf.sqrt(tf.abs(t.w3)) },
  ];
  return { cases, dispose: () => tf.dispose(Object.values(t)) };
}
