import { FusedBatchNorm, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeAddon } from '../addon';
import { alloc, callAddon, allFloat32, f32, sizeOf, withCpuFallback } from './util';

/**
 * FusedBatchNorm (tf.batchNorm) when every parameter is a scalar-sized or same-length vector
 * that repeats along x (per-channel [C] on NHWC); other cases go to cpu.
 */
export const fusedBatchNormConfig: KernelConfig = withCpuFallback(FusedBatchNorm, ({ inputs, backend, attrs }) => {
  const { x, mean, variance, offset, scale } = inputs;
  if (!allFloat32(x, mean, variance, offset, scale)) return undefined;
  const n = sizeOf(x!.shape);
  const params = [mean!, variance!, offset, scale].filter((t): t is TensorInfo => t !== undefined);
  if (params.some((t) => t.shape.length !== mean!.shape.length)) return undefined; // cpu reports the error
  const length = Math.max(...params.map((t) => sizeOf(t.shape)));
  if (n === 0 || length === 0 || n % length !== 0) return undefined;
  if (params.some((t) => sizeOf(t.shape) !== 1 && sizeOf(t.shape) !== length)) return undefined;
  const eps = ((attrs as unknown as { varianceEpsilon?: number }).varianceEpsilon ?? 0.001) as number;
  const out = alloc(n);
  callAddon(FusedBatchNorm, { x: x!.shape, mean: mean!.shape }, () =>
    nativeAddon().batchNorm(
      f32(backend, x!),
      f32(backend, mean!),
      f32(backend, variance!),
      offset ? f32(backend, offset) : null,
      scale ? f32(backend, scale) : null,
      out,
      length,
      eps,
    ),
  );
  return backend.makeTensorInfo([...x!.shape], 'float32', out);
});
