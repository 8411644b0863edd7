/**
 * Thrown when a layer receives an input whose shape it cannot use. The message
 * names the layer (its path in the model, e.g. `fc1` or `classifier.0`), what it
 * expected and what it got, with the arithmetic spelled out.
 */
export class ShapeError extends Error {
  override name = 'ShapeError';

  constructor(
    message: string,
    /** Dotted path of the module in its model ('' for a module used on its own). */
    readonly modulePath = '',
    /** The input shape that was rejected. */
    readonly inputShape: readonly number[] = [],
  ) {
    super(message);
  }
}

/** `[N, 7, 7, 32]`: the batch dimension is shown as N. */
export function formatShape(shape: readonly (number | null)[], batch = true): string {
  const dims = shape.map((d, i) => (batch && i === 0 ? 'N' : String(d)));
  return `[${dims.join(', ')}]`;
}

/** Product of the dimensions after the batch dimension. */
export function featuresPerSample(shape: readonly number[]): number {
  return shape.slice(1).reduce((a, b) => a * b, 1);
}

/** `Linear 'fc1'`, or just `Linear` for a module that is not inside a model. */
export function layerLabel(kind: string, path: string): string {
  return path ? `${kind} '${path}'` : kind;
}
