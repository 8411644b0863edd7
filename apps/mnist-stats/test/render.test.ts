import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { loadMnist } from '@cnn/datasets';
import { beforeAll, describe, expect, test } from 'vitest';
import { asciiImage, bar, groupDigits, sideBySide, table, trimCommonMargin } from '../src/render';
import { report } from '../src/report';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('text helpers', () => {
  test('digit grouping and bars', () => {
    expect(groupDigits(60000)).toBe('60 000');
    expect(groupDigits(1567298545)).toBe('1 567 298 545');
    expect(groupDigits(980)).toBe('980');
    expect(bar(10, 10, 4)).toBe('████');
    expect(bar(5, 10, 3)).toBe('█▌');
    expect(bar(0, 10, 3)).toBe('');
  });

  test('ascii image averages row pairs onto the ramp', () => {
    const pixels = new Uint8Array([0, 255, 255, 0, 0, 255]);
    expect(asciiImage(pixels, 2, 3)).toEqual([' =@']);
    expect(asciiImage(new Uint8Array([0, 255, 128]), 3, 1)).toEqual(['=', '+']);
  });

  test('tables align, side-by-side wraps to the width, margins trim', () => {
    expect(
      table(
        [
          ['a', '1'],
          ['bbb', '22'],
        ],
        new Set([1]),
      ),
    ).toEqual(['a     1', 'bbb  22']);
    const blocks = [
      { title: 'A', lines: ['xx', 'yy'] },
      { title: 'B', lines: ['zz'] },
    ];
    expect(sideBySide(blocks, 7, 3)).toEqual(['A    B', 'xx   zz', 'yy', '']);
    expect(sideBySide(blocks, 6, 3)).toEqual(['A', 'xx', 'yy', '', 'B', 'zz', '']);
    expect(
      trimCommonMargin([
        ['    ', ' ab ', '    '],
        ['    ', '  c ', '    '],
      ]),
    ).toEqual([['ab'], [' c']]);
  });
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
