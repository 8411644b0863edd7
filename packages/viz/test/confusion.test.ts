import { describe, expect, test } from 'vitest';
import { confusionCounts, confusionMatrixSpec, decodePng, renderConfusionMatrix } from '../src/index';
import { vizError } from './helpers';

describe('confusion matrix', () => {
  const actual = [0, 0, 1, 1, 1, 2, 2, 2, 2, 0];
  const predicted = [0, 1, 1, 1, 2, 2, 2, 2, 0, 0];

  test('counts: rows are true classes and they sum to the set size', () => {
    const counts = confusionCounts(actual, predicted, 3);
    expect(counts).toEqual([
      [2, 1, 0],
      [0, 2, 1],
      [1, 0, 3],
    ]);
    expect(counts.flat().reduce((a, b) => a + b, 0)).toBe(actual.length);
  });

  test('the chart shows every non-zero count, summing to the set size, and per-class accuracy', async () => {
    const counts = confusionCounts(actual, predicted, 3);
    const { svg, png } = await renderConfusionMatrix(counts, { classNames: ['zero', 'one', 'two'] });
    const textGroup = /<g class="mark-text role-mark[^"]*"[^>]*>(.*?)<\/g>/s.exec(svg)![1]!;
    const numbers = [...textGroup.matchAll(/>(\d+)<\/text>/g)].map((m) => Number(m[1]));
    expect(numbers.reduce((a, b) => a + b, 0)).toBe(10);
    expect(numbers).toHaveLength(6); // zero cells are left blank
    for (const t of ['66.7%', '75.0%', 'true class', 'predicted class', 'accuracy 70.00%', 'zero', 'two']) {
      expect(svg).toContain(t);
    }
    const img = decodePng(png);
    expect(img.width).toBeGreaterThan(500);
    expect(img.height).toBeGreaterThan(500);
  });

  test('bad input is a typed error', async () => {
    await vizError(() => confusionCounts([0, 3], [0, 1], 3), 'bad-input');
    await vizError(() => confusionCounts([0], [0, 1], 3), 'bad-input');
    await vizError(() => confusionCounts([0], [0], 0), 'bad-input');
    await vizError(() => confusionMatrixSpec([[1, 2]]), 'bad-input');
  });
});
