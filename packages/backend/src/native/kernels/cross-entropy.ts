import {
  CROSS_ENTROPY,
  CROSS_ENTROPY_GRAD,
  type CrossEntropyAttrs,
  type CrossEntropyGradInputs,
  type CrossEntropyInputs,
  LOG_SOFTMAX,
  LOG_SOFTMAX_GRAD,
  type LogSoftmaxGradInputs,
  NLL_LOSS,
  NLL_LOSS_GRAD,
  type NllLossGradAttrs,
  type NllLossInputs,
} from '@cnn/kernels';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { NativeKernelError } from '../errors';
import { fusedAddon } from './fused-addon';
import { reductionProblem, rowsProblem, scalarProblem, shapesOf } from './fused-checks';
import { alloc, callAddon, f32, type NativeKernelArgs, sizeOf } from './util';

type Inputs = object;

function check(kernel: string, inputs: Inputs, ...problems: (string | undefined)[]): void {
  const problem = problems.find((p) => p !== undefined);
  if (problem !== undefined) throw new NativeKernelError(kernel, shapesOf(inputs), 'argument', problem);
}

function i32(backend: NativeKernelArgs['backend'], t: TensorInfo): Int32Array {
  return backend.data.get(t.dataId).values as Int32Array;
}

/** Cross-entropy on logits, forward (CROSS_ENTROPY in @cnn/kernels): native/cross_entropy.cc. */
function crossEntropy({ inputs, backend, attrs }: NativeKernelArgs): TensorInfo[] {
  const ins = inputs as unknown as Partial<CrossEntropyInputs>;
  const { reduction } = attrs as unknown as CrossEntropyAttrs;
  check(CROSS_ENTROPY, ins, rowsProblem(ins.logits, ins.labels, 'logits'), reductionProblem(reduction));
  const [n, c] = ins.logits!.shape as [number, number];
  const [loss, lse] = [alloc(1), alloc(n)];
  callAddon(CROSS_ENTROPY, shapesOf(ins), () =>
    fusedAddon().crossEntropy(f32(backend, ins.logits!), i32(backend, ins.labels!), loss, lse, c, reduction === 'mean'),
  );
  return [backend.makeTensorInfo([], 'float32', loss), backend.makeTensorInfo([n], 'float32', lse)];
}

/** Its backward (CROSS_ENTROPY_GRAD). */
function crossEntropyGrad({ inputs, backend, attrs }: NativeKernelArgs): TensorInfo {
  const ins = inputs as unknown as Partial<CrossEntropyGradInputs>;
  const { reduction } = attrs as unknown as CrossEntropyAttrs;
  check(
    CROSS_ENTROPY_GRAD,
    ins,
    rowsProblem(ins.logits, ins.labels, 'logits'),
    reductionProblem(reduction),
    scalarProblem(ins.dy),
  );
  const [n, c] = ins.logits!.shape as [number, number];
  const dx = alloc(n * c);
  callAddon(CROSS_ENTROPY_GRAD, shapesOf(ins), () =>
    fusedAddon().crossEntropyGrad(
      f32(backend, ins.dy!),
      f32(backend, ins.logits!),
      i32(backend, ins.labels!),
      f32(backend, ins.logSumExp!),
      dx,
      c,
      reduction === 'mean',
    ),
  );
  return backend.makeTensorInfo([n, c], 'float32', dx);
}

function lastAxis(kernel: string, inputs: Inputs, t: TensorInfo | undefined): number {
  check(
    kernel,
    inputs,
    t !== undefined && t.dtype === 'float32' && t.shape.length >= 1 && (t.shape.at(-1) as number) > 0
      ? undefined
      : `x must be float32 of rank >= 1 with a non-empty last axis, got ${t ? `${t.dtype} [${t.shape}]` : 'missing'}`,
  );
  return t!.shape.at(-1) as number;
}

