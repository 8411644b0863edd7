import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, pair, positiveInt } from './config-error';
import { biasUniform, kaimingUniform } from './init';
import { type LayerConfig, Module } from './module';
import { defaultGenerator, type Generator } from './random';
import { formatShape, layerLabel, ShapeError } from './shape-error';

export type Conv2dPadding = number | [number, number] | 'same' | 'valid';

export interface Conv2dOptions {
  stride?: number | [number, number];
  /** Zero padding in pixels on each side (symmetric, as torch), or 'same' / 'valid'. Default 0. */
  padding?: Conv2dPadding;
  bias?: boolean;
  generator?: Generator;
}

/**
 * 2-D convolution over NHWC input, as torch.nn.Conv2d. Weight `[kh, kw, in, out]`,
 * bias `[out]`, both Kaiming-uniform initialised like torch (bound 1/sqrt(in*kh*kw)).
 */
export class Conv2d extends Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same';

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number | [number, number],
    options: Conv2dOptions = {},
  ) {
    super();
    positiveInt(inChannels, 'Conv2d inChannels');
    positiveInt(outChannels, 'Conv2d outChannels');
    this.kernelSize = pair(kernelSize, 'Conv2d kernelSize');
    this.stride = pair(options.stride ?? 1, 'Conv2d stride');
    const padding = options.padding ?? 0;
    if (padding === 'same') {
      if (this.stride[0] !== 1 || this.stride[1] !== 1)
        throw new ConfigError(`Conv2d padding 'same' needs stride 1 (as in torch), got stride ${this.stride}`);
      this.padding = 'same';
    } else if (padding === 'valid') this.padding = [0, 0];
    else this.padding = pair(padding, 'Conv2d padding', true);
    const [kh, kw] = this.kernelSize;
    const fanIn = inChannels * kh * kw;
    const generator = options.generator ?? defaultGenerator;
    this.weight = this.registerParameter('weight', kaimingUniform([kh, kw, inChannels, outChannels], fanIn, generator));
    this.bias =
      options.bias === false ? null : this.registerParameter('bias', biasUniform(outChannels, fanIn, generator));
  }

  /** Output height and width for an input of `h` x `w` (torch's floor formula). */
  outputSize(h: number, w: number): [number, number] {
    if (this.padding === 'same') return [h, w];
    const [kh, kw] = this.kernelSize;
    const [sh, sw] = this.stride;
    const [ph, pw] = this.padding;
    return [Math.floor((h + 2 * ph - kh) / sh) + 1, Math.floor((w + 2 * pw - kw) / sw) + 1];
  }

  private check(x: tf.Tensor): void {
    const where = layerLabel('Conv2d', this.path);
    if (x.rank !== 4) {
      throw new ShapeError(
        `${where} expects a 4-D NHWC input [N, H, W, ${this.inChannels}] but got ${x.rank}-D ${formatShape(x.shape)}` +
          (x.rank === 2 ? ' (reshape flat images to [N, H, W, C] first)' : ''),
        this.path,
        x.shape,
      );
    }
    const [, h, w, c] = x.shape as [number, number, number, number];
    if (c !== this.inChannels) {
      const nchw = x.shape[1] === this.inChannels ? ` It looks like NCHW: this library uses NHWC, channels last.` : '';
      throw new ShapeError(
        `${where} expected ${this.inChannels} input channels (last axis, NHWC) but the input ${formatShape(x.shape)} has ${c}.${nchw}`,
        this.path,
        x.shape,
      );
    }
    const [oh, ow] = this.outputSize(h, w);
    if (oh < 1 || ow < 1) {
      throw new ShapeError(
        `${where} with kernel ${this.kernelSize.join('x')} and padding ${this.padding} needs a larger input than ${h}x${w} (H x W) from ${formatShape(x.shape)}`,
        this.path,
        x.shape,
      );
    }
  }

  /** The padding argument for tf.conv2d. */
  private tfPadding(): 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]] {
    if (this.padding === 'same') return 'same';
    const [ph, pw] = this.padding;
    if (ph === 0 && pw === 0) return 'valid';
    return [
      [0, 0],
      [ph, ph],
      [pw, pw],
      [0, 0],
    ];
  }

  forward(x: tf.Tensor): tf.Tensor {
    this.check(x);
    return tf.tidy(() => {
      const y = tf.conv2d(x as tf.Tensor4D, this.weight as tf.Tensor4D, this.stride, this.tfPadding());
      return this.bias ? tf.add(y, this.bias) : y;
    });
  }

  override getConfig(): LayerConfig {
    return {
      type: 'Conv2d',
      inChannels: this.inChannels,
      outChannels: this.outChannels,
      kernelSize: this.kernelSize,
      stride: this.stride,
      padding: this.padding,
      bias: this.bias !== null,
    };
  }

  override describe(): string {
    const pad = this.padding === 'same' ? `'same'` : `(${this.padding.join(', ')})`;
    return `Conv2d(${this.inChannels}, ${this.outChannels}, kernel_size=(${this.kernelSize.join(', ')}), stride=(${this.stride.join(', ')}), padding=${pad}${this.bias ? '' : ', bias=False'})`;
  }
}
