import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { LogSoftmax, ReLU, Softmax } from './activation';
import { writeFileAtomic } from './atomic-write';
import { BatchNorm2d } from './batchnorm2d';
import { Conv2d } from './conv2d';
import { Dropout } from './dropout';
import { Flatten } from './flatten';
import { Linear } from './linear';
import type { Module } from './module';
import { AvgPool2d, MaxPool2d } from './pooling';
import { type TraceEvent, traceForward } from './trace';

/** A weight with its name, as tf.io.encodeWeights takes it. */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** A model (or a step of its forward) that the TF.js Layers format cannot express. */
export class ExportError extends Error {
  override name = 'ExportError';
}

interface KerasLayer {
  class_name: string;
  config: Record<string, unknown>;
}

/** Builds keras-style layer configs and the weights they name, in order. */
class LayerList {
  readonly layers: KerasLayer[] = [];
  readonly weights: NamedTensor[] = [];
  private readonly counts = new Map<string, number>();

  add(
    className: string,
    prefix: string,
    config: Record<string, unknown>,
    weights: Record<string, tf.Tensor> = {},
  ): void {
    const n = (this.counts.get(prefix) ?? 0) + 1;
    this.counts.set(prefix, n);
    const name = `${prefix}_${n}`;
    this.layers.push({ class_name: className, config: { name, trainable: true, dtype: 'float32', ...config } });
    for (const [w, tensor] of Object.entries(weights)) this.weights.push({ name: `${name}/${w}`, tensor });
  }
}

function pool(list: LayerList, className: string, prefix: string, kernel: unknown, stride: unknown): void {
  list.add(className, prefix, { pool_size: kernel, strides: stride, padding: 'valid', data_format: 'channels_last' });
}

function addConv(list: LayerList, conv: Conv2d): void {
  const [kh, kw] = conv.kernelSize;
  let padding = 'valid';
  if (conv.padding === 'same') padding = 'same';
  else {
    const [ph, pw] = conv.padding;
    const unitStride = conv.stride[0] === 1 && conv.stride[1] === 1;
    if (unitStride && kh % 2 === 1 && kw % 2 === 1 && 2 * ph === kh - 1 && 2 * pw === kw - 1 && ph + pw > 0)
      padding = 'same';
    else if (ph + pw > 0) {
      list.add('ZeroPadding2D', 'zero_padding2d', {
        padding: [
          [ph, ph],
          [pw, pw],
        ],
        data_format: 'channels_last',
      });
    }
  }
  const weights: Record<string, tf.Tensor> = { kernel: conv.weight };
  if (conv.bias) weights.bias = conv.bias;
  list.add(
    'Conv2D',
    'conv2d',
    {
      filters: conv.outChannels,
      kernel_size: [kh, kw],
      strides: conv.stride,
      padding,
      data_format: 'channels_last',
      dilation_rate: [1, 1],
      activation: 'linear',
      use_bias: conv.bias !== null,
    },
    weights,
  );
}

function addModule(list: LayerList, m: Module): void {
  if (m instanceof Conv2d) addConv(list, m);
  else if (m instanceof Linear) {
    const weights: Record<string, tf.Tensor> = { kernel: m.weight };
    if (m.bias) weights.bias = m.bias;
    list.add('Dense', 'dense', { units: m.outFeatures, activation: 'linear', use_bias: m.bias !== null }, weights);
  } else if (m instanceof MaxPool2d) pool(list, 'MaxPooling2D', 'max_pooling2d', m.kernelSize, m.stride);
  else if (m instanceof AvgPool2d) pool(list, 'AveragePooling2D', 'average_pooling2d', m.kernelSize, m.stride);
  else if (m instanceof ReLU) list.add('Activation', 'activation', { activation: 'relu' });
  else if (m instanceof LogSoftmax) list.add('Activation', 'activation', { activation: 'logSoftmax' });
  else if (m instanceof Softmax) list.add('Activation', 'activation', { activation: 'softmax' });
  else if (m instanceof Flatten) list.add('Flatten', 'flatten', {});
  else if (m instanceof Dropout) list.add('Dropout', 'dropout', { rate: m.p });
  else if (m instanceof BatchNorm2d) {
    list.add(
      'BatchNormalization',
      'batch_normalization',
      { axis: -1, momentum: m.momentum === null ? 0.99 : 1 - m.momentum, epsilon: m.eps, center: true, scale: true },
      { gamma: m.weight, beta: m.bias, moving_mean: m.runningMean, moving_variance: m.runningVar },
    );
  } else {
    throw new ExportError(`layer '${m.path}' (${m.constructor.name}) has no TF.js Layers equivalent in this exporter`);
  }
}

