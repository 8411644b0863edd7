import { batches, type ImageSource, normalize, scaleTo01 } from '@cnn/datasets';
import { evaluate, fit } from '@cnn/train';
import { countParameters, type RecipeName, recipe } from '@cnn/zoo';

/**
 * Trains a zoo recipe as its tutorial does (its model, optimizer, loss, batch size,
 * normalisation and number of epochs, unless `epochs` is given), then tests it.
 * Resolves to the test accuracy in percent.
 */
export async function trainRecipe(name: RecipeName, train: ImageSource, test: ImageSource, epochs?: number) {
  const r = recipe(name);
  const transform = r.normalize ? normalize(r.normalize.mean, r.normalize.std) : scaleTo01();
  const model = r.build(); // input [N, 28, 28, 1], output [N, 10]
  const optimizer = r.optimizer(model);
  console.log(`${r.id} ${r.name}: ${countParameters(model).toLocaleString('en-US')} parameters`);
  try {
    await fit(model, {
      optimizer,
      loss: r.lossFn,
      epochs: epochs ?? r.epochs,
      train: batches(train, { batchSize: r.batchSize, shuffle: r.shuffle, seed: 1, transform }),
    });
    const testBatches = batches(test, { batchSize: r.testBatchSize, shuffle: false, transform });
    const result = await evaluate(model, testBatches, { loss: r.lossFn });
    return result.accuracy * 100;
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}
