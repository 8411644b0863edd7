import { loadMnistSplit } from '@cnn/datasets';
import { describe, expect, test } from 'vitest';
import { confidentlyWrong, decodePng, digitGridSvg, renderDigitGrid, svgToPng } from '../src/index';
import { vizError } from './helpers';

const test10k = loadMnistSplit('test');
const { height: H, width: W } = test10k;

/** The RGB(A) pixel at (x, y) of a decoded PNG. */
function pixel(img: ReturnType<typeof decodePng>, x: number, y: number): number[] {
  const i = (y * img.width + x) * img.channels;
  return Array.from(img.data.subarray(i, i + img.channels));
}

describe('digit grid', () => {
  test('tutorial 004: the first 40 digits in a 4×10 grid; every cell repeats its digit pixel for pixel', () => {
    const { svg, layout } = digitGridSvg(test10k, { labels: test10k.labels, count: 40, scale: 3 });
    expect(layout.cells).toHaveLength(40);
    expect(new Set(layout.cells.map((c) => c.y)).size).toBe(4);
    expect(new Set(layout.cells.map((c) => c.x)).size).toBe(10);
    const img = decodePng(svgToPng(svg, { scale: 1 }));
    expect([img.width, img.height]).toEqual([layout.width, layout.height]);
    for (const cell of layout.cells) {
      for (let r = 0; r < H; r++) {
        for (let c = 0; c < W; c++) {
          const ink = 255 - test10k.images[cell.index * H * W + r * W + c]!;
          // The centre of each 3×3 block is the source pixel, as dark ink on white.
          const [red, green, blue] = pixel(img, cell.x + c * 3 + 1, cell.y + r * 3 + 1);
          if (red !== ink || green !== ink || blue !== ink) {
            throw new Error(`cell ${cell.index} pixel (${r}, ${c}): drawn ${red},${green},${blue}, source ink ${ink}`);
          }
        }
      }
    }
    for (const label of [7, 2, 1, 0, 4]) expect(svg).toContain(`>${label}</text>`);
  });

  test('at PNG scale 2 each source pixel is a 6×6 block of one value', () => {
    const { svg, layout } = digitGridSvg(test10k, { indices: [0], scale: 3 });
    const img = decodePng(svgToPng(svg, { scale: 2 }));
    expect([img.width, img.height]).toEqual([layout.width * 2, layout.height * 2]);
    const { x, y } = layout.cells[0]!;
    for (let r = 0; r < H; r += 3) {
      for (let c = 0; c < W; c += 3) {
        const ink = 255 - test10k.images[r * W + c]!;
        for (const [dx, dy] of [
          [0, 0],
          [5, 5],
          [2, 4],
        ] as const) {
          expect(pixel(img, (x + c * 3) * 2 + dx, (y + r * 3) * 2 + dy)[0]).toBe(ink);
        }
      }
    }
  });

  test('mistakes are framed in red and captioned true → predicted', () => {
    const predictions = Uint8Array.from(test10k.labels.subarray(0, 10));
    predictions[3] = (predictions[3]! + 1) % 10; // one wrong prediction
    const { svg, layout } = digitGridSvg(test10k, { count: 10, labels: test10k.labels, predictions, scale: 2 });
    expect(svg).toContain(`>${test10k.labels[3]} → ${predictions[3]}</text>`);
    expect((svg.match(/stroke="#c62828"/g) ?? []).length).toBe(1);
    const img = decodePng(svgToPng(svg, { scale: 1 }));
    const wrong = layout.cells[3]!;
    expect(pixel(img, wrong.x - 1, wrong.y + 20).slice(0, 3)).toEqual([0xc6, 0x28, 0x28]);
    const right = layout.cells[2]!;
    expect(pixel(img, right.x - 1, right.y + 20)[0]).toBeGreaterThan(150); // light grey frame, not red
  });

  test('confidently wrong: sorted by the wrong class probability, with the top 3', () => {
    // 4 examples × 3 classes
    const probs = [0.1, 0.8, 0.1, 0.6, 0.3, 0.1, 0.2, 0.2, 0.6, 0.05, 0.9, 0.05];
    const labels = [1, 1, 2, 0];
    const wrong = confidentlyWrong(probs, labels, 5, 3);
    expect(wrong.map((m) => m.index)).toEqual([3, 1]);
    expect(wrong[0]).toMatchObject({ label: 0, predicted: 1, confidence: 0.9 });
    expect(wrong[0]!.top.map((t) => t.cls)).toEqual([1, 0, 2]);
    const grid = renderDigitGrid(test10k, {
      indices: wrong.map((m) => m.index),
      labels,
      predictions: wrong.map((m) => m.predicted),
      captions: wrong.map((m) => m.top.map((t) => `${t.cls}: ${(t.p * 100).toFixed(1)}%`)),
    });
    expect(grid.svg).toContain('>1: 90.0%</text>');
    // Two cells under a long title: the picture is as wide as the title, not cut off.
    const titled = digitGridSvg(test10k, {
      indices: [0, 1],
      title: 'Most confidently wrong test digits, with the top-3 probabilities',
    });
    expect(titled.layout.width).toBeGreaterThan(600);
    expect(decodePng(grid.png).height).toBeGreaterThan(2 * (H * 3 + 3 * 14));
  });

  test('bad input is a typed error naming the problem', async () => {
    expect((await vizError(() => digitGridSvg(test10k, { indices: [10_000] }), 'bad-input')).message).toContain(
      '10000',
    );
    await vizError(() => digitGridSvg(test10k, { indices: [] }), 'bad-input');
    await vizError(() => digitGridSvg(test10k, { count: 2, captions: [['a']] }), 'bad-input');
    await vizError(() => digitGridSvg(test10k, { scale: 1.5 }), 'bad-input');
    await vizError(() => confidentlyWrong([0.5, 0.5, 0.1], [0, 1]), 'bad-input');
  });
});
