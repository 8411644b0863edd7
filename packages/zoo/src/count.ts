import type { Module } from '@cnn/layers';

/**
 * The number of trainable values of `model` (the sum of its parameters' sizes; batch-norm
 * running statistics are buffers and do not count), as
 * `sum(p.numel() for p in model.parameters())` in PyTorch.
 */
export function countParameters(model: Module): number {
  return model.parameters().reduce((n, p) => n + p.size, 0);
}
