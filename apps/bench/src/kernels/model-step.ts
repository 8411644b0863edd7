import { manualSeed } from '@cnn/layers';
import { trainStep } from '@cnn/train';
import type { Recipe } from '@cnn/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { bestTime } from './timing';

/** One zoo model's speed on the active backend. */
export interface StepTiming {
  recipe: string;
  batch: number;
  /** Best training step (forward, the recipe's loss, gradients, its optimizer's update), ms. */
  stepMs: number;
  /** Best eval-mode forward pass of 1000 images, ms. */
  inferMs: number;
  /** Mean kernel time per training step by kernel, longest first (with `profile`). */
  profile: { kernel: string; ms: number }[] | null;
}

/** A recipe's model and optimizer, one fixed random batch, and a training step on it. */
export interface FixedBatchTrainer {
  model: ReturnType<Recipe['build']>;
  optimizer: ReturnType<Recipe['optimizer']>;
  /** The batch: images `[batch, 28, 28, 1]` and int32 labels `[batch]`. */
  x: tf.Tensor;
  y: tf.Tensor;
  /** One training step (forward, the recipe's loss, gradients, update), its loss read back. */
  step: () => Promise<void>;
  /** Frees the batch, the optimizer state and the model. */
  dispose: () => void;
}

/**
 * Builds `recipe`'s model (weights seeded with manualSeed(0)) and optimizer, and a fixed batch of
 * images `[batch, 28, 28, 1]` drawn uniformly from `pixels` and labels in 0..9 (seeded), so every
 * step does the same work.
 */
export function fixedBatchTrainer(recipe: Recipe, pixels: [number, number]): FixedBatchTrainer {
  manualSeed(0);
  const model = recipe.build();
  const optimizer = recipe.optimizer(model);
  const x = tf.randomUniform([recipe.batchSize, 28, 28, 1], pixels[0], pixels[1], 'float32', 1);
  const y = tf.randomUniform([recipe.batchSize], 0, 10, 'int32', 2);
  const step = async () => {
    const { loss, output } = trainStep(model, optimizer, recipe.lossFn, { x, y });
    output.dispose();
    await loss.data();
    loss.dispose();
  };
  const dispose = () => {
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  };
  return { model, optimizer, x, y, step, dispose };
}

/**
 * Times `recipe`'s model, built with @cnn/layers and trained with @cnn/train, on random
 * images `[batch, 28, 28, 1]` and labels: the best training step over at least `minMs` and
 * `minCalls` calls, the best batch-1000 inference, and with `profile` the kernels of 10
 * training steps (tf.profile).
 */
export async function timeRecipe(recipe: Recipe, minMs: number, profile: boolean, minCalls = 5): Promise<StepTiming> {
  const trainer = fixedBatchTrainer(recipe, [0, 1]);
  const { model, step } = trainer;
  const xi = tf.randomUniform([1000, 28, 28, 1], 0, 1, 'float32', 3);
  try {
    model.train();
    const stepMs = await bestTime(step, minMs, minCalls);
    let kernels: StepTiming['profile'] = null;
    if (profile) {
      const steps = 10;
      const info = await tf.profile(async () => {
        for (let i = 0; i < steps; i++) await step();
      });
      const byKernel = new Map<string, number>();
      for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs) / steps);
      kernels = [...byKernel].map(([kernel, ms]) => ({ kernel, ms })).sort((a, b) => b.ms - a.ms);
    }
    model.eval();
    const inferMs = await bestTime(
      async () => {
        const ids = tf.tidy(() => tf.argMax(model.apply(xi), 1));
        await ids.data();
        ids.dispose();
      },
      minMs / 2,
      minCalls,
    );
    return { recipe: `${recipe.id} ${recipe.name}`, batch: recipe.batchSize, stepMs, inferMs, profile: kernels };
  } finally {
    xi.dispose();
    trainer.dispose();
  }
}
