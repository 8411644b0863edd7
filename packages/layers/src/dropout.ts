import type * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from './config-error';
import { dropout } from './functional';
import { type LayerConfig, Module } from './module';
import { defaultGenerator, type Generator } from './random';

export interface DropoutOptions {
  generator?: Generator;
}

/**
 * Inverted dropout as torch.nn.Dropout: in training mode zeroes each value with
 * probability p and scales the rest by 1/(1-p); identity in eval mode. The mask
 * comes from the seeded generator, so runs are reproducible.
 */
export class Dropout extends Module {
  private readonly generator: Generator;

  constructor(
    readonly p = 0.5,
    options: DropoutOptions = {},
  ) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ConfigError(`Dropout probability must be in [0, 1], got ${p}`);
    this.generator = options.generator ?? defaultGenerator;
  }

  forward(x: tf.Tensor): tf.Tensor {
    return dropout(x, this.p, this.training, this.generator);
  }

  override getConfig(): LayerConfig {
    return { type: 'Dropout', p: this.p };
  }

  override describe(): string {
    return `Dropout(p=${this.p})`;
  }
}
