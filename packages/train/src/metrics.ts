import * as tf from '@tensorflow/tfjs-core';
import { LossInputError } from './errors';

/** A (weighted) running mean, e.g. of the loss over an epoch. */
export class RunningMean {
  private sum = 0;
  private weight = 0;

  update(value: number, weight = 1): void {
    this.sum += value * weight;
    this.weight += weight;
  }

  /** Mean so far; NaN before the first update. */
  get value(): number {
    return this.weight === 0 ? Number.NaN : this.sum / this.weight;
  }

  get count(): number {
    return this.weight;
  }

  reset(): void {
    this.sum = 0;
    this.weight = 0;
  }
}

/**
 * Predicted and true class ids as plain arrays. `output` is `[N, C]` scores (argmax is taken)
 * or `[N]` class ids; `labels` is `[N]` class ids or `[N, C]` one-hot.
 */
export function classIds(output: tf.Tensor, labels: tf.Tensor): { predicted: Int32Array; actual: Int32Array } {
  const n = output.shape[0];
  if (labels.shape[0] !== n) {
    throw new LossInputError(`metrics: output has ${n} rows but labels have ${labels.shape[0]}`);
  }
  const [p, a] = tf.tidy(() => [
    output.rank === 2 ? tf.argMax(output, 1) : tf.cast(output, 'int32'),
    labels.rank === 2 ? tf.argMax(labels, 1) : tf.cast(labels, 'int32'),
  ]);
  const predicted = Int32Array.from(p!.dataSync());
  const actual = Int32Array.from(a!.dataSync());
  p!.dispose();
  a!.dispose();
  return { predicted, actual };
}

/** Fraction of correct predictions, accumulated over batches. */
export class Accuracy {
  correct = 0;
  total = 0;

  update(output: tf.Tensor, labels: tf.Tensor): void {
    const { predicted, actual } = classIds(output, labels);
    for (let i = 0; i < predicted.length; i++) if (predicted[i] === actual[i]) this.correct += 1;
    this.total += predicted.length;
  }

  /** Correct / total; NaN before the first update. */
  get value(): number {
    return this.total === 0 ? Number.NaN : this.correct / this.total;
  }

  reset(): void {
    this.correct = 0;
    this.total = 0;
  }
}

/** Counts of (true class, predicted class) pairs; rows are true classes. */
export class ConfusionMatrix {
  readonly counts: number[][];

  constructor(readonly numClasses: number) {
    if (!(Number.isInteger(numClasses) && numClasses > 0)) {
      throw new LossInputError(`ConfusionMatrix: numClasses must be a positive integer, got ${numClasses}`);
    }
    this.counts = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  }

  /** Adds a batch of model outputs (or predicted ids) against labels. */
  update(output: tf.Tensor, labels: tf.Tensor): void {
    const { predicted, actual } = classIds(output, labels);
    this.add(predicted, actual);
  }

  /** Adds class ids directly. */
  add(predicted: ArrayLike<number>, actual: ArrayLike<number>): void {
    for (let i = 0; i < predicted.length; i++) {
      const t = actual[i]!;
      const p = predicted[i]!;
      if (!(t >= 0 && t < this.numClasses && p >= 0 && p < this.numClasses)) {
        throw new LossInputError(
          `ConfusionMatrix: class id out of range [0, ${this.numClasses}): true ${t}, predicted ${p}`,
        );
      }
      this.counts[t]![p]! += 1;
    }
  }

  get total(): number {
    return this.counts.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  }

  get correct(): number {
    return this.counts.reduce((s, row, i) => s + row[i]!, 0);
  }

  get accuracy(): number {
    const total = this.total;
    return total === 0 ? Number.NaN : this.correct / total;
  }

  /** Recall of each class: correct / examples of that class (NaN for an absent class). */
  perClassAccuracy(): number[] {
    return this.counts.map((row, i) => {
      const n = row.reduce((a, b) => a + b, 0);
      return n === 0 ? Number.NaN : row[i]! / n;
    });
  }

  reset(): void {
    for (const row of this.counts) row.fill(0);
  }

  /** A text table: one row per true class, one column per prediction, then its accuracy. */
  toString(): string {
    const width = Math.max(4, String(Math.max(...this.counts.flat())).length + 1);
    const pad = (s: string | number) => String(s).padStart(width);
    const header = `${'true\\pred'.padEnd(9)}${this.counts.map((_, i) => pad(i)).join('')}${'acc'.padStart(8)}`;
    const acc = this.perClassAccuracy();
    const rows = this.counts.map((row, i) => {
      const a = acc[i]!;
      const pct = Number.isNaN(a) ? '-' : `${(a * 100).toFixed(1)}%`;
      return `${String(i).padEnd(9)}${row.map(pad).join('')}${pct.padStart(8)}`;
    });
    return [header, ...rows].join('\n');
  }
}
