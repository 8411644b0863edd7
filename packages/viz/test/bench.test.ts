import { describe, expect, test } from 'vitest';
import { benchRows, decodePng, renderBenchChart } from '../src/index';
import { vizError } from './helpers';

const report = {
  rows: [
    { model: '000', backend: 'pytorch', trainImgPerSec: 938, inferImgPerSec: 2786, extra: 1 },
    { model: '000', backend: 'native', trainImgPerSec: 835, inferImgPerSec: 3634 },
    { model: '002', backend: 'pytorch', trainImgPerSec: 12316, inferImgPerSec: 25874 },
    { model: '002', backend: 'native', trainImgPerSec: 6984, inferImgPerSec: 24500 },
    { model: '002', backend: 'wasm', trainImgPerSec: 2516, inferImgPerSec: 11780 },
    { model: '003', backend: 'wasm', error: 'crashed' },
  ],
};

describe('bench chart', () => {
  test('one bar per model, backend and metric, each labelled with its figure', async () => {
    const rows = benchRows(report);
    expect(rows).toHaveLength(5); // the row without figures is left out
    const { svg, png } = await renderBenchChart(rows);
    const bars = [...svg.matchAll(/<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/gs)].map(
      (m) => (m[1]!.match(/<path /g) ?? []).length,
    );
    expect(bars).toEqual([5, 5]);
    // Every bar has a width (a log scale with stacked bars from 0 would draw them all empty).
    const widths = [...svg.matchAll(/aria-roledescription="bar" d="M[\d.]+,[\d.]+h([\d.]+)v/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths).toHaveLength(10);
    for (const w of widths) expect(w).toBeGreaterThan(5);
    expect(widths[2]).toBeGreaterThan(widths[0]!); // 12,316 img/s is drawn longer than 938
    for (const t of ['12,316', '25,874', '3,634', 'training', 'inference', 'images per second (log scale)']) {
      expect(svg).toContain(`>${t}</text>`);
    }
    expect(decodePng(png).width).toBeGreaterThan(800);
  });

  test('a report without usable rows is a typed error naming the file', async () => {
    expect((await vizError(() => benchRows({}, 'b.json'), 'bad-input')).message).toContain('b.json');
    await vizError(() => benchRows({ rows: [{ model: 'x' }] }), 'bad-input');
  });
});
