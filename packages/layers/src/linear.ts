import * as tf from '@tensorflow/tfjs-core';
import { positiveInt } from './config-error';
import { flattenOrigin } from './flatten-origin';
import { biasUniform, kaimingUniform } from './init';
import { type LayerConfig, Module } from './module';
import { defaultGenerator, type Generator } from './random';
import { featuresPerSample, formatShape, layerLabel, ShapeError } from './shape-error';

export interface LinearOptions {
  bias?: boolean;
  generator?: Generator;
}

/**
 * Fully connected layer y = x · W + b over the last axis, as torch.nn.Linear.
 * Weight `[in, out]`, bias `[out]`, initialised like torch (bound 1/sqrt(in)).
 */
export class Linear extends Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    positiveInt(inFeatures, 'Linear inFeatures');
    positiveInt(outFeatures, 'Linear outFeatures');
    const generator = options.generator ?? defaultGenerator;
    this.weight = this.registerParameter('weight', kaimingUniform([inFeatures, outFeatures], inFeatures, generator));
    this.bias =
      options.bias === false ? null : this.registerParameter('bias', biasUniform(outFeatures, inFeatures, generator));
  }

  private check(x: tf.Tensor): void {
    const where = layerLabel('Linear', this.path);
    if (x.rank < 2) {
      throw new ShapeError(
        `${where} expects an input [N, ${this.inFeatures}] but got ${x.rank}-D ${formatShape(x.shape, false)} (add a batch dimension)`,
        this.path,
        x.shape,
      );
    }
    const last = x.shape[x.rank - 1] as number;
    if (last === this.inFeatures) return;
    const shape = formatShape(x.shape);
    if (x.rank > 2) {
      const perSample = featuresPerSample(x.shape);
      const hint =
        perSample === this.inFeatures
          ? 'flatten it first (Flatten or flatten(x))'
          : `did you forget Flatten, or should in_features be ${perSample}?`;
      throw new ShapeError(
        `${where} expected ${this.inFeatures} input features but the input is ${shape} = ${x.shape.slice(1).join('*')} = ${perSample} features per sample (${hint})`,
        this.path,
        x.shape,
      );
    }
    const origin = flattenOrigin(x);
    if (origin) {
      const before = formatShape(origin.shape);
      const product = origin.shape.length > 2 ? `${origin.shape.slice(1).join('*')} = ` : '';
      throw new ShapeError(
        `${where} expected ${this.inFeatures} input features but its input comes from ${origin.from}, which flattens ${before} to ${shape} = ${product}${last} features per sample; set in_features to ${last} or check the conv/pool layers before it`,
        this.path,
        x.shape,
      );
    }
    throw new ShapeError(
      `${where} expected ${this.inFeatures} input features but the input is ${shape} = ${last} features per sample (should in_features be ${last}?)`,
      this.path,
      x.shape,
    );
  }

  forward(x: tf.Tensor): tf.Tensor {
    this.check(x);
    return tf.tidy(() => {
      const flat = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, this.inFeatures]);
      let y: tf.Tensor = tf.matMul(flat as tf.Tensor2D, this.weight as tf.Tensor2D);
      if (this.bias) y = tf.add(y, this.bias);
      return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.outFeatures]);
    });
  }

  override getConfig(): LayerConfig {
    return { type: 'Linear', inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null };
  }

  override describe(): string {
    return `Linear(in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'})`;
  }
}