/** Keras layer (class, name prefix, config) for each functional op this package records. */
function opLayer(e: TraceEvent): [string, string, Record<string, unknown>] {
  const args = e.args ?? {};
  const poolConfig = {
    pool_size: args.kernelSize,
    strides: args.stride,
    padding: 'valid',
    data_format: 'channels_last',
  };
  switch (e.op) {
    case 'relu':
      return ['Activation', 'activation', { activation: 'relu' }];
    case 'logSoftmax':
      return ['Activation', 'activation', { activation: 'logSoftmax' }];
    case 'softmax':
      return ['Activation', 'activation', { activation: 'softmax' }];
    case 'flatten':
      return ['Flatten', 'flatten', {}];
    case 'dropout':
      return ['Dropout', 'dropout', { rate: args.p }];
    case 'maxPool2d':
      return ['MaxPooling2D', 'max_pooling2d', poolConfig];
    case 'avgPool2d':
      return ['AveragePooling2D', 'average_pooling2d', poolConfig];
    default:
      throw new ExportError(`functional op '${e.op}' has no TF.js Layers equivalent in this exporter`);
  }
}

function addEvent(list: LayerList, e: TraceEvent): void {
  if (e.kind === 'module' && e.module) addModule(list, e.module);
  else list.add(...opLayer(e));
}

function eventName(e: TraceEvent | undefined): string {
  if (!e) return 'the model input';
  return e.kind === 'module' && e.module ? `'${e.module.path}' (${e.module.constructor.name})` : `${e.op}()`;
}

/** The TF.js Layers `model.json` content (topology and weights manifest) plus the weight tensors. */
export interface LayersModelArtifacts {
  modelJson: Record<string, unknown>;
  weights: NamedTensor[];
}

/**
 * Describes `model` as a TF.js Layers Sequential by running it once (eval mode) on
 * zeros of [1, ...inputShape]. Works for Sequential models and for user models whose
 * forward is a straight chain of built-in layers and functional ops from this package.
 */
export function toLayersModel(model: Module, inputShape: number[]): LayersModelArtifacts {
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  model.eval();
  const list = new LayerList();
  try {
    tf.tidy(() => {
      const x = tf.zeros([1, ...inputShape]);
      const { result, events } = traceForward(() => model.apply(x));
      if (events.length === 0) throw new ExportError(`${model.constructor.name} ran no layer that can be exported`);
      let previous: TraceEvent | undefined;
      for (const e of events) {
        if (e.input !== (previous ? previous.output : x)) {
          throw new ExportError(
            `cannot export ${model.constructor.name}: the input of ${eventName(e)} is not the output of ${eventName(previous)}. ` +
              'Only a straight chain of @cnn/layers modules and functional ops exports (use flatten() instead of tf.reshape, no branches).',
          );
        }
        addEvent(list, e);
        previous = e;
      }
      if (result !== previous?.output) {
        throw new ExportError(
          `cannot export ${model.constructor.name}: its output is not the output of its last layer ${eventName(previous)}`,
        );
      }
    });
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
  const first = list.layers[0] as KerasLayer;
  first.config = { batch_input_shape: [null, ...inputShape], ...first.config };
  const modelJson = {
    format: 'layers-model',
    generatedBy: '@cnn/layers',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'sequential_1', layers: list.layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
  };
  return { modelJson, weights: list.weights };
}

/**
 * Writes `dir/model.json` and `dir/weights.bin` in the TF.js Layers format, so that
 * `tf.loadLayersModel('…/model.json')` (in a browser, or Node with tfjs-layers) runs
 * the model. Shapes are NHWC; `inputShape` excludes the batch dimension, e.g. [28, 28, 1].
 */
export async function exportLayersModel(
  model: Module,
  dir: string,
  inputShape: number[],
): Promise<Record<string, unknown>> {
  const { modelJson, weights } = toLayersModel(model, inputShape);
  const { data, specs } = await tf.io.encodeWeights(weights);
  const json = { ...modelJson, weightsManifest: [{ paths: ['weights.bin'], weights: specs }] };
  await fs.mkdir(dir, { recursive: true });
  const bytes =
    data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(tf.io.concatenateArrayBuffers(data));
  await writeFileAtomic(path.join(dir, 'weights.bin'), bytes);
  await writeFileAtomic(path.join(dir, 'model.json'), `${JSON.stringify(json, null, 2)}\n`);
  return json;
}
