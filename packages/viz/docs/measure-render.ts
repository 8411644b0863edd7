/**
 * Times one chart: the training curves of a run directory (default runs/example-002, made by
 * `pnpm --filter @cnn/viz examples`), as SVG (Vega) and as PNG (resvg), first call and the
 * median of 10 more.
 *
 *   pnpm --filter @cnn/viz measure [--run <dir>]
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readRunLog, svgToPng, trainingCurvesSpec, vegaLiteToSvg } from '../src/index';

const { values } = parseArgs({ options: { run: { type: 'string' } } });
const log = readRunLog(path.join(path.resolve(values.run ?? 'runs/example-002'), 'metrics.jsonl'));
const time = async (fn: () => unknown) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const spec = trainingCurvesSpec(log);
let svg = '';
const firstSvg = await time(async () => {
  svg = await vegaLiteToSvg(spec);
});
const firstPng = await time(() => svgToPng(svg));
const svgTimes: number[] = [];
const pngTimes: number[] = [];
for (let i = 0; i < 10; i++) {
  svgTimes.push(await time(() => vegaLiteToSvg(trainingCurvesSpec(log))));
  pngTimes.push(await time(() => svgToPng(svg)));
}
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`${log.steps.length} batch points, ${log.epochs.length} epochs, ${log.validations.length} validations`);
console.log(`SVG: first ${firstSvg.toFixed(0)} ms (loads Vega), then median ${median(svgTimes).toFixed(0)} ms`);
console.log(`PNG: first ${firstPng.toFixed(0)} ms (loads the font), then median ${median(pngTimes).toFixed(0)} ms`);
