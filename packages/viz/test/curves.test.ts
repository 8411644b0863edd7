import { describe, expect, test } from 'vitest';
import { decodePng, downsample, parseRunLog, renderTrainingCurves, trainingCurvesSpec } from '../src/index';
import { symbolCounts, syntheticLog, vizError } from './helpers';

describe('training curves', () => {
  test('the SVG holds the axis titles and one dot per epoch and validation record', async () => {
    const log = parseRunLog(syntheticLog(3, 20));
    const { svg, png } = await renderTrainingCurves(log);
    for (const title of ['loss', 'accuracy', 'step (dotted lines: ends of epochs)', 'Training curves']) {
      expect(svg).toContain(`>${title}</text>`);
    }
    // Loss and accuracy panels: 3 epoch means + 3 validations each.
    expect(symbolCounts(svg)).toEqual([6, 6]);
    expect(svg).not.toContain('learning rate'); // constant lr: no panel
    for (const e of [1, 2, 3]) expect(svg).toContain(`>epoch ${e}</text>`);
    const image = decodePng(png);
    expect(image.width).toBeGreaterThan(1200); // 640-unit panels at scale 2
    expect(image.height).toBeGreaterThan(600);
  });

  test('a learning rate that changes gets its own panel', async () => {
    const log = parseRunLog(syntheticLog(2, 10, (s) => (s < 10 ? 0.1 : 0.01)));
    const { svg } = await renderTrainingCurves(log);
    expect(svg).toContain('>learning rate</text>');
  });

  test('a single point still draws a visible dot', async () => {
    const log = parseRunLog('{"type":"batch","epoch":0,"batch":1,"step":1,"lr":0.1,"loss":2.3}');
    const spec = trainingCurvesSpec(log);
    expect(JSON.stringify(spec)).toContain('no end record');
    const { svg, png } = await renderTrainingCurves(log);
    expect(symbolCounts(svg)).toEqual([1]);
    const image = decodePng(png);
    // Some pixel of the plot is the batch series colour (#9ecae1), so the chart is not empty.
    let found = false;
    for (let i = 0; i < image.data.length && !found; i += image.channels) {
      found = image.data[i] === 0x9e && image.data[i + 1] === 0xca && image.data[i + 2] === 0xe1;
    }
    expect(found).toBe(true);
  });

  test('NaN losses are left out and counted', async () => {
    const lines = syntheticLog(1, 10).split('\n');
    lines[3] = lines[3]!.replace(/"loss":[0-9.]+/, '"loss":null');
    lines[4] = lines[4]!.replace(/"loss":[0-9.]+/, '"loss":null');
    const { svg } = await renderTrainingCurves(parseRunLog(lines.join('\n')));
    expect(svg).toContain('2 non-finite batch losses not drawn');
    expect(svg).not.toContain('NaN');
  });

  test('a log whose every value is NaN is a typed error, not an empty chart', async () => {
    const log = parseRunLog(
      '{"type":"batch","epoch":0,"batch":1,"step":1,"lr":null,"loss":null}\n{"type":"epoch","epoch":0,"steps":1,"loss":null,"accuracy":null,"lr":null}',
    );
    const err = await vizError(() => renderTrainingCurves(log), 'empty-log');
    expect(err.message).toContain('1 non-finite batch loss not drawn');
  });

  test('1 000 000 batch points are thinned to at most 2 000, keeping the extremes', async () => {
    const n = 1_000_000;
    const steps = Array.from({ length: n }, (_, i) => ({
      step: i + 1,
      epoch: 0,
      loss: 1 + Math.sin(i / 1000),
      lr: 0.1,
    }));
    steps[123_457]!.loss = 50; // a spike must survive
    const thin = downsample(steps, (p) => p.loss, 1000);
    expect(thin.length).toBeLessThanOrEqual(2000);
    expect(thin.length).toBeGreaterThan(1000);
    expect(Math.max(...thin.map((p) => p.loss))).toBe(50);
    expect(thin.every((p, i) => i === 0 || p.step > thin[i - 1]!.step)).toBe(true);
    const log = { steps, epochs: [], validations: [], skippedLines: 0 };
    const { svg } = await renderTrainingCurves(log);
    expect(svg).toContain('1,000,000 batch losses drawn as');
    const linePath = /<g class="mark-line role-mark[^"]*"[^>]*><path[^>]*d="([^"]*)"/.exec(svg)![1]!;
    expect(linePath.split('L').length).toBe(thin.length);
  });
});
