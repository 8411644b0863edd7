import type * as tf from '@tensorflow/tfjs-core';
import { pair } from './config-error';
import { avgPool2d, checkPoolInput, maxPool2d } from './functional';
import { type LayerConfig, Module } from './module';

abstract class Pool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];

  constructor(kernelSize: number | [number, number], stride?: number | [number, number]) {
    super();
    this.kernelSize = pair(kernelSize, `${this.constructor.name} kernelSize`);
    this.stride = pair(stride ?? kernelSize, `${this.constructor.name} stride`);
  }

  protected abstract pool(x: tf.Tensor): tf.Tensor;

  forward(x: tf.Tensor): tf.Tensor {
    checkPoolInput(x, this.constructor.name, this.path, this.kernelSize);
    return this.pool(x);
  }

  override getConfig(): LayerConfig {
    return { type: this.constructor.name, kernelSize: this.kernelSize, stride: this.stride };
  }

  override describe(): string {
    return `${this.constructor.name}(kernel_size=(${this.kernelSize.join(', ')}), stride=(${this.stride.join(', ')}))`;
  }
}

/** Max pooling over H and W (no padding; odd sizes floor as torch.nn.MaxPool2d). */
export class MaxPool2d extends Pool2d {
  protected pool(x: tf.Tensor): tf.Tensor {
    return maxPool2d(x, this.kernelSize, this.stride);
  }
}

/** Average pooling over H and W (no padding; odd sizes floor as torch.nn.AvgPool2d). */
export class AvgPool2d extends Pool2d {
  protected pool(x: tf.Tensor): tf.Tensor {
    return avgPool2d(x, this.kernelSize, this.stride);
  }
}
