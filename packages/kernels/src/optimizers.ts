import type { TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Kernel name of the fused, in-place SGD update of one parameter (`torch.optim.SGD` with
 * momentum, dampening, Nesterov and L2 weight decay).
 *
 * Inputs ({@link SgdUpdateInputs}), all float32 and of the parameter's shape `(*)`:
 * - `param`: the parameter `p`, updated;
 * - `grad`: its gradient `g`, read only;
 * - `momentumBuffer`: `buf`, updated; present exactly when `momentum > 0`.
 *
 * Attrs ({@link SgdUpdateAttrs}). Per element, in float32, with every constant rounded to float32
 * ({@link sgdScalars}), in this order:
 * `g = g + p * weightDecay` (when weightDecay != 0); with momentum
 * `buf = initialize ? g : buf * momentum + g * (1 - dampening)` and
 * `g = nesterov ? g + buf * momentum : buf`; then `p = p - g * lr`.
 *
 * Outputs: see {@link FusedUpdateResult}, in the order of {@link SGD_UPDATE_OUTPUTS}.
 */
export const SGD_UPDATE = 'CnnSgdUpdate';

/** Inputs of {@link SGD_UPDATE}. */
export interface SgdUpdateInputs<T = TensorInfo> {
  param: T;
  grad: T;
  momentumBuffer?: T;
}

/** Attributes of {@link SGD_UPDATE} (the optimizer's options, as JS numbers). */
export interface SgdUpdateAttrs {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  /** True on the first step of this parameter: `momentumBuffer`'s old values are ignored (`buf = g`). */
  initialize: boolean;
}

/** The tensors {@link SGD_UPDATE} writes, by position (`momentumBuffer` only when it was given). */
export const SGD_UPDATE_OUTPUTS = ['param', 'momentumBuffer'] as const;

/**
 * Kernel name of the fused, in-place Adam / AdamW update of one parameter (`torch.optim.Adam`
 * with L2 weight decay, or `torch.optim.AdamW` with decoupled decay).
 *
 * Inputs ({@link AdamUpdateInputs}), all float32 and of the parameter's shape `(*)`:
 * - `param`: `p`, updated; `grad`: `g`, read only;
 * - `expAvg`: `m` and `expAvgSq`: `v`, the moment estimates, updated.
 *
 * Attrs ({@link AdamUpdateAttrs}). Per element, in float32, constants from {@link adamScalars}:
 * `p = p * decayFactor` (decoupled) or `g = g + p * l2` (L2), only when weightDecay != 0;
 * `m = initialize ? g * (1 - beta1) : m * beta1 + g * (1 - beta1)`;
 * `v = initialize ? (g * g) * (1 - beta2) : v * beta2 + (g * g) * (1 - beta2)`;
 * `p = p - (m / (sqrt(v) / biasCorrection2Sqrt + eps)) * stepSize`.
 *
 * Outputs: see {@link FusedUpdateResult}, in the order of {@link ADAM_UPDATE_OUTPUTS}.
 */
export const ADAM_UPDATE = 'CnnAdamUpdate';

/** Inputs of {@link ADAM_UPDATE}. */
export interface AdamUpdateInputs<T = TensorInfo> {
  param: T;
  grad: T;
  expAvg: T;
  expAvgSq: T;
}

/** Attributes of {@link ADAM_UPDATE} (the optimizer's options, as JS numbers). */
export interface AdamUpdateAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW: `p *= 1 - lr * weightDecay` instead of adding `weightDecay * p` to the gradient. */
  decoupled: boolean;
  /** This parameter's step count, from 1 (bias correction). */
  step: number;
  /** True on the first step of this parameter: the moments' old values are ignored. */
  initialize: boolean;
}

/** The tensors {@link ADAM_UPDATE} writes, by position. */
export const ADAM_UPDATE_OUTPUTS = ['param', 'expAvg', 'expAvgSq'] as const;

