import {
  BATCH_NORM_GRAD,
  BATCH_NORM_TRAIN,
  type BatchNormGradInputs,
  type BatchNormTrainAttrs,
  type BatchNormTrainInputs,
} from '@cnn/kernels';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { WasmKernelInputError } from '../errors';
import { channelProblem } from '../native/kernels/fused-checks';
import { type HeapBackend, heapViews } from './heap';

/**
 * The fused training-mode batch norm (BATCH_NORM_TRAIN in @cnn/kernels) in JavaScript over the
 * wasm heap: two passes over x (statistics, output) with double accumulators, where
 * the composite graph runs ~10 stock kernels each with its own dispatch and buffer.
 */
function batchNormTrain(args: { inputs: object; backend: HeapBackend; attrs: object }): TensorInfo[] {
  const { x, scale, offset, runningMean, runningVar } = args.inputs as Partial<BatchNormTrainInputs>;
  const { epsilon, momentum } = args.attrs as BatchNormTrainAttrs;
  const problem =
    channelProblem(x, { scale, offset, runningMean, runningVar }, 2) ??
    (epsilon > 0 ? undefined : `epsilon must be positive, got ${epsilon}`) ??
    (momentum >= 0 && momentum <= 1 ? undefined : `momentum must be in [0, 1], got ${momentum}`);
  if (problem !== undefined) throw new WasmKernelInputError(BATCH_NORM_TRAIN, problem);
  const c = x!.shape.at(-1) as number;
  const shapes = [x!.shape, [c], [c], [c], [c]];
  const { outputs, ins, outs } = heapViews(args.backend, [x!, scale!, offset!, runningMean!, runningVar!], shapes);
  const [xv, g, b, rm, rv] = ins as Float32Array[];
  const [y, meanOut, invOut, rmOut, rvOut] = outs as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  const n = xv!.length;
  const rows = n / c;
  // One pass for both statistics, shifted by the first row so that a mean far from 0 does not
  // cancel: var = E[d^2] - E[d]^2 with d = x - shift, in double.
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  for (let i = 0; i < n; i += c) {
    for (let j = 0; j < c; j++) {
      const d = xv![i + j]! - xv![j]!;
      sum[j]! += d;
      sq[j]! += d * d;
    }
  }
  const mean = new Float32Array(c);
  const variances = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    const dm = sum[j]! / rows;
    mean[j] = xv![j]! + dm;
    variances[j] = Math.max(0, sq[j]! / rows - dm * dm);
  }
  const mul = new Float32Array(c);
  const keep = Math.fround(1 - momentum);
  for (let j = 0; j < c; j++) {
    const variance = variances[j]!;
    const inv = Math.fround(1 / Math.sqrt(variance + epsilon));
    meanOut[j] = mean[j]!;
    invOut[j] = inv;
    mul[j] = g![j]! * inv;
    rmOut[j] = Math.fround(keep * rm![j]!) + Math.fround(momentum * mean[j]!);
    rvOut[j] = Math.fround(keep * rv![j]!) + Math.fround(momentum * Math.fround((variance * rows) / (rows - 1)));
  }
  for (let i = 0; i < n; i += c) for (let j = 0; j < c; j++) y[i + j] = b![j]! + (xv![i + j]! - mean[j]!) * mul[j]!;
  return outputs;
}

/** The fused batch-norm backward (BATCH_NORM_GRAD): one pass for the sums, one for dx. */
function batchNormGrad(args: { inputs: object; backend: HeapBackend }): TensorInfo[] {
  const { dy, x, scale, mean, invStd } = args.inputs as Partial<BatchNormGradInputs>;
  const problem =
    channelProblem(x, { scale, mean, invStd }, 1) ??
    (dy?.dtype === 'float32' && dy.shape.join() === x!.shape.join() ? undefined : `dy must be float32 of x's shape`);
  if (problem !== undefined) throw new WasmKernelInputError(BATCH_NORM_GRAD, problem);
  const c = x!.shape.at(-1) as number;
  const { outputs, ins, outs } = heapViews(args.backend, [dy!, x!, scale!, mean!, invStd!], [x!.shape, [c], [c]]);
  const [gv, xv, g, m, inv] = ins as Float32Array[];
  const [dx, dScale, dOffset] = outs as [Float32Array, Float32Array, Float32Array];
  const n = xv!.length;
  const rows = n / c;
  const sdy = new Float64Array(c);
  const sdyx = new Float64Array(c);
  for (let i = 0; i < n; i += c) {
    for (let j = 0; j < c; j++) {
      const d = gv![i + j]!;
      sdy[j]! += d;
      sdyx[j]! += d * (xv![i + j]! - m![j]!);
    }
  }
  const a = new Float32Array(c);
  const bias = new Float32Array(c);
  const q = new Float32Array(c);
  for (let j = 0; j < c; j++) {
    const iv = inv![j]!;
    dOffset[j] = sdy[j]!;
    dScale[j] = sdyx[j]! * iv;
    a[j] = g![j]! * iv;
    bias[j] = sdy[j]! / rows;
    q[j] = (iv * iv * sdyx[j]!) / rows;
  }
  for (let i = 0; i < n; i += c) {
    for (let j = 0; j < c; j++) dx[i + j] = a[j]! * (gv![i + j]! - bias[j]! - (xv![i + j]! - m![j]!) * q[j]!);
  }
  return outputs;
}

export const wasmBatchNormTrainConfig: KernelConfig = {
  kernelName: BATCH_NORM_TRAIN,
  backendName: 'wasm',
  kernelFunc: batchNormTrain as unknown as KernelFunc,
};

export const wasmBatchNormGradConfig: KernelConfig = {
  kernelName: BATCH_NORM_GRAD,
  backendName: 'wasm',
  kernelFunc: batchNormGrad as unknown as KernelFunc,
};
