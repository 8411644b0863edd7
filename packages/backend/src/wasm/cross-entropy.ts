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
import { WasmKernelInputError } from '../errors';
import { labelProblem, reductionProblem, rowsProblem, scalarProblem } from '../native/kernels/fused-checks';
import { type HeapBackend, heapViews } from './heap';

type Args = { inputs: Record<string, TensorInfo | undefined>; backend: HeapBackend; attrs: Record<string, unknown> };

function check(kernel: string, ...problems: (string | undefined)[]): void {
  const problem = problems.find((p) => p !== undefined);
  if (problem !== undefined) throw new WasmKernelInputError(kernel, problem);
}

/** Throws unless every label is a class id in [0, classes); runs before any output is allocated. */
function checkLabels(kernel: string, backend: HeapBackend, labels: TensorInfo, classes: number): void {
  check(kernel, labelProblem(backend.typedArrayFromHeap(labels), classes));
}

/**
 * Row `r`'s maximum and log(sum(exp(x - max))): log-softmax is (x - max) - logSum, which keeps the
 * precision that rounding max + logSum to float32 would lose for large values.
 */
function logSumExp(x: Float32Array, r: number, c: number): { max: number; logSum: number } {
  const base = r * c;
  let max = x[base]!;
  for (let j = 1; j < c; j++) max = Math.max(max, x[base + j]!);
  if (!Number.isFinite(max)) return { max, logSum: 0 };
  let s = 0;
  for (let j = 0; j < c; j++) s += Math.exp(x[base + j]! - max);
  return { max, logSum: Math.log(s) };
}

/** Cross-entropy on logits, forward (CROSS_ENTROPY in @cnn/kernels), in JavaScript over the wasm heap. */
function crossEntropy({ inputs, backend, attrs }: Args): TensorInfo[] {
  const { logits, labels } = inputs as Partial<CrossEntropyInputs>;
  const { reduction } = attrs as unknown as CrossEntropyAttrs;
  check(CROSS_ENTROPY, rowsProblem(logits, labels, 'logits'), reductionProblem(reduction));
  const [n, c] = logits!.shape as [number, number];
  checkLabels(CROSS_ENTROPY, backend, labels!, c);
  const { outputs, ins, outs } = heapViews(backend, [logits!, labels!], [[], [n]]);
  const [x, ids] = ins as [Float32Array, Int32Array];
  const [loss, lse] = outs as [Float32Array, Float32Array];
  let total = 0;
  for (let r = 0; r < n; r++) {
    const { max, logSum } = logSumExp(x, r, c);
    lse[r] = max + logSum;
    total += max - x[r * c + ids[r]!]! + logSum;
  }
  loss[0] = reduction === 'mean' ? total / n : total;
  return outputs;
}

/** Its backward (CROSS_ENTROPY_GRAD): softmax minus one-hot, times dy (over N for the mean). */
function crossEntropyGrad({ inputs, backend, attrs }: Args): TensorInfo {
  const { dy, logits, labels, logSumExp: lseInfo } = inputs as Partial<CrossEntropyGradInputs>;
  const { reduction } = attrs as unknown as CrossEntropyAttrs;
  check(CROSS_ENTROPY_GRAD, rowsProblem(logits, labels, 'logits'), reductionProblem(reduction), scalarProblem(dy));
  const [n, c] = logits!.shape as [number, number];
  checkLabels(CROSS_ENTROPY_GRAD, backend, labels!, c);
  const { outputs, ins, outs } = heapViews(backend, [dy!, logits!, labels!, lseInfo!], [[n, c]]);
  const [g, x, ids, lse] = ins as [Float32Array, Float32Array, Int32Array, Float32Array];
  const dx = outs[0]!;
  const scale = reduction === 'mean' ? Math.fround(g[0]! / n) : g[0]!;
  for (let r = 0; r < n; r++) {
    const l = lse[r]!;
    for (let j = 0; j < c; j++) dx[r * c + j] = Math.exp(x[r * c + j]! - l) * scale;
    dx[r * c + ids[r]!]! -= scale;
  }
  return outputs[0]!;
}

function lastAxisProblem(t: TensorInfo | undefined): string | undefined {
  return t !== undefined && t.dtype === 'float32' && t.shape.length >= 1 && (t.shape.at(-1) as number) > 0
    ? undefined
    : 'x must be float32 of rank >= 1 with a non-empty last axis';
}