/**
 * What an update kernel returns: one TensorInfo per tensor it writes, in the order of its
 * `*_OUTPUTS` list. An entry with the same `dataId` as the input was updated in place and carries
 * no new reference. An entry with another `dataId` is a fresh buffer (reference count 1) that the
 * caller adopts (wrap with `engine().makeTensorFromTensorInfo`, `assign` to its variable, dispose):
 * a kernel writes a fresh buffer instead of overwriting storage that another tensor shares (tfjs
 * shares one buffer between `tf.variable(t)` and `t`, `clone`, `reshape`), so nothing else changes.
 *
 * Call these kernels' `kernelFunc` directly, not through `engine.runKernel`: an update runs
 * outside any gradient tape, and runKernel would wrap the in-place entries as new tensors.
 */
export type FusedUpdateResult = TensorInfo[];

/** {@link SGD_UPDATE}'s constants as float32 values (what tfjs makes of the scalars of the composite ops). */
export interface SgdScalars {
  lr: number;
  momentum: number;
  oneMinusDampening: number;
  weightDecay: number;
  /** Whether the weight-decay term is computed at all (weightDecay != 0, as the composite path decides). */
  applyWeightDecay: boolean;
}

/**
 * The float32 constants of {@link SGD_UPDATE}, derived in JS doubles and rounded exactly as the
 * composite tfjs path rounds its scalars, so every implementation gives its bits.
 */
export function sgdScalars(attrs: SgdUpdateAttrs): SgdScalars {
  const f = Math.fround;
  return {
    lr: f(attrs.lr),
    momentum: f(attrs.momentum),
    oneMinusDampening: f(1 - attrs.dampening),
    weightDecay: f(attrs.weightDecay),
    applyWeightDecay: attrs.weightDecay !== 0,
  };
}

/** {@link ADAM_UPDATE}'s constants as float32 values. */
export interface AdamScalars {
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  /** Coupled (L2) decay coefficient `weightDecay`. */
  l2: number;
  /** Whether `g += p * l2` runs (Adam with weightDecay != 0). */
  applyL2: boolean;
  /** Decoupled decay factor `1 - lr * weightDecay`. */
  decayFactor: number;
  /** Whether `p *= decayFactor` runs (AdamW with weightDecay != 0). */
  applyDecay: boolean;
  /** `sqrt(1 - beta2^step)`. */
  biasCorrection2Sqrt: number;
  eps: number;
  /** `lr / (1 - beta1^step)`. */
  stepSize: number;
}

/** The float32 constants of {@link ADAM_UPDATE}, derived as the composite tfjs path derives them. */
export function adamScalars(attrs: AdamUpdateAttrs): AdamScalars {
  const f = Math.fround;
  const { lr, beta1, beta2, eps, weightDecay, decoupled, step } = attrs;
  return {
    beta1: f(beta1),
    oneMinusBeta1: f(1 - beta1),
    beta2: f(beta2),
    oneMinusBeta2: f(1 - beta2),
    l2: f(weightDecay),
    applyL2: !decoupled && weightDecay !== 0,
    decayFactor: f(1 - lr * weightDecay),
    applyDecay: decoupled && weightDecay !== 0,
    biasCorrection2Sqrt: f(Math.sqrt(1 - beta2 ** step)),
    eps: f(eps),
    stepSize: f(lr / (1 - beta1 ** step)),
  };
}

/**
 * What is wrong with an update kernel's inputs, or `undefined` when nothing is: every name in
 * `required` present, every given tensor float32 and of `param`'s shape. Both implementations of
 * each kernel call it, so they refuse the same inputs with the same words.
 */
export function updateInputsProblem(
  inputs: Readonly<Record<string, TensorInfo | undefined>>,
  required: readonly string[],
): string | undefined {
  for (const name of required) if (inputs[name] === undefined) return `input ${name} is missing`;
  const param = inputs.param!;
  for (const [name, t] of Object.entries(inputs)) {
    if (t === undefined) continue;
    if (t.dtype !== 'float32') return `${name} is ${t.dtype} (expected float32)`;
    const same = t.shape.length === param.shape.length && t.shape.every((d, i) => d === param.shape[i]);
    if (!same) return `${name} has shape [${t.shape}], param has [${param.shape}]`;
  }
  return undefined;
}
