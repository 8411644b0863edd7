import { BATCH_NORM_TRAIN, hasFusedKernel } from '@cnn/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { fusedBatchNormTrain } from './batchnorm-fused';
import { ConfigError, positiveInt } from './config-error';
import { type LayerConfig, Module } from './module';
import { formatShape, layerLabel, ShapeError } from './shape-error';

export interface BatchNorm2dOptions {
  eps?: number;
  /** Weight of the newest batch in the running statistics; null = cumulative average (torch). */
  momentum?: number | null;
}

/**
 * Batch normalisation over the channel axis (last, NHWC), as torch.nn.BatchNorm2d.
 * Training mode normalises with the biased batch variance over N, H, W and updates
 * `running_mean` / `running_var` (unbiased) with `momentum`; eval mode uses the
 * running statistics. Parameters `weight` (gamma) and `bias` (beta).
 */
export class BatchNorm2d extends Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;
  readonly numBatchesTracked: tf.Variable;
  readonly eps: number;
  readonly momentum: number | null;

  constructor(
    readonly numFeatures: number,
    options: BatchNorm2dOptions = {},
  ) {
    super();
    positiveInt(numFeatures, 'BatchNorm2d numFeatures');
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    if (!(this.eps > 0)) throw new ConfigError(`BatchNorm2d eps must be positive, got ${this.eps}`);
    if (this.momentum !== null && !(this.momentum >= 0 && this.momentum <= 1)) {
      throw new ConfigError(`BatchNorm2d momentum must be in [0, 1] or null, got ${this.momentum}`);
    }
    this.weight = this.registerParameter('weight', tf.ones([numFeatures]));
    this.bias = this.registerParameter('bias', tf.zeros([numFeatures]));
    this.runningMean = this.registerBuffer('running_mean', tf.zeros([numFeatures]));
    this.runningVar = this.registerBuffer('running_var', tf.ones([numFeatures]));
    this.numBatchesTracked = this.registerBuffer('num_batches_tracked', tf.scalar(0, 'int32'));
  }

  private check(x: tf.Tensor): void {
    const where = layerLabel('BatchNorm2d', this.path);
    if (x.rank !== 4) {
      throw new ShapeError(
        `${where} expects a 4-D NHWC input [N, H, W, ${this.numFeatures}] but got ${x.rank}-D ${formatShape(x.shape)}`,
        this.path,
        x.shape,
      );
    }
    const c = x.shape[3];
    if (c !== this.numFeatures) {
      throw new ShapeError(
        `${where} expected ${this.numFeatures} channels (last axis, NHWC) but the input ${formatShape(x.shape)} has ${c}`,
        this.path,
        x.shape,
      );
    }
    if (this.training && x.size / this.numFeatures < 2) {
      throw new ShapeError(
        `${where} in training mode needs more than 1 value per channel, got input ${formatShape(x.shape)}`,
        this.path,
        x.shape,
      );
    }
  }

  forward(x: tf.Tensor): tf.Tensor {
    this.check(x);
    const x4 = x as tf.Tensor4D;
    if (!this.training) {
      const [mean, variance] = [this.runningMean as tf.Tensor1D, this.runningVar as tf.Tensor1D];
      return tf.batchNorm4d(x4, mean, variance, this.bias as tf.Tensor1D, this.weight as tf.Tensor1D, this.eps);
    }
    if (x.dtype === 'float32' && hasFusedKernel(BATCH_NORM_TRAIN)) return this.forwardFused(x);
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x4, [0, 1, 2]);
      const y = tf.batchNorm4d(
        x4,
        mean as tf.Tensor1D,
        variance as tf.Tensor1D,
        this.bias as tf.Tensor1D,
        this.weight as tf.Tensor1D,
        this.eps,
      );
      this.updateRunningStats(mean, variance, x.size / this.numFeatures);
      return y;
    });
  }

  /**
   * Training mode on a backend with the fused kernel: statistics, output and running-statistics
   * update in one kernel, and one kernel for all three gradients (same numbers as the composite path).
   */
  private forwardFused(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const momentum = this.nextMomentum();
      const { y, runningMean, runningVar } = fusedBatchNormTrain(
        x,
        this.weight,
        this.bias,
        this.runningMean,
        this.runningVar,
        { epsilon: this.eps, momentum },
      );
      this.runningMean.assign(runningMean);
      this.runningVar.assign(runningVar);
      return y;
    });
  }

  /** Counts the batch in `num_batches_tracked`; the weight of this batch in the running statistics. */
  private nextMomentum(): number {
    const tracked = tf.tidy(() => tf.add(this.numBatchesTracked, tf.scalar(1, 'int32')));
    this.numBatchesTracked.assign(tracked);
    const m = this.momentum ?? 1 / (tracked.dataSync()[0] as number);
    tracked.dispose();
    return m;
  }

  /** running = (1 - m) * running + m * batch, with the unbiased batch variance. */
  private updateRunningStats(mean: tf.Tensor, variance: tf.Tensor, count: number): void {
    tf.tidy(() => {
      const m = this.nextMomentum();
      const unbiased = tf.mul(variance, count / (count - 1));
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - m), tf.mul(mean, m)));
      this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - m), tf.mul(unbiased, m)));
    });
  }

  override getConfig(): LayerConfig {
    return { type: 'BatchNorm2d', numFeatures: this.numFeatures, eps: this.eps, momentum: this.momentum };
  }

  override describe(): string {
    return `BatchNorm2d(${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum})`;
  }
}
