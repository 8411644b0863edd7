import * as tf from '@tensorflow/tfjs-core';
import type { Module } from './module';
import { formatShape, ShapeError } from './shape-error';
import { type TraceEvent, traceForward } from './trace';

export interface SummaryRow {
  /** Module path (`conv1`, `classifier.0`) or the functional op's name (`relu`). */
  name: string;
  /** Module class (`Conv2d`) or `functional`. */
  type: string;
  /** Output shape with the batch dimension as given to the dry run. */
  outputShape: number[];
  /** Parameters owned by this layer. */
  params: number;
}

export interface SummaryResult {
  rows: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  /** The printed table. */
  text: string;
}

export interface SummaryOptions {
  /** Where the table goes (default console.log); false prints nothing. */
  print?: ((text: string) => void) | false;
}

/**
 * Runs the model once on zeros of shape [1, ...inputShape] (NHWC, without the batch
 * dimension) in eval mode and prints each layer with its output shape and parameter
 * count, then the totals. Running statistics and random state are not touched.
 * A layer that rejects its input throws a ShapeError that includes the table so far.
 */
export function summary(model: Module, inputShape: number[], options: SummaryOptions = {}): SummaryResult {
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  model.eval();
  const rows: SummaryRow[] = [];
  const events: TraceEvent[] = [];
  try {
    tf.tidy(() => {
      const x = tf.zeros([1, ...inputShape]);
      try {
        traceForward(() => model.apply(x), events);
      } catch (err) {
        rows.push(...events.map(toRow));
        if (err instanceof ShapeError) throw withTable(err, inputShape, rows);
        throw err;
      }
      rows.push(...events.map(toRow));
    });
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
  let totalParams = 0;
  let trainableParams = 0;
  for (const p of model.parameters()) {
    totalParams += p.size;
    if (p.trainable) trainableParams += p.size;
  }
  const text = [
    formatTable(inputShape, rows),
    `Total params: ${group(totalParams)}`,
    `Trainable params: ${group(trainableParams)}`,
    `Non-trainable params: ${group(totalParams - trainableParams)}`,
  ].join('\n');
  const print = options.print ?? ((t: string) => console.log(t));
  if (print) print(text);
  return { rows, totalParams, trainableParams, text };
}

function toRow(e: TraceEvent): SummaryRow {
  if (e.kind === 'module' && e.module) {
    const params = e.module.parameters().reduce((n, p) => n + p.size, 0);
    return { name: e.module.path || '(model)', type: e.module.constructor.name, outputShape: e.output.shape, params };
  }
  return { name: e.op ?? '?', type: 'functional', outputShape: e.output.shape, params: 0 };
}

function formatTable(inputShape: number[], rows: SummaryRow[]): string {
  const lines: [string, string, string][] = [
    ['Layer (type)', 'Output shape', 'Param #'],
    ['input', formatShape([1, ...inputShape]), '0'],
    ...rows.map((r): [string, string, string] => [
      `${r.name} (${r.type})`,
      formatShape(r.outputShape),
      group(r.params),
    ]),
  ];
  const w0 = Math.max(...lines.map((l) => l[0].length)) + 2;
  const w1 = Math.max(...lines.map((l) => l[1].length)) + 2;
  const w2 = Math.max(...lines.map((l) => l[2].length));
  const fmt = (l: [string, string, string]) => l[0].padEnd(w0) + l[1].padEnd(w1) + l[2].padStart(w2);
  const rule = '='.repeat(w0 + w1 + w2);
  const [head, ...body] = lines;
  return [fmt(head as [string, string, string]), rule, ...body.map(fmt), rule].join('\n');
}

function withTable(err: ShapeError, inputShape: number[], rows: SummaryRow[]): ShapeError {
  const last = rows.at(-1);
  const from = last ? `the output of ${last.name} (${last.type}), ${formatShape(last.outputShape)}` : 'the model input';
  const message = `${err.message}\nIts input was ${from}. Shapes up to there:\n${formatTable(inputShape, rows)}`;
  const wrapped = new ShapeError(message, err.modulePath, err.inputShape);
  wrapped.cause = err;
  return wrapped;
}

/** 3274634 → "3,274,634". */
function group(n: number): string {
  return n.toLocaleString('en-US');
}
