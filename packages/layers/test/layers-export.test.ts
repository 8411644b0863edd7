import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expectClose } from '@cnn/testing';
import { afterAll, expect, it } from 'vitest';
import {
  AvgPool2d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  ExportError,
  exportLayersModel,
  F,
  Flatten,
  Linear,
  LogSoftmax,
  MaxPool2d,
  Module,
  manualSeed,
  ReLU,
  Sequential,
} from '../src/index';
import { Net } from './tutorial-model';

const root = mkdtempSync(join(tmpdir(), 'cnn-layers-export-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An IOHandler that reads what exportLayersModel wrote, as a browser fetch would. */
function fromDisk(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      const group = json.weightsManifest[0];
      const bin = readFileSync(join(dir, group.paths[0]));
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: group.weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      };
    },
  };
}

async function expectSamePredictions(model: Module, dir: string, inputShape: number[]): Promise<tfl.LayersModel> {
  const loaded = await tfl.loadLayersModel(fromDisk(dir));
  model.eval();
  tf.tidy(() => {
    const x = tf.randomNormal([4, ...inputShape], 0, 1, 'float32', 11);
    const ours = model.apply(x);
    const theirs = loaded.predict(x) as tf.Tensor;
    expectClose(theirs, ours, { rtol: 1e-4, atol: 1e-5 });
  });
  return loaded;
}

it('exports a Sequential with padding, stride, batch norm and dropout that tf.loadLayersModel runs', async () => {
  manualSeed(5);
  const model = new Sequential(
    new Conv2d(1, 4, 3, { padding: 1 }),
    new BatchNorm2d(4),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(4, 6, 3, { stride: 2, padding: 1 }),
    new AvgPool2d(2),
    new Flatten(),
    new Linear(6 * 1 * 1, 8),
    new Dropout(0.25),
    new Linear(8, 3, { bias: false }),
    new LogSoftmax(),
  );
  for (let i = 0; i < 3; i++) tf.tidy(() => model.apply(tf.randomNormal([5, 9, 9, 1], 1, 2, 'float32', i)));
  const dir = join(root, 'seq');
  const json = (await exportLayersModel(model, dir, [9, 9, 1])) as {
    modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  };
  const layers = json.modelTopology.config.layers;
  expect(layers.map((l) => l.class_name)).toEqual([
    'Conv2D',
    'BatchNormalization',
    'Activation',
    'MaxPooling2D',
    'ZeroPadding2D',
    'Conv2D',
    'AveragePooling2D',
    'Flatten',
    'Dense',
    'Dropout',
    'Dense',
    'Activation',
  ]);
  expect(layers[0]?.config).toMatchObject({ name: 'conv2d_1', padding: 'same', batch_input_shape: [null, 9, 9, 1] });
  expect(layers[1]?.config).toMatchObject({ momentum: 0.9, epsilon: 1e-5 });
  expect(layers[4]?.config.padding).toEqual([
    [1, 1],
    [1, 1],
  ]);
  expect(model.training).toBe(true);
  const loaded = await expectSamePredictions(model, dir, [9, 9, 1]);
  expect(loaded.weights.map((w) => w.originalName)).toContain('batch_normalization_1/moving_mean');
  loaded.dispose();
  model.dispose();
});

it('exports a user model written with functional ops', async () => {
  const net = new Net();
  const dir = join(root, 'net');
  await exportLayersModel(net, dir, [28, 28, 1]);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  expect(json.format).toBe('layers-model');
  expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual([
    'conv2d_1/kernel',
    'conv2d_1/bias',
    'conv2d_2/kernel',
    'conv2d_2/bias',
    'dense_1/kernel',
    'dense_1/bias',
    'dense_2/kernel',
    'dense_2/bias',
  ]);
  const loaded = await expectSamePredictions(net, dir, [28, 28, 1]);
  loaded.dispose();
  net.dispose();
});

class Reshaping extends Module {
  conv = this.registerModule('conv', new Conv2d(1, 2, 3));
  fc = this.registerModule('fc', new Linear(2 * 4 * 4, 2));
  forward(x: tf.Tensor): tf.Tensor {
    return this.fc.apply(tf.reshape(this.conv.apply(x), [-1, 32]));
  }
}

it('refuses a forward that is not a chain of known layers, saying which step', async () => {
  const model = new Reshaping();
  await expect(exportLayersModel(model, join(root, 'bad'), [6, 6, 1])).rejects.toThrow(ExportError);
  await expect(exportLayersModel(model, join(root, 'bad'), [6, 6, 1])).rejects.toThrow(
    "cannot export Reshaping: the input of 'fc' (Linear) is not the output of 'conv' (Conv2d). Only a straight chain",
  );
  expect(model.training).toBe(true);
  model.dispose();
  const flat = new Sequential(new Flatten(), new Linear(4, 2));
  const loadedOk = await exportLayersModel(flat, join(root, 'flat'), [2, 2, 1]);
  expect(loadedOk).toHaveProperty('weightsManifest');
  expect(F.flatten).toBeTypeOf('function');
  flat.dispose();
});
