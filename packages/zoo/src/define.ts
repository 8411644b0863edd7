import type { Module } from '@cnn/layers';
import { Adam, crossEntropy, nllLoss, SGD } from '@cnn/train';
import type * as tf from '@tensorflow/tfjs-core';
import type { LossKind, OptimizerSettings, Recipe, RecipeOptimizer } from './types';

/** A recipe as written in its file: everything but the functions derived from the data. */
export type RecipeData = Omit<Recipe, 'optimizer' | 'lossFn'>;

/** The optimizer `settings` describe, over `model`'s parameters. */
export function makeOptimizer(settings: OptimizerSettings, model: Module): RecipeOptimizer {
  if (settings.kind === 'sgd') return new SGD(model, { lr: settings.lr, momentum: settings.momentum });
  return new Adam(model, { lr: settings.lr, weightDecay: settings.weightDecay });
}

/** The loss function of a `LossKind`: `crossEntropy` on logits or `nllLoss` on log-probabilities. */
export function lossFunction(kind: LossKind): (output: tf.Tensor, labels: tf.Tensor) => tf.Tensor {
  return kind === 'nll'
    ? (output, labels) => nllLoss(output, labels)
    : (output, labels) => crossEntropy(output, labels);
}

/** Completes a recipe with its `optimizer` and `lossFn`, and freezes its data. */
export function defineRecipe(data: RecipeData): Recipe {
  const lossFn = lossFunction(data.loss);
  return Object.freeze({
    ...data,
    optimizer: (model: Module) => makeOptimizer(data.optimizerSettings, model),
    lossFn,
  });
}
