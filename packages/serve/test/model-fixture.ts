import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { useBackend } from '@cnn/backend';
import { batches, loadMnist, normalize, subset } from '@cnn/datasets';
import { manualSeed, saveModel } from '@cnn/layers';
import { Adam, fit } from '@cnn/train';
import { smallCnn } from '@cnn/zoo';

/** The first `count` test digits of the embedded MNIST: pixels as bytes (784 each) and labels. */
export function testDigits(count: number): { images: Uint8Array[]; labels: number[] } {
  const { test } = loadMnist();
  const images: Uint8Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    images.push(test.images.slice(i * 784, (i + 1) * 784));
    labels.push(test.labels[i] as number);
  }
  return { images, labels };
}

const VERSION = 'small-cnn-6000-adam-v1';

/**
 * A model directory for the tests: tutorial 002's `small-cnn` from @cnn/zoo trained (Adam, lr
 * 2e-3) for one epoch on 6 000 embedded MNIST digits (a few seconds), saved with `saveModel` with its
 * normalisation in the metadata. Made once per machine (cached in the temp folder; written
 * beside and renamed, so parallel test files never see half a directory).
 */
export async function trainedModelDir(): Promise<string> {
  const dir = path.join(tmpdir(), `cnn-serve-test-model-${VERSION}`);
  if (existsSync(path.join(dir, 'model.json'))) return dir;
  await useBackend('auto', { quiet: true });
  const mnist = loadMnist();
  manualSeed(2);
  const model = smallCnn.build();
  const { mean, std } = smallCnn.normalize ?? { mean: 0, std: 1 };
  const train = subset(
    mnist.train,
    Uint32Array.from({ length: 6000 }, (_, i) => i),
  );
  await fit(model, {
    optimizer: new Adam(model, { lr: 2e-3 }),
    loss: smallCnn.lossFn,
    epochs: 1,
    train: batches(train, { batchSize: 32, seed: 1, transform: normalize(mean, std) }),
    progress: 'none',
  });
  const scratch = `${dir}.tmp-${process.pid}`;
  mkdirSync(scratch, { recursive: true });
  await saveModel(model, scratch, { metadata: { normalize: { mean, std }, classNames: [...mnist.classNames] } });
  model.dispose();
  if (existsSync(path.join(dir, 'model.json'))) rmSync(scratch, { recursive: true, force: true });
  else {
    rmSync(dir, { recursive: true, force: true });
    renameSync(scratch, dir);
  }
  return dir;
}
