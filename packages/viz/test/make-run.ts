import * as fs from 'node:fs';
import * as path from 'node:path';
import { batches, loadMnist, normalize, subset } from '@cnn/datasets';
import { Conv2d, Flatten, Linear, MaxPool2d, type Module, ReLU, Sequential, saveModel } from '@cnn/layers';
import { crossEntropy, fit, SGD } from '@cnn/train';

/** What {@link makeRun} trains. */
export interface RunRecipe {
  model: () => Module;
  /** Training images (the first N of the MNIST training set). */
  trainImages: number;
  /** Validation images (the first N of the test set). */
  valImages: number;
  epochs: number;
  batchSize: number;
  lr: number;
  logEvery: number;
  title: string;
}

/** A 1-conv model small enough to train in a test: [N, 28, 28, 1] → [N, 10]. */
export function tinyModel(): Module {
  return new Sequential(new Conv2d(1, 4, 5), new MaxPool2d(2), new ReLU(), new Flatten(), new Linear(4 * 12 * 12, 10));
}

/**
 * Trains for real and writes a run directory as the README defines it: `metrics.jsonl` (the
 * `fit` log), `model/` (`saveModel` with the architecture) and `config.json`.
 */
export async function makeRun(dir: string, recipe: Partial<RunRecipe> = {}): Promise<void> {
  const r: RunRecipe = {
    model: tinyModel,
    trainImages: 512,
    valImages: 256,
    epochs: 2,
    batchSize: 32,
    lr: 0.05,
    logEvery: 2,
    title: 'Tiny test run',
    ...recipe,
  };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const mnist = loadMnist();
  const transform = normalize(0.1307, 0.3081);
  const first = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);
  const model = r.model();
  try {
    await fit(model, {
      optimizer: new SGD(model, { lr: r.lr, momentum: 0.5 }),
      loss: crossEntropy,
      epochs: r.epochs,
      train: batches(subset(mnist.train, first(r.trainImages)), { batchSize: r.batchSize, seed: 1, transform }),
      validate: {
        data: batches(subset(mnist.test, first(r.valImages)), { batchSize: 500, shuffle: false, transform }),
      },
      logFile: path.join(dir, 'metrics.jsonl'),
      logEvery: r.logEvery,
      progress: 'none',
    });
    await saveModel(model, path.join(dir, 'model'));
  } finally {
    model.dispose();
  }
  const config = { title: r.title, epochs: r.epochs, batchSize: r.batchSize, lr: r.lr, trainImages: r.trainImages };
  fs.writeFileSync(path.join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
}
