import { type FixtureCase, fixtureCases } from './fixtures';
import type { Nested } from './nested';

// The single-layer fixture formats read both by @cnn/layers (modules) and @cnn/backend (kernels).
// Each reader takes every field listed here and honours all of them; a new field in a file makes
// both fail until they learn it. Gradients are of sum(y * upstream).

/** `conv2d*.json`: NHWC `x`, HWIO `filter`, symmetric zero padding of `padding` pixels. */
export interface Conv2dCase {
  stride: number;
  padding: number;
  x: Nested;
  filter: Nested;
  bias: number[];
  y: Nested;
  upstream: Nested;
  dx: Nested;
  dfilter: Nested;
  dbias: number[];
}

/** `maxpool2d*.json`: square window `pool`, `stride`, no padding, NHWC. */
export interface MaxPool2dCase {
  pool: number;
  stride: number;
  x: Nested;
  y: Nested;
  upstream: Nested;
  dx: Nested;
}

/** `linear*.json`: `y = x @ kernel + bias`, `kernel` is `[in, out]`. */
export interface LinearCase {
  x: Nested;
  kernel: Nested;
  bias: number[];
  y: Nested;
  upstream: Nested;
  dx: Nested;
  dkernel: Nested;
  dbias: number[];
}

/** Every case of every `conv2d*.json` file. */
export function conv2dCases(): FixtureCase<Conv2dCase>[] {
  return fixtureCases<Conv2dCase>('conv2d', {
    required: ['stride', 'padding', 'x', 'filter', 'bias', 'y', 'upstream', 'dx', 'dfilter', 'dbias'],
  });
}

/** Every case of every `maxpool2d*.json` file. */
export function maxPool2dCases(): FixtureCase<MaxPool2dCase>[] {
  return fixtureCases<MaxPool2dCase>('maxpool2d', { required: ['pool', 'stride', 'x', 'y', 'upstream', 'dx'] });
}

/** Every case of every `linear*.json` file. */
export function linearCases(): FixtureCase<LinearCase>[] {
  return fixtureCases<LinearCase>('linear', {
    required: ['x', 'kernel', 'bias', 'y', 'upstream', 'dx', 'dkernel', 'dbias'],
  });
}
