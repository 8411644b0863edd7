import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it } from 'vitest';
import {
  ArchitectureError,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  fromConfig,
  Linear,
  LogSoftmax,
  loadModel,
  loadState,
  MaxPool2d,
  ModelFileError,
  ReLU,
  Sequential,
  saveModel,
} from '../src/index';
import { Net } from './tutorial-model';

const root = mkdtempSync(join(tmpdir(), 'cnn-layers-save-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function sequentialModel(): Sequential {
  return new Sequential(
    new Conv2d(1, 4, 3, { padding: 1 }),
    new BatchNorm2d(4),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(4, 6, [3, 2], { stride: 2, bias: false }),
    new Flatten(),
    new Linear(6 * 1 * 2, 5),
    new Dropout(0.3),
    new LogSoftmax(),
  );
}

function values(t: tf.Tensor | undefined): number[] {
  return Array.from(t?.dataSync() ?? []);
}

it('saves a Sequential and rebuilds it from model.json + weights.bin', async () => {
  const model = sequentialModel();
  tf.tidy(() => model.apply(tf.randomNormal([3, 9, 9, 1], 0, 1, 'float32', 1))); // move BN stats
  const dir = join(root, 'seq');
  const json = await saveModel(model, dir, { metadata: { epoch: 3 } });
  expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
  expect(json.weightsManifest[0]?.paths).toEqual(['weights.bin']);
  expect(json.weightsManifest[0]?.weights.map((w) => `${w.name}:${w.dtype}:${w.shape}`)).toEqual([
    '0.weight:float32:3,3,1,4',
    '0.bias:float32:4',
    '1.weight:float32:4',
    '1.bias:float32:4',
    '4.weight:float32:3,2,4,6',
    '6.weight:float32:12,5',
    '6.bias:float32:5',
    '1.running_mean:float32:4',
    '1.running_var:float32:4',
    '1.num_batches_tracked:int32:',
  ]);
  expect(readFileSync(join(dir, 'weights.bin')).byteLength).toBe(4 * (36 + 4 + 4 + 4 + 144 + 60 + 5 + 4 + 4 + 1));
  const onDisk = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  expect(onDisk.metadata).toEqual({ epoch: 3 });
  expect(onDisk.modelTopology.layers[4]).toEqual({
    type: 'Conv2d',
    inChannels: 4,
    outChannels: 6,
    kernelSize: [3, 2],
    stride: [2, 2],
    padding: [0, 0],
    bias: false,
  });

  const loaded = await loadModel(dir);
  expect(loaded.toString()).toBe(model.toString());
  for (const [name, t] of Object.entries(model.stateDict()))
    expect(values(loaded.stateDict()[name])).toEqual(values(t));
  model.eval();
  loaded.eval();
  const [a, b] = tf.tidy(() => {
    const x = tf.randomNormal([2, 9, 9, 1], 0, 1, 'float32', 2);
    return [model.apply(x), loaded.apply(x)];
  });
  expect(values(b)).toEqual(values(a));
  tf.dispose([a, b]);
  model.dispose();
  loaded.dispose();
});

it('saves a user model without architecture and loads into a new instance', async () => {
  const net = new Net();
  const dir = join(root, 'net');
  const json = await saveModel(net, dir);
  expect(json.modelTopology).toBeNull();
  await expect(loadModel(dir)).rejects.toThrow(/has no architecture .* pass a new instance of the model class/);
  await expect(saveModel(net, join(root, 'x'), { architecture: true })).rejects.toThrow(ModelFileError);
  const fresh = new Net();
  const same = await loadModel(dir, fresh);
  expect(same).toBe(fresh);
  expect(values(fresh.fc2.weight)).toEqual(values(net.fc2.weight));
  const state = await loadState(dir);
  expect(Object.keys(state)).toHaveLength(8);
  tf.dispose(Object.values(state));
  net.dispose();
  fresh.dispose();
});

it('overwrites atomically and reports broken directories clearly', async () => {
  const model = new Sequential(new Linear(2, 2));
  const dir = join(root, 'bad');
  await saveModel(model, dir);
  await saveModel(model, dir);
  expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
  await expect(loadModel(join(root, 'missing'))).rejects.toThrow(/cannot read .*missing\/model\.json/);
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(7));
  await expect(loadState(dir)).rejects.toThrow(
    /weights\.bin has 7 bytes but model\.json describes 24 bytes of weights/,
  );
  writeFileSync(join(dir, 'model.json'), '{"format": "other"}');
  await expect(loadModel(dir)).rejects.toThrow('field "format" should be "cnn-layers-model" but is "other"');
  writeFileSync(join(dir, 'model.json'), '{oops');
  await expect(loadModel(dir)).rejects.toThrow(/model\.json is not valid JSON/);
  const other = new Sequential(new Linear(2, 3));
  await saveModel(other, dir);
  await expect(loadModel(dir, model)).rejects.toThrow(
    'state dict entry "0.weight" has shape [2,3] but the model expects [2,2]',
  );
  expect(() => fromConfig({ type: 'Conv3d' })).toThrow(ArchitectureError);
  expect(() => fromConfig({ type: 'Linear', inFeatures: 'x' })).toThrow(
    'Linear config field "inFeatures" must be a number, got "x"',
  );
  model.dispose();
  other.dispose();
});
