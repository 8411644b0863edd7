import type * as tf from '@tensorflow/tfjs-core';
import { flatten } from './functional';
import { recordFlatten } from './flatten-origin';
import { type LayerConfig, Module } from './module';
import { formatShape, layerLabel, ShapeError } from './shape-error';

/** [N, H, W, C] → [N, H*W*C] in NHWC order (h, then w, then c), as torch.nn.Flatten on NHWC. */
export class Flatten extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank < 2) {
      throw new ShapeError(
        `${layerLabel('Flatten', this.path)} expects a batch [N, ...] of rank 2 or more but got ${x.rank}-D ${formatShape(x.shape, false)}`,
        this.path,
        x.shape,
      );
    }
    const y = flatten(x);
    recordFlatten(y, this.path ? `'${this.path}' (Flatten)` : 'Flatten', x.shape);
    return y;
  }

  override getConfig(): LayerConfig {
    return { type: 'Flatten' };
  }

  override describe(): string {
    return 'Flatten()';
  }
}
