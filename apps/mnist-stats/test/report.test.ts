import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { loadMnist } from '@cnn/datasets';
import { beforeAll, describe, expect, test } from 'vitest';
import { report } from '../src/report';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('report on the real MNIST', () => {
  test('prints the known counts, mean/std and the first digit labels', () => {
    const lines = report(loadMnist(), { preview: 4, columns: 100, loadMs: 12 });
    const text = lines.join('\n');
    expect(text).toContain('10 classes, loaded and checked in 12 ms');
    expect(lines).toContain('  train  60 000  28×28  0.1307      0.3081');
    expect(lines).toContain('  test   10 000  28×28  0.1325      0.3105');
    expect(lines.find((l) => l.startsWith('      1  6 742'))).toContain('1 135');
    expect(text).toMatch(/x float32 \[64, 28, 28, 1\], mean -?0\.0\d\d, std 0\.9\d\d/);
    expect(text).toContain('#0: 5');
    expect(text).toContain('#3: 1');
    expect(tf.memory().numTensors).toBe(0);
  });
});
