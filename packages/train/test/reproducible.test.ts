// A whole run is reproducible from explicit seeds: manualSeed(n) (@cnn/layers) drives the
// initial weights and the dropout masks; batches(..., { seed }) (@cnn/datasets) drives the order.
import { manualSeed } from '@cnn/layers';
import { describeEachBackend } from '@cnn/testing';
import { expect, it } from 'vitest';
import { fit, SGD } from '../src';
import { synthetic, syntheticBatches, tinyModel } from './helpers';

const data = synthetic(90, 21);

/** Trains the tiny dropout model for two epochs and returns its final weights. */
async function run(modelSeed: number, dataSeed: number): Promise<number[][]> {
  manualSeed(modelSeed);
  const model = await tinyModel(true);
  const optimizer = new SGD(model, { lr: 0.1, momentum: 0.9 });
  await fit(model, {
    optimizer,
    epochs: 2,
    train: syntheticBatches(data, { batchSize: 15, seed: dataSeed }),
    progress: 'none',
  });
  const weights = model.parameters().map((p) => Array.from(p.dataSync()));
  optimizer.dispose();
  model.dispose();
  return weights;
}

describeEachBackend('one model seed and one data seed reproduce a run', () => {
  it('the same seeds give identical weights; another model or data seed does not', async () => {
    const first = await run(3, 5);
    expect(await run(3, 5)).toEqual(first);
    expect(await run(4, 5)).not.toEqual(first); // init and dropout follow manualSeed
    expect(await run(3, 6)).not.toEqual(first); // batch order follows the batches seed
  });

  it('the dropout masks alone depend on manualSeed: same init, reseeded before fit, diverges', async () => {
    const weightsAfter = async (fitSeed: number) => {
      manualSeed(3);
      const model = await tinyModel(true);
      manualSeed(fitSeed); // only the dropout masks drawn during fit see this
      const optimizer = new SGD(model, { lr: 0.1 });
      await fit(model, {
        optimizer,
        epochs: 1,
        train: syntheticBatches(data, { batchSize: 15, seed: 5 }),
        progress: 'none',
      });
      const w = model.parameters().map((p) => Array.from(p.dataSync()));
      optimizer.dispose();
      model.dispose();
      return w;
    };
    const a = await weightsAfter(10);
    expect(await weightsAfter(10)).toEqual(a);
    expect(await weightsAfter(11)).not.toEqual(a);
  });
});
