import { describe, expect, test } from 'vitest';
import {
  asciiImage,
  bar,
  digitPreview,
  groupDigits,
  sideBySide,
  sparkline,
  markdownTable,
  table,
  trimCommonMargin,
} from '../src/terminal';

describe('terminal text', () => {
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

  test('a Markdown table has a header rule, right-aligned numeric columns and at least 3 dashes', () => {
    expect(
      markdownTable(
        [
          ['model', 'n'],
          ['002', '1,234'],
          ['0', '5'],
        ],
        new Set([1]),
      ),
    ).toEqual(['| model |     n |', '|-------|------:|', '| 002   | 1,234 |', '| 0     |     5 |']);
    expect(markdownTable([['a'], ['b']])).toEqual(['| a   |', '|-----|', '| b   |']);
    expect(markdownTable([])).toEqual([]);
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

  test('sparkline: lowest ▁, highest █, means per cell, NaN skipped', () => {
    expect(sparkline([3, 2, 1], 3)).toBe('█▅▁');
    expect(sparkline([0, 0, 10, 10], 2)).toBe('▁█');
    expect(sparkline([1, Number.NaN, 2], 3)).toBe('▁ █');
    expect(sparkline([5, 5], 4)).toBe('▁▁');
    expect(sparkline([], 4)).toBe('');
    expect([
      ...sparkline(
        Array.from({ length: 1000 }, (_, i) => i),
        40,
      ),
    ]).toHaveLength(40);
  });

  test('digit preview: chosen images side by side under their titles, blank margins trimmed', () => {
    // Two 4×3 images: a vertical bar in column 1, and a full last row.
    const images = new Uint8Array([
      0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255,
    ]);
    const lines = digitPreview({ images, height: 4, width: 3 }, [
      { index: 1, title: 'B' },
      { index: 0, title: 'A' },
    ]);
    expect(lines).toEqual(['B     A', '       @', '===    @', '']);
  });
});
