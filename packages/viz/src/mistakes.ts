import { VizError } from './errors';

/** One wrong prediction with the model's top classes. */
export interface Mistake {
  /** Index of the example in the set. */
  index: number;
  label: number;
  predicted: number;
  /** Probability of the predicted class. */
  confidence: number;
  /** The `top` most probable classes, most probable first. */
  top: { cls: number; p: number }[];
}

/**
 * The `k` wrong predictions the model was most sure of, most confident first.
 *
 * Args: `probabilities` is `[N, C]` row-major (softmax outputs), `labels` is `[N]` class ids.
 * Example: `confidentlyWrong(probs, test.labels, 10, 3)`.
 */
export function confidentlyWrong(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  k = 20,
  top = 3,
): Mistake[] {
  const n = labels.length;
  if (n === 0 || probabilities.length % n !== 0) {
    throw new VizError('bad-input', `probabilities have ${probabilities.length} values, not a multiple of ${n} labels`);
  }
  const c = probabilities.length / n;
  const out: Mistake[] = [];
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (probabilities[i * c + j]! > probabilities[i * c + best]!) best = j;
    if (best === labels[i]) continue;
    const order = Array.from({ length: c }, (_, j) => j).sort(
      (a, b) => probabilities[i * c + b]! - probabilities[i * c + a]!,
    );
    out.push({
      index: i,
      label: labels[i]!,
      predicted: best,
      confidence: probabilities[i * c + best]!,
      top: order.slice(0, top).map((cls) => ({ cls, p: probabilities[i * c + cls]! })),
    });
  }
  return out.sort((a, b) => b.confidence - a.confidence || a.index - b.index).slice(0, k);
}
