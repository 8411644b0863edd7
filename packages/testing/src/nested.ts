import * as tf from '@tensorflow/tfjs-core';
import { TestingArgumentError } from './errors';

/** A number or nested arrays of numbers, as stored in the JSON fixtures (row-major). */
export type Nested = number | Nested[];

/** Anything `expectClose` compares: a tensor, a typed or plain flat array, a nested array or a number. */
export type Numeric = tf.Tensor | ArrayLike<number> | Nested;

/**
 * The shape of a nested array, checking that it is rectangular.
 *
 * Shape: `3` → `[]`; `[[1, 2, 3], [4, 5, 6]]` → `[2, 3]`; a typed array of length n → `[n]`.
 * Throws `TestingArgumentError` on ragged arrays or non-numbers, naming the first bad index.
 */
export function shapeOf(value: Numeric): number[] {
  if (value instanceof tf.Tensor) return value.shape.slice();
  if (typeof value === 'number') return [];
  if (!Array.isArray(value)) return [(value as ArrayLike<number>).length];
  const shape: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  checkRectangular(value, shape, 0, '');
  return shape;
}

function checkRectangular(value: unknown, shape: number[], depth: number, where: string): void {
  if (depth === shape.length) {
    if (typeof value !== 'number') {
      throw new TestingArgumentError(`expected a number at [${where}] but found ${JSON.stringify(value)}`);
    }
    return;
  }
  if (!Array.isArray(value) || value.length !== shape[depth]) {
    const found = Array.isArray(value) ? `length ${value.length}` : JSON.stringify(value);
    throw new TestingArgumentError(`ragged array: [${where}] should have length ${shape[depth]}, found ${found}`);
  }
  value.forEach((v, i) => {
    checkRectangular(v, shape, depth + 1, where ? `${where}, ${i}` : `${i}`);
  });
}

/** The values of a nested array, tensor or array in row-major order (reads tensors synchronously). */
export function flat(value: Numeric): number[] {
  if (value instanceof tf.Tensor) return Array.from(value.dataSync());
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return (value as unknown[]).flat(Number.POSITIVE_INFINITY as 1) as number[];
  return Array.from(value as ArrayLike<number>);
}

/**
 * A float32 tensor of a fixture value with its nested shape (the caller disposes it).
 *
 * Example: `tensorOf([[1, 2], [3, 4]])` is a `[2, 2]` tensor; `tensorOf(5)` a scalar.
 */
export function tensorOf(value: Nested): tf.Tensor {
  return tf.tensor(flat(value), shapeOf(value), 'float32');
}
