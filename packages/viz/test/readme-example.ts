// draw.ts — pictures of a run, from plain data
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadMnistSplit } from '@cnn/datasets';
import {
  confusionCounts,
  readRunLog,
  renderConfusionMatrix,
  renderDigitGrid,
  renderTrainingCurves,
  renderRun,
} from '@cnn/viz';

export async function draw(runDir: string, outDir: string, predicted: Int32Array): Promise<string[]> {
  fs.mkdirSync(outDir, { recursive: true });
  // Loss and accuracy against the step, from the JSON lines @cnn/train's fit() wrote.
  const curves = await renderTrainingCurves(readRunLog(path.join(runDir, 'metrics.jsonl')));
  fs.writeFileSync(path.join(outDir, 'curves.png'), curves.png);
  fs.writeFileSync(path.join(outDir, 'curves.svg'), curves.svg);

  // The first 40 test digits, 10 a row, true class above each, mistakes framed in red.
  const test = loadMnistSplit('test');
  const grid = renderDigitGrid(test, { count: 40, labels: test.labels, predictions: predicted });
  fs.writeFileSync(path.join(outDir, 'digits.png'), grid.png);

  // A confusion matrix from plain arrays of class ids (rows: true class).
  const labels = test.labels.subarray(0, predicted.length);
  const matrix = await renderConfusionMatrix(confusionCounts(labels, predicted, 10));
  fs.writeFileSync(path.join(outDir, 'confusion.png'), matrix.png);

  // Or everything at once, with the saved model: what `cnn-viz <run-dir>` does.
  const all = await renderRun(runDir, { outDir: path.join(outDir, 'all') });
  return all.files;
}
