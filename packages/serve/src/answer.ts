/** The answer for one image. */
export interface Prediction {
  /** The most probable class id. */
  label: number;
  /** Its name (`'7'` for MNIST digits). */
  className: string;
  /** Probabilities of the classes, in label order; they sum to 1. */
  probabilities: number[];
}

/** The prediction of image `index` in `probs` (`n × classes`, row-major); probabilities rounded to 6 decimals. */
export function predictionAt(probs: Float32Array, index: number, classNames: readonly string[]): Prediction {
  const k = classNames.length;
  const row = Array.from(probs.subarray(index * k, (index + 1) * k), (p) => Math.round(p * 1e6) / 1e6);
  let label = 0;
  for (let i = 1; i < k; i++) if ((row[i] as number) > (row[label] as number)) label = i;
  return { label, className: classNames[label] as string, probabilities: row };
}
