// Describes a zoo recipe in the terms of apps/bench/torch/bench_torch.py --describe: torch's
// layer names and settings, parameter shapes in torch's layouts, training settings.
import type { LayerConfig, Module } from '@cnn/layers';
import type { Recipe } from '../src/index';

/** One layer as bench_torch.py describes it. */
export interface TorchLayer {
  type: string;
  config: Record<string, unknown>;
  params: { name: string; shape: number[] }[];
}

/** One model as bench_torch.py describes it. */
export interface TorchModel {
  batch: number;
  optimizer: Record<string, unknown>;
  normalize: { mean: number; std: number } | null;
  loss: string;
  params: number;
  layers: TorchLayer[];
}

/** The whole `--describe` output. */
export interface TorchDescription {
  torch_version: string;
  models: Record<string, TorchModel>;
}

/** Our shape of a parameter in torch's layout: conv HWIO → OIHW, linear [in, out] → [out, in]. */
export function torchShape(type: string, name: string, shape: readonly number[]): number[] {
  if (type === 'Conv2d' && name === 'weight') {
    const [kh, kw, inC, outC] = shape as [number, number, number, number];
    return [outC, inC, kh, kw];
  }
  if (type === 'Linear' && name === 'weight') {
    const [inF, outF] = shape as [number, number];
    return [outF, inF];
  }
  return [...shape];
}

/** A layer's settings, renamed as torch names them. */
function torchConfig(layer: Module): Record<string, unknown> {
  const c: LayerConfig = layer.getConfig() ?? { type: layer.constructor.name };
  switch (c.type) {
    case 'Conv2d':
      if (c.padding === 'same') throw new Error('padding "same" has no torch counterpart in the reference script');
      return {
        in_channels: c.inChannels,
        out_channels: c.outChannels,
        kernel_size: c.kernelSize,
        stride: c.stride,
        padding: c.padding,
      };
    case 'Linear':
      return { in_features: c.inFeatures, out_features: c.outFeatures };
    case 'MaxPool2d':
      return { kernel_size: c.kernelSize, stride: c.stride };
    case 'Dropout':
      return { p: c.p };
    case 'BatchNorm2d':
      return { num_features: c.numFeatures, eps: c.eps, momentum: c.momentum };
    case 'LogSoftmax':
      return { dim: 1 }; // our LogSoftmax works on the last axis: the class axis of [N, 10]
    default:
      return {};
  }
}

/** `recipe` and the model it builds, described as bench_torch.py describes its models. */
export function describeRecipe(recipe: Recipe, model: Module): TorchModel {
  const layers: TorchLayer[] = model.namedChildren().map(([, layer]) => {
    const type = layer.getConfig()?.type ?? layer.constructor.name;
    return {
      type,
      config: torchConfig(layer),
      params: layer.namedParameters().map(([name, v]) => ({ name, shape: torchShape(type, name, v.shape) })),
    };
  });
  const o = recipe.optimizerSettings;
  return {
    batch: recipe.batchSize,
    optimizer:
      o.kind === 'sgd'
        ? { kind: 'sgd', lr: o.lr, momentum: o.momentum }
        : { kind: 'adam', lr: o.lr, weight_decay: o.weightDecay },
    normalize: recipe.normalize,
    loss: recipe.loss,
    params: model.parameters().reduce((n, p) => n + p.size, 0),
    layers,
  };
}