/** Log-softmax over the last axis (LOG_SOFTMAX). */
function logSoftmax({ inputs, backend }: Args): TensorInfo {
  check(LOG_SOFTMAX, lastAxisProblem(inputs.x));
  const c = inputs.x!.shape.at(-1) as number;
  const { outputs, ins, outs } = heapViews(backend, [inputs.x!], [inputs.x!.shape]);
  const x = ins[0] as Float32Array;
  const y = outs[0]!;
  for (let r = 0; r < x.length / c; r++) {
    const { max, logSum } = logSumExp(x, r, c);
    const ls = Math.fround(logSum);
    for (let j = 0; j < c; j++) y[r * c + j] = Math.fround(x[r * c + j]! - max) - ls;
  }
  return outputs[0]!;
}

/** Its backward (LOG_SOFTMAX_GRAD): dx = dy - exp(y) * sum(dy) per row. */
function logSoftmaxGrad({ inputs, backend }: Args): TensorInfo {
  const { dy, y } = inputs as Partial<LogSoftmaxGradInputs>;
  check(
    LOG_SOFTMAX_GRAD,
    lastAxisProblem(y),
    dy?.dtype === 'float32' && dy.shape.join() === y!.shape.join() ? undefined : "dy must be y's shape",
  );
  const c = y!.shape.at(-1) as number;
  const { outputs, ins, outs } = heapViews(backend, [dy!, y!], [y!.shape]);
  const [g, yv] = ins as [Float32Array, Float32Array];
  const dx = outs[0]!;
  for (let r = 0; r < yv.length / c; r++) {
    let s = 0;
    for (let j = 0; j < c; j++) s += g[r * c + j]!;
    for (let j = 0; j < c; j++) dx[r * c + j] = g[r * c + j]! - Math.exp(yv[r * c + j]!) * s;
  }
  return outputs[0]!;
}

/** Negative log-likelihood on log-probabilities (NLL_LOSS). */
function nllLoss({ inputs, backend, attrs }: Args): TensorInfo {
  const { logProbs, labels } = inputs as Partial<NllLossInputs>;
  const { reduction } = attrs as unknown as CrossEntropyAttrs;
  check(NLL_LOSS, rowsProblem(logProbs, labels, 'logProbs'), reductionProblem(reduction));
  const [n, c] = logProbs!.shape as [number, number];
  checkLabels(NLL_LOSS, backend, labels!, c);
  const { outputs, ins, outs } = heapViews(backend, [logProbs!, labels!], [[]]);
  const [x, ids] = ins as [Float32Array, Int32Array];
  let total = 0;
  for (let r = 0; r < n; r++) total -= x[r * c + ids[r]!]!;
  outs[0]![0] = reduction === 'mean' ? total / n : total;
  return outputs[0]!;
}

/** Its backward (NLL_LOSS_GRAD): -dy (over N for the mean) at each label, 0 elsewhere. */
function nllLossGrad({ inputs, backend, attrs }: Args): TensorInfo {
  const { dy, labels } = inputs;
  const { reduction, classes } = attrs as unknown as NllLossGradAttrs;
  check(
    NLL_LOSS_GRAD,
    scalarProblem(dy),
    reductionProblem(reduction),
    labels?.dtype === 'int32' && labels.shape.length === 1 ? undefined : 'labels must be int32 [N]',
    Number.isInteger(classes) && classes > 0 ? undefined : `classes must be a positive integer, got ${classes}`,
  );
  const n = labels!.shape[0] as number;
  checkLabels(NLL_LOSS_GRAD, backend, labels!, classes);
  const { outputs, ins, outs } = heapViews(backend, [dy!, labels!], [[n, classes]]);
  const [g, ids] = ins as [Float32Array, Int32Array];
  const dx = outs[0]!;
  dx.fill(0);
  const scale = reduction === 'mean' ? Math.fround(g[0]! / n) : g[0]!;
  for (let r = 0; r < n; r++) dx[r * classes + ids[r]!] = -scale;
  return outputs[0]!;
}

function config(kernelName: string, fn: (args: Args) => TensorInfo | TensorInfo[]): KernelConfig {
  return { kernelName, backendName: 'wasm', kernelFunc: fn as unknown as KernelFunc };
}

/** The wasm loss kernels: cross-entropy, log-softmax and NLL, forward and backward. */
export const wasmLossConfigs: KernelConfig[] = [
  config(CROSS_ENTROPY, crossEntropy),
  config(CROSS_ENTROPY_GRAD, crossEntropyGrad),
  config(LOG_SOFTMAX, logSoftmax),
  config(LOG_SOFTMAX_GRAD, logSoftmaxGrad),
  config(NLL_LOSS, nllLoss),
  config(NLL_LOSS_GRAD, nllLossGrad),
];
