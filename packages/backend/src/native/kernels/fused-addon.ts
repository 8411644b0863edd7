import { nativeAddon } from '../addon';

/**
 * The addon functions of the fused training kernels (native/batchnorm_train.cc and
 * native/cross_entropy.cc), named argument by argument. Outputs are written in place; every
 * length is checked on the C++ side, which throws a RangeError naming what was wrong.
 */
export interface FusedTrainingAddon {
  batchNormTrain(
    x: Float32Array,
    scale: Float32Array,
    offset: Float32Array,
    runningMean: Float32Array,
    runningVar: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    invStd: Float32Array,
    newRunningMean: Float32Array,
    newRunningVar: Float32Array,
    channels: number,
    epsilon: number,
    momentum: number,
  ): void;
  batchNormGrad(
    dy: Float32Array,
    x: Float32Array,
    scale: Float32Array,
    mean: Float32Array,
    invStd: Float32Array,
    dx: Float32Array,
    dScale: Float32Array,
    dOffset: Float32Array,
    channels: number,
  ): void;
  crossEntropy(
    logits: Float32Array,
    labels: Int32Array,
    loss: Float32Array,
    logSumExp: Float32Array,
    classes: number,
    mean: boolean,
  ): void;
  crossEntropyGrad(
    dy: Float32Array,
    logits: Float32Array,
    labels: Int32Array,
    logSumExp: Float32Array,
    dLogits: Float32Array,
    classes: number,
    mean: boolean,
  ): void;
  logSoftmax(x: Float32Array, y: Float32Array, classes: number): void;
  logSoftmaxGrad(dy: Float32Array, y: Float32Array, dx: Float32Array, classes: number): void;
  nllLoss(logProbs: Float32Array, labels: Int32Array, loss: Float32Array, classes: number, mean: boolean): void;
  nllLossGrad(dy: Float32Array, labels: Int32Array, dLogProbs: Float32Array, classes: number, mean: boolean): void;
}

/** The loaded addon, seen through its fused-kernel functions. */
export function fusedAddon(): FusedTrainingAddon {
  return nativeAddon() as unknown as FusedTrainingAddon;
}
