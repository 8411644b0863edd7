import {
  BATCH_NORM_GRAD,
  BATCH_NORM_TRAIN,
  type BatchNormGradInputs,
  type BatchNormTrainAttrs,
  type BatchNormTrainInputs,
} from '@cnn/kernels';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { NativeKernelError } from '../errors';
import { fusedAddon } from './fused-addon';
import { channelProblem, shapesOf } from './fused-checks';
import { alloc, callAddon, f32, type NativeKernelArgs, sizeOf } from './util';

function fail(kernel: string, inputs: object, problem: string): never {
  throw new NativeKernelError(kernel, shapesOf(inputs), 'argument', problem);
}

/** The fused training-mode batch norm (see BATCH_NORM_TRAIN in @cnn/kernels): native/batchnorm_train.cc. */
function batchNormTrain({ inputs, backend, attrs }: NativeKernelArgs): TensorInfo[] {
  const ins = inputs as unknown as Partial<BatchNormTrainInputs>;
  const { epsilon, momentum } = attrs as unknown as BatchNormTrainAttrs;
  const { x, scale, offset, runningMean, runningVar } = ins;
  const problem = channelProblem(x, { scale, offset, runningMean, runningVar }, 2);
  if (problem !== undefined) fail(BATCH_NORM_TRAIN, ins, problem);
  if (!(epsilon > 0)) fail(BATCH_NORM_TRAIN, ins, `epsilon must be positive, got ${epsilon}`);
  if (!(momentum >= 0 && momentum <= 1)) fail(BATCH_NORM_TRAIN, ins, `momentum must be in [0, 1], got ${momentum}`);
  const c = x!.shape[x!.shape.length - 1] as number;
  const y = alloc(sizeOf(x!.shape));
  const [mean, invStd, newMean, newVar] = [alloc(c), alloc(c), alloc(c), alloc(c)];
  callAddon(BATCH_NORM_TRAIN, shapesOf(ins), () =>
    fusedAddon().batchNormTrain(
      f32(backend, x!),
      f32(backend, scale!),
      f32(backend, offset!),
      f32(backend, runningMean!),
      f32(backend, runningVar!),
      y,
      mean,
      invStd,
      newMean,
      newVar,
      c,
      epsilon,
      momentum,
    ),
  );
  return [
    backend.makeTensorInfo([...x!.shape], 'float32', y),
    ...[mean, invStd, newMean, newVar].map((v) => backend.makeTensorInfo([c], 'float32', v)),
  ];
}

/** The fused batch-norm backward (see BATCH_NORM_GRAD in @cnn/kernels): native/batchnorm_train.cc. */
function batchNormGrad({ inputs, backend }: NativeKernelArgs): TensorInfo[] {
  const ins = inputs as unknown as Partial<BatchNormGradInputs>;
  const { dy, x, scale, mean, invStd } = ins;
  const problem = channelProblem(x, { scale, mean, invStd }, 1);
  if (problem !== undefined) fail(BATCH_NORM_GRAD, ins, problem);
  if (dy === undefined || dy.dtype !== 'float32' || dy.shape.join() !== x!.shape.join()) {
    fail(BATCH_NORM_GRAD, ins, `dy must be float32 of x's shape [${x!.shape.join(',')}]`);
  }
  const c = x!.shape[x!.shape.length - 1] as number;
  const dx = alloc(sizeOf(x!.shape));
  const [dScale, dOffset] = [alloc(c), alloc(c)];
  callAddon(BATCH_NORM_GRAD, shapesOf(ins), () =>
    fusedAddon().batchNormGrad(
      f32(backend, dy),
      f32(backend, x!),
      f32(backend, scale!),
      f32(backend, mean!),
      f32(backend, invStd!),
      dx,
      dScale,
      dOffset,
      c,
    ),
  );
  return [
    backend.makeTensorInfo([...x!.shape], 'float32', dx),
    backend.makeTensorInfo([c], 'float32', dScale),
    backend.makeTensorInfo([c], 'float32', dOffset),
  ];
}

export const batchNormTrainConfig: KernelConfig = {
  kernelName: BATCH_NORM_TRAIN,
  backendName: 'native',
  kernelFunc: batchNormTrain as unknown as KernelFunc,
};

export const batchNormGradConfig: KernelConfig = {
  kernelName: BATCH_NORM_GRAD,
  backendName: 'native',
  kernelFunc: batchNormGrad as unknown as KernelFunc,
};