/** Log-softmax over the last axis (LOG_SOFTMAX). */
function logSoftmax({ inputs, backend }: NativeKernelArgs): TensorInfo {
  const c = lastAxis(LOG_SOFTMAX, inputs, inputs.x);
  const y = alloc(sizeOf(inputs.x!.shape));
  callAddon(LOG_SOFTMAX, shapesOf(inputs), () => fusedAddon().logSoftmax(f32(backend, inputs.x!), y, c));
  return backend.makeTensorInfo([...inputs.x!.shape], 'float32', y);
}

/** Its backward (LOG_SOFTMAX_GRAD). */
function logSoftmaxGrad({ inputs, backend }: NativeKernelArgs): TensorInfo {
  const ins = inputs as unknown as Partial<LogSoftmaxGradInputs>;
  const c = lastAxis(LOG_SOFTMAX_GRAD, ins, ins.y);
  check(
    LOG_SOFTMAX_GRAD,
    ins,
    ins.dy?.dtype === 'float32' && ins.dy.shape.join() === ins.y!.shape.join() ? undefined : "dy must be y's shape",
  );
  const dx = alloc(sizeOf(ins.y!.shape));
  callAddon(LOG_SOFTMAX_GRAD, shapesOf(ins), () =>
    fusedAddon().logSoftmaxGrad(f32(backend, ins.dy!), f32(backend, ins.y!), dx, c),
  );
  return backend.makeTensorInfo([...ins.y!.shape], 'float32', dx);
}

/** Negative log-likelihood on log-probabilities (NLL_LOSS). */
function nllLoss({ inputs, backend, attrs }: NativeKernelArgs): TensorInfo {
  const ins = inputs as unknown as Partial<NllLossInputs>;
  const { reduction } = attrs as unknown as CrossEntropyAttrs;
  check(NLL_LOSS, ins, rowsProblem(ins.logProbs, ins.labels, 'logProbs'), reductionProblem(reduction));
  const loss = alloc(1);
  callAddon(NLL_LOSS, shapesOf(ins), () =>
    fusedAddon().nllLoss(
      f32(backend, ins.logProbs!),
      i32(backend, ins.labels!),
      loss,
      ins.logProbs!.shape[1] as number,
      reduction === 'mean',
    ),
  );
  return backend.makeTensorInfo([], 'float32', loss);
}

/** Its backward (NLL_LOSS_GRAD): inputs `dy` and `labels`. */
function nllLossGrad({ inputs, backend, attrs }: NativeKernelArgs): TensorInfo {
  const { reduction, classes } = attrs as unknown as NllLossGradAttrs;
  const { dy, labels } = inputs;
  check(
    NLL_LOSS_GRAD,
    inputs,
    scalarProblem(dy),
    reductionProblem(reduction),
    labels?.dtype === 'int32' && labels.shape.length === 1 ? undefined : 'labels must be int32 [N]',
    Number.isInteger(classes) && classes > 0 ? undefined : `classes must be a positive integer, got ${classes}`,
  );
  const n = labels!.shape[0] as number;
  const dx = alloc(n * classes);
  callAddon(NLL_LOSS_GRAD, shapesOf(inputs), () =>
    fusedAddon().nllLossGrad(f32(backend, dy!), i32(backend, labels!), dx, classes, reduction === 'mean'),
  );
  return backend.makeTensorInfo([n, classes], 'float32', dx);
}

function config(kernelName: string, fn: (args: NativeKernelArgs) => TensorInfo | TensorInfo[]): KernelConfig {
  return { kernelName, backendName: 'native', kernelFunc: fn as unknown as KernelFunc };
}

/** The native loss kernels: cross-entropy, log-softmax and NLL, forward and backward. */
export const lossConfigs: KernelConfig[] = [
  config(CROSS_ENTROPY, crossEntropy),
  config(CROSS_ENTROPY_GRAD, crossEntropyGrad),
  config(LOG_SOFTMAX, logSoftmax),
  config(LOG_SOFTMAX_GRAD, logSoftmaxGrad),
  config(NLL_LOSS, nllLoss),
  config(NLL_LOSS_GRAD, nllLossGrad),
];
