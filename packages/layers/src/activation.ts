import type * as tf from '@tensorflow/tfjs-core';
import { logSoftmax, relu, softmax } from './functional';
import { type LayerConfig, Module } from './module';

/** max(x, 0), as torch.nn.ReLU. */
export class ReLU extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return relu(x);
  }

  override getConfig(): LayerConfig {
    return { type: 'ReLU' };
  }

  override describe(): string {
    return 'ReLU()';
  }
}

/** log(softmax(x)) over the last axis (torch.nn.LogSoftmax(dim=1) for [N, classes]). */
export class LogSoftmax extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return logSoftmax(x);
  }

  override getConfig(): LayerConfig {
    return { type: 'LogSoftmax' };
  }

  override describe(): string {
    return 'LogSoftmax(dim=-1)';
  }
}

/** softmax over the last axis. */
export class Softmax extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return softmax(x);
  }

  override getConfig(): LayerConfig {
    return { type: 'Softmax' };
  }

  override describe(): string {
    return 'Softmax(dim=-1)';
  }
}
