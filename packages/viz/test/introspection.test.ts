import { Conv2d, F, Flatten, Linear, Module, Sequential } from '@cnn/layers';
import { recipe } from '@cnn/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { convFilters, decodePng, featureMaps, featureMapsSvg, filtersSvg, renderFilters } from '../src/index';
import { fastBackend, vizError } from './helpers';

beforeAll(fastBackend);

/** A user model that is not a Sequential and pools through the functional API. */
class Net extends Module {
  conv1 = this.registerModule('conv1', new Conv2d(1, 3, 3));
  fc = this.registerModule('fc', new Linear(3 * 13 * 13, 10));
  forward(x: tf.Tensor): tf.Tensor {
    return this.fc.apply(F.flatten(F.relu(F.maxPool2d(this.conv1.apply(x), 2))));
  }
}

describe('conv filters', () => {
  test('kernels are read from the HWIO weight: kernels[o][i][y*kw+x] = weight[y][x][i][o]', () => {
    const model = recipe('small-cnn').build();
    try {
      const layers = convFilters(model);
      expect(layers.map((l) => [l.path, l.inChannels, l.outChannels])).toEqual([
        ['0', 1, 10],
        ['3', 10, 20],
      ]);
      const w = model.at(3) as Conv2d;
      const values = w.weight.arraySync() as number[][][][];
      expect(layers[1]!.kernels[7]![4]![2 * 5 + 3]).toBe(Math.fround(values[2]![3]![4]![7]!));
      const bound = Math.max(...(w.weight.dataSync() as Float32Array).map(Math.abs));
      expect(layers[1]!.bound).toBe(bound);
    } finally {
      model.dispose();
    }
  });

  test('the PNG draws each first-layer filter; a positive weight is red, a negative one blue', () => {
    const model = new Sequential(new Conv2d(1, 2, 2, { bias: false }));
    try {
      model.loadStateDict({ '0.weight': tf.tensor4d([1, -1, 0, 0.5, -1, 1, 0.25, 0], [2, 2, 1, 2]) });
      const svg = filtersSvg(model);
      expect(svg).toContain('0: Conv2d(1, 2, kernel_size=(2, 2)');
      const { png } = renderFilters(model, {}, { scale: 1 });
      const img = decodePng(png);
      expect(img.width).toBeGreaterThan(300);
      const colours = new Set<string>();
      for (let i = 0; i < img.data.length; i += img.channels) colours.add(img.data.subarray(i, i + 3).join(','));
      expect(colours.has('178,24,43')).toBe(true); // weight +1 at full red
      expect(colours.has('33,102,172')).toBe(true); // weight -1 at full blue
    } finally {
      model.dispose();
    }
  });

  test('a model without Conv2d is a typed error', async () => {
    const model = new Sequential(new Flatten(), new Linear(4, 2));
    await vizError(() => filtersSvg(model), 'no-model');
    model.dispose();
  });
});

describe('feature maps', () => {
  test('after every conv and pool layer of tutorial 002, with no leak and the mode restored', () => {
    const model = recipe('small-cnn').build();
    const x = tf.randomUniform([28, 28, 1]);
    try {
      model.train(true);
      const before = tf.memory().numTensors;
      const layers = featureMaps(model, x);
      expect(tf.memory().numTensors).toBe(before);
      expect(model.training).toBe(true);
      expect(layers.map((l) => [l.name, l.type, l.shape])).toEqual([
        ['0', 'Conv2d', [1, 24, 24, 10]],
        ['1', 'MaxPool2d', [1, 12, 12, 10]],
        ['3', 'Conv2d', [1, 8, 8, 20]],
        ['4', 'MaxPool2d', [1, 4, 4, 20]],
      ]);
      // Channel 5 of the first conv output, pixel (3, 4), equals a direct conv2d.
      const conv = model.at(0) as Conv2d;
      const direct = tf.tidy(() => conv.apply(tf.expandDims(x, 0)).arraySync() as number[][][][]);
      expect(layers[0]!.maps[5]![3 * 24 + 4]).toBeCloseTo(direct[0]![3]![4]![5]!, 5);
    } finally {
      x.dispose();
      model.dispose();
    }
  });

  test('a user model: module paths and the functional pool are found through the trace', () => {
    const model = new Net();
    const x = tf.randomUniform([1, 28, 28, 1]);
    try {
      const layers = featureMaps(model, x);
      expect(layers.map((l) => [l.name, l.shape])).toEqual([
        ['conv1', [1, 26, 26, 3]],
        ['maxPool2d', [1, 13, 13, 3]],
      ]);
      const svg = featureMapsSvg(model, x, { caption: 'random input' });
      expect(svg).toContain('conv1: Conv2d → [1, 26, 26, 3]');
      expect((svg.match(/<image /g) ?? []).length).toBe(6);
    } finally {
      x.dispose();
      model.dispose();
    }
  });

  test('more than one image is a typed error', async () => {
    const model = new Net();
    const x = tf.zeros([2, 28, 28, 1]);
    await vizError(() => featureMaps(model, x), 'bad-input');
    x.dispose();
    model.dispose();
  });
});
