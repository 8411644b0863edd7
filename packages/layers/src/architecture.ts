import { LogSoftmax, ReLU, Softmax } from './activation';
import { BatchNorm2d } from './batchnorm2d';
import { Conv2d, type Conv2dPadding } from './conv2d';
import { Dropout } from './dropout';
import { Flatten } from './flatten';
import { Linear } from './linear';
import type { LayerConfig, Module } from './module';
import { AvgPool2d, MaxPool2d } from './pooling';
import { Sequential } from './sequential';

/** Serialised architecture: a Sequential of built-in layers (nesting allowed). */
export interface SequentialConfig {
  type: 'Sequential';
  layers: (LayerConfig | SequentialConfig)[];
}

/** A config that cannot be turned back into a layer. */
export class ArchitectureError extends Error {
  override name = 'ArchitectureError';
}

/**
 * The architecture of `model` if it is a Sequential whose layers are all built-in
 * (or nested Sequentials), else null (a user model class cannot be rebuilt from JSON).
 */
export function architectureOf(model: Module): SequentialConfig | LayerConfig | null {
  if (model instanceof Sequential) {
    const layers: (LayerConfig | SequentialConfig)[] = [];
    for (const child of model) {
      const c = architectureOf(child);
      if (!c) return null;
      layers.push(c);
    }
    return { type: 'Sequential', layers };
  }
  return model.getConfig();
}

function num(config: LayerConfig, key: string): number {
  const v = config[key];
  if (typeof v !== 'number')
    throw new ArchitectureError(`${config.type} config field "${key}" must be a number, got ${JSON.stringify(v)}`);
  return v;
}

function numOrPair(config: LayerConfig, key: string): number | [number, number] {
  const v = config[key];
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 2 && v.every((e) => typeof e === 'number'))
    return [v[0] as number, v[1] as number];
  throw new ArchitectureError(
    `${config.type} config field "${key}" must be a number or [h, w], got ${JSON.stringify(v)}`,
  );
}

/** Builds a fresh (newly initialised) module from an architecture config. */
export function fromConfig(config: LayerConfig | SequentialConfig): Module {
  if (!config || typeof config !== 'object' || typeof config.type !== 'string') {
    throw new ArchitectureError(`layer config must be an object with a "type", got ${JSON.stringify(config)}`);
  }
  const c = config as LayerConfig;
  switch (c.type) {
    case 'Sequential': {
      const layers = (config as SequentialConfig).layers;
      if (!Array.isArray(layers)) throw new ArchitectureError('Sequential config needs a "layers" array');
      return new Sequential(...layers.map(fromConfig));
    }
    case 'Conv2d': {
      const padding = c.padding === 'same' || c.padding === 'valid' ? c.padding : numOrPair(c, 'padding');
      return new Conv2d(num(c, 'inChannels'), num(c, 'outChannels'), numOrPair(c, 'kernelSize'), {
        stride: numOrPair(c, 'stride'),
        padding: padding as Conv2dPadding,
        bias: c.bias !== false,
      });
    }
    case 'Linear':
      return new Linear(num(c, 'inFeatures'), num(c, 'outFeatures'), { bias: c.bias !== false });
    case 'MaxPool2d':
      return new MaxPool2d(numOrPair(c, 'kernelSize'), numOrPair(c, 'stride'));
    case 'AvgPool2d':
      return new AvgPool2d(numOrPair(c, 'kernelSize'), numOrPair(c, 'stride'));
    case 'BatchNorm2d':
      return new BatchNorm2d(num(c, 'numFeatures'), {
        eps: num(c, 'eps'),
        momentum: c.momentum === null ? null : num(c, 'momentum'),
      });
    case 'Dropout':
      return new Dropout(num(c, 'p'));
    case 'ReLU':
      return new ReLU();
    case 'Flatten':
      return new Flatten();
    case 'LogSoftmax':
      return new LogSoftmax();
    case 'Softmax':
      return new Softmax();
    default:
      throw new ArchitectureError(`unknown layer type "${c.type}"`);
  }
}
