import type { TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Input checks shared by the native and wasm fused training kernels: each returns what is wrong
 * in words, or undefined. The caller wraps the words in its backend's typed error.
 */

function isVector(t: TensorInfo | undefined, length: number): boolean {
  return t !== undefined && t.shape.length === 1 && t.shape[0] === length && t.dtype === 'float32';
}

function describe(t: TensorInfo | undefined): string {
  return t === undefined ? 'missing' : `${t.dtype} [${t.shape.join(',')}]`;
}

/** Shapes by input name, for error messages. */
export function shapesOf(inputs: object): Record<string, readonly number[]> {
  const entries = Object.entries(inputs as Record<string, TensorInfo | undefined>);
  return Object.fromEntries(entries.map(([k, t]) => [k, t?.shape ?? []]));
}

/** `x` is float32 of rank >= 2 and every named vector is float32 `[C]`, C = x's last axis. */
export function channelProblem(
  x: TensorInfo | undefined,
  vectors: Record<string, TensorInfo | undefined>,
  minRows: number,
): string | undefined {
  if (x === undefined || x.dtype !== 'float32' || x.shape.length < 2) {
    return `x must be float32 of rank >= 2 (channels last), got ${describe(x)}`;
  }
  const c = x.shape[x.shape.length - 1] as number;
  const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  if (c < 1) return 'x has no channels';
  if (rows < minRows) return `needs at least ${minRows} values per channel, x has ${rows}`;
  for (const [name, t] of Object.entries(vectors)) {
    if (!isVector(t, c)) return `${name} must be float32 [${c}] (the channel count of x), got ${describe(t)}`;
  }
  return undefined;
}

/** `output` is float32 `[N, C]` with C >= 1 and `labels` int32 `[N]`. */
export function rowsProblem(output: TensorInfo | undefined, labels: TensorInfo | undefined, name: string) {
  if (output === undefined || output.dtype !== 'float32' || output.shape.length !== 2 || output.shape[1] === 0) {
    return `${name} must be float32 [N, C] with C >= 1, got ${describe(output)}`;
  }
  if (labels === undefined || labels.dtype !== 'int32' || labels.shape.length !== 1) {
    return `labels must be int32 [N] class ids, got ${describe(labels)}`;
  }
  if (labels.shape[0] !== output.shape[0]) {
    return `${output.shape[0]} rows of ${name} but ${labels.shape[0]} labels`;
  }
  return undefined;
}

/** The first label that is not a class id in [0, classes), as words. */
export function labelProblem(labels: ArrayLike<number>, classes: number): string | undefined {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i] as number;
    if (!(v >= 0 && v < classes)) return `label ${v} of row ${i} is not a class id in [0, ${classes})`;
  }
  return undefined;
}

/** 'mean' or 'sum', else what is wrong. */
export function reductionProblem(reduction: unknown): string | undefined {
  return reduction === 'mean' || reduction === 'sum'
    ? undefined
    : `reduction must be 'mean' or 'sum', got '${String(reduction)}'`;
}

/** A scalar float32 `dy`. */
export function scalarProblem(dy: TensorInfo | undefined): string | undefined {
  return dy !== undefined && dy.dtype === 'float32' && dy.shape.length === 0
    ? undefined
    : `dy must be a float32 scalar, got ${describe(dy)}`;
}
