import {
  ADAM_UPDATE,
  type AdamUpdateAttrs,
  adamScalars,
  SGD_UPDATE,
  type SgdUpdateAttrs,
  sgdScalars,
  updateInputsProblem,
} from '@cnn/kernels';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { nativeAddon } from '../addon';
import { bufferPool } from '../buffer-pool';
import { NativeKernelError } from '../errors';
import { alloc, callAddon, f32, type NativeKernelArgs, sizeOf } from './util';

/**
 * The addon's optimizer functions (native/optimizers.cc). Each `*Out` array may be the matching
 * input itself (an in-place update); the numbers are the float32 constants of `sgdScalars` /
 * `adamScalars` from @cnn/kernels.
 */
export interface OptimizerAddon {
  sgdUpdate(
    param: Float32Array,
    grad: Float32Array,
    momentumBuffer: Float32Array | null,
    paramOut: Float32Array,
    momentumBufferOut: Float32Array | null,
    lr: number,
    momentum: number,
    oneMinusDampening: number,
    weightDecay: number,
    applyWeightDecay: boolean,
    nesterov: boolean,
    initialize: boolean,
  ): void;
  adamUpdate(
    param: Float32Array,
    grad: Float32Array,
    expAvg: Float32Array,
    expAvgSq: Float32Array,
    paramOut: Float32Array,
    expAvgOut: Float32Array,
    expAvgSqOut: Float32Array,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    l2: number,
    applyL2: boolean,
    decayFactor: number,
    applyDecay: boolean,
    biasCorrection2Sqrt: number,
    eps: number,
    stepSize: number,
    initialize: boolean,
  ): void;
}

const addon = (): OptimizerAddon => nativeAddon() as unknown as OptimizerAddon;

/** Where an updated tensor's new values go: its own buffer, or a fresh one when that is shared. */
interface Target {
  tensor: TensorInfo;
  read: Float32Array;
  write: Float32Array;
}

/**
 * A tensor's buffer is overwritten only when nothing else can see it: one reference to its dataId,
 * no other input of the call, and a buffer of the pool's that no other dataId views (a subarray
 * slice) and no reader holds (a Float32Array given to tf.tensor, or one handed to user code).
 */
function target(backend: MathBackendCPU, tensor: TensorInfo, all: TensorInfo[]): Target {
  const values = backend.data.get(tensor.dataId).values;
  const alone = backend.refCount(tensor.dataId) === 1 && all.filter((t) => t.dataId === tensor.dataId).length === 1;
  if (alone && bufferPool.exclusive(values)) {
    return { tensor, read: values as Float32Array, write: values as Float32Array };
  }
  return { tensor, read: f32(backend, tensor), write: alloc(sizeOf(tensor.shape)) };
}

/** The output entry for a target: the input itself when written in place, else the fresh buffer. */
function result(backend: MathBackendCPU, t: Target): TensorInfo {
  if (t.write === t.read) return t.tensor;
  return backend.makeTensorInfo([...t.tensor.shape], 'float32', t.write);
}

function check(kernel: string, inputs: Record<string, TensorInfo | undefined>, required: string[]): void {
  const problem = updateInputsProblem(inputs, required);
  if (problem === undefined) return;
  const shapes: Record<string, readonly number[]> = {};
  for (const [k, t] of Object.entries(inputs)) if (t !== undefined) shapes[k] = t.shape;
  throw new NativeKernelError(kernel, shapes, 'argument', problem);
}

function sgdUpdate({ inputs, backend, attrs }: NativeKernelArgs): TensorInfo[] {
  const a = attrs as unknown as SgdUpdateAttrs;
  const { param, grad, momentumBuffer } = inputs;
  check(SGD_UPDATE, inputs, a.momentum !== 0 ? ['param', 'grad', 'momentumBuffer'] : ['param', 'grad']);
  if (a.momentum === 0 && momentumBuffer !== undefined) {
    throw new NativeKernelError(
      SGD_UPDATE,
      { param: param!.shape },
      'argument',
      'momentumBuffer given with momentum 0',
    );
  }
  const all = [param!, grad!, ...(momentumBuffer ? [momentumBuffer] : [])];
  const p = target(backend, param!, all);
  const buf = momentumBuffer ? target(backend, momentumBuffer, all) : undefined;
  const c = sgdScalars(a);
  callAddon(SGD_UPDATE, { param: param!.shape, grad: grad!.shape }, () =>
    addon().sgdUpdate(
      p.read,
      f32(backend, grad!),
      buf?.read ?? null,
      p.write,
      buf?.write ?? null,
      c.lr,
      c.momentum,
      c.oneMinusDampening,
      c.weightDecay,
      c.applyWeightDecay,
      a.nesterov,
      a.initialize,
    ),
  );
  return buf ? [result(backend, p), result(backend, buf)] : [result(backend, p)];
}

function adamUpdate({ inputs, backend, attrs }: NativeKernelArgs): TensorInfo[] {
  const a = attrs as unknown as AdamUpdateAttrs;
  const { param, grad, expAvg, expAvgSq } = inputs;
  check(ADAM_UPDATE, inputs, ['param', 'grad', 'expAvg', 'expAvgSq']);
  const all = [param!, grad!, expAvg!, expAvgSq!];
  const p = target(backend, param!, all);
  const m = target(backend, expAvg!, all);
  const v = target(backend, expAvgSq!, all);
  const c = adamScalars(a);
  callAddon(ADAM_UPDATE, { param: param!.shape, grad: grad!.shape }, () =>
    addon().adamUpdate(
      p.read,
      f32(backend, grad!),
      m.read,
      v.read,
      p.write,
      m.write,
      v.write,
      c.beta1,
      c.oneMinusBeta1,
      c.beta2,
      c.oneMinusBeta2,
      c.l2,
      c.applyL2,
      c.decayFactor,
      c.applyDecay,
      c.biasCorrection2Sqrt,
      c.eps,
      c.stepSize,
      a.initialize,
    ),
  );
  return [result(backend, p), result(backend, m), result(backend, v)];
}

/** SGD_UPDATE on the native backend: one addon call per parameter, in place when the buffers are its own. */
export const sgdUpdateConfig: KernelConfig = {
  kernelName: SGD_UPDATE,
  backendName: 'native',
  kernelFunc: sgdUpdate as unknown as KernelFunc,
};

/** ADAM_UPDATE on the native backend (Adam and AdamW). */
export const adamUpdateConfig: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'native',
  kernelFunc: adamUpdate as unknown as KernelFunc,
};
