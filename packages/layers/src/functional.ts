import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, pair } from './config-error';
import { carryFlattenOrigin, recordFlatten } from './flatten-origin';
import { runningModuleLabel } from './module';
import { defaultGenerator, type Generator } from './random';
import { formatShape, layerLabel, ShapeError } from './shape-error';
import { traceOp } from './trace';
import { logSoftmaxLastAxis } from './log-softmax-fused';

/**
 * Stateless ops in the style of torch.nn.functional, for use inside a user
 * model's `forward`. Each validates its input and is visible to `summary()`.
 */

export function relu(x: tf.Tensor): tf.Tensor {
  const y = tf.relu(x);
  carryFlattenOrigin(x, y);
  traceOp('relu', {}, x, y);
  return y;
}

/** Throws a ShapeError unless `x` is NHWC and at least `kernel` in height and width. */
export function checkPoolInput(x: tf.Tensor, kind: string, path: string, kernel: [number, number]): void {
  const where = layerLabel(kind, path);
  if (x.rank !== 4) {
    throw new ShapeError(
      `${where} expects a 4-D NHWC input [N, H, W, C] but got ${x.rank}-D ${formatShape(x.shape)}`,
      path,
      x.shape,
    );
  }
  const [, h, w] = x.shape as number[];
  if ((h ?? 0) < kernel[0] || (w ?? 0) < kernel[1]) {
    throw new ShapeError(
      `${where} with kernel ${kernel[0]}x${kernel[1]} needs an input at least that large, but the input ${formatShape(x.shape)} is ${h}x${w} (H x W)`,
      path,
      x.shape,
    );
  }
}

function pool(
  kind: 'maxPool2d' | 'avgPool2d',
  x: tf.Tensor,
  kernelSize: number | [number, number],
  stride?: number | [number, number],
): tf.Tensor {
  const k = pair(kernelSize, `${kind} kernelSize`);
  const s = pair(stride ?? kernelSize, `${kind} stride`);
  checkPoolInput(x, kind, '', k);
  const x4 = x as tf.Tensor4D;
  const y = kind === 'maxPool2d' ? tf.maxPool(x4, k, s, 'valid') : tf.avgPool(x4, k, s, 'valid');
  traceOp(kind, { kernelSize: k, stride: s }, x, y);
  return y;
}

/** Max pooling over H and W without padding; odd sizes floor as in torch. */
export function maxPool2d(x: tf.Tensor, kernelSize: number | [number, number], stride?: number | [number, number]) {
  return pool('maxPool2d', x, kernelSize, stride);
}

/** Average pooling over H and W without padding; odd sizes floor as in torch. */
export function avgPool2d(x: tf.Tensor, kernelSize: number | [number, number], stride?: number | [number, number]) {
  return pool('avgPool2d', x, kernelSize, stride);
}

/** log(softmax(x)) along the last axis, computed stably. */
export function logSoftmax(x: tf.Tensor): tf.Tensor {
  const y = logSoftmaxLastAxis(x);
  traceOp('logSoftmax', {}, x, y);
  return y;
}

/** softmax along the last axis. */
export function softmax(x: tf.Tensor): tf.Tensor {
  const y = tf.softmax(x, -1);
  traceOp('softmax', {}, x, y);
  return y;
}

/** [N, H, W, C] (or any [N, ...]) → [N, H*W*C], in NHWC order. */
export function flatten(x: tf.Tensor): tf.Tensor2D {
  if (x.rank < 1) throw new ShapeError(`flatten needs a batch dimension but got a scalar`, '', x.shape);
  const n = x.shape[0] as number;
  const y = tf.reshape(x, [n, x.size / Math.max(n, 1)]) as tf.Tensor2D;
  const where = runningModuleLabel();
  recordFlatten(y, where ? `flatten() in ${where}` : 'flatten()', x.shape);
  traceOp('flatten', {}, x, y);
  return y;
}

/**
 * Inverted dropout as in torch: while `training`, zeroes each value with
 * probability `p` and scales the rest by 1/(1-p); otherwise returns `x` itself.
 * The mask comes from `generator` (default: the seeded default generator).
 */
export function dropout(x: tf.Tensor, p = 0.5, training = true, generator: Generator = defaultGenerator): tf.Tensor {
  if (!(p >= 0 && p <= 1)) throw new ConfigError(`dropout probability must be in [0, 1], got ${p}`);
  let y: tf.Tensor;
  if (!training || p === 0) y = x;
  else if (p === 1) y = tf.zerosLike(x);
  else {
    const seed = generator.seed();
    y = tf.tidy(() => {
      const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), p), x.dtype);
      return tf.mul(x, tf.mul(keep, 1 / (1 - p)));
    });
  }
  carryFlattenOrigin(x, y);
  traceOp('dropout', { p }, x, y);
  return y;
}
