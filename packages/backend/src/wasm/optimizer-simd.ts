import type { AdamScalars, AdamUpdateAttrs, SgdScalars, SgdUpdateAttrs } from '@cnn/kernels';
import { type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './heap';
import { ADAM_FLAGS, SGD_FLAGS, type SimdKernels } from './simd-exports';
import { heapAddress } from './simd-kernels';

/**
 * SGD_UPDATE as one pass of the SIMD kernels, writing `outs` (the parameter's, then the momentum
 * buffer's: the inputs themselves where they may be overwritten, else fresh buffers).
 */
export function sgdBySimd(
  simd: SimdKernels,
  backend: HeapBackend,
  inputs: { param: TensorInfo; grad: TensorInfo; momentumBuffer?: TensorInfo },
  a: SgdUpdateAttrs,
  c: SgdScalars,
  outs: TensorInfo[],
): TensorInfo[] {
  const at = (t: TensorInfo) => heapAddress(backend, t);
  const { param, grad, momentumBuffer } = inputs;
  const withBuffer = momentumBuffer !== undefined;
  const flags =
    (c.applyWeightDecay ? SGD_FLAGS.applyWeightDecay : 0) |
    (withBuffer ? SGD_FLAGS.withBuffer : 0) |
    (a.initialize ? SGD_FLAGS.initialize : 0) |
    (a.nesterov ? SGD_FLAGS.nesterov : 0);
  // Without a momentum buffer the kernel reads and writes no buffer: address 0 stands for none.
  const buffer = withBuffer ? at(momentumBuffer) : 0;
  const bufferOut = withBuffer ? at(outs[1]!) : 0;
  const n = util.sizeFromShape(param.shape);
  simd.sgd_update(
    at(param),
    at(grad),
    buffer,
    at(outs[0]!),
    bufferOut,
    n,
    flags,
    c.lr,
    c.momentum,
    c.oneMinusDampening,
    c.weightDecay,
  );
  return outs;
}

/** ADAM_UPDATE as one pass of the SIMD kernels, writing `outs` (parameter, expAvg, expAvgSq). */
export function adamBySimd(
  simd: SimdKernels,
  backend: HeapBackend,
  inputs: { param: TensorInfo; grad: TensorInfo; expAvg: TensorInfo; expAvgSq: TensorInfo },
  a: AdamUpdateAttrs,
  c: AdamScalars,
  outs: TensorInfo[],
): TensorInfo[] {
  const at = (t: TensorInfo) => heapAddress(backend, t);
  const flags =
    (a.initialize ? ADAM_FLAGS.initialize : 0) |
    (c.applyL2 ? ADAM_FLAGS.applyL2 : 0) |
    (c.applyDecay ? ADAM_FLAGS.applyDecay : 0);
  const [paramOut, expAvgOut, expAvgSqOut] = outs.map(at) as [number, number, number];
  const { param, grad, expAvg, expAvgSq } = inputs;
  const n = util.sizeFromShape(param.shape);
  simd.adam_update(
    at(param),
    at(grad),
    at(expAvg),
    at(expAvgSq),
    paramOut,
    expAvgOut,
    expAvgSqOut,
    n,
    flags,
    c.beta1,
    c.oneMinusBeta1,
    c.beta2,
    c.oneMinusBeta2,
    c.l2,
    c.decayFactor,
    c.biasCorrection2Sqrt,
    c.eps,
    c.stepSize,
  );
  return outs;
}
