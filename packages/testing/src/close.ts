import { TestingArgumentError, ToleranceError } from './errors';
import { flat, type Numeric, shapeOf } from './nested';

/** Options of {@link expectClose}. */
export interface CloseOptions {
  /** Relative tolerance (default 1e-4). */
  rtol?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Names the compared value in the failure message (e.g. `'conv2d.json case 1 dx'`). */
  what?: string;
}

/** The default tolerances: float32 arithmetic against float64 references for one op. */
export const DEFAULT_RTOL = 1e-4;
export const DEFAULT_ATOL = 1e-5;

/**
 * Whether `actual` is within tolerance of `expected`: `|actual - expected| <= atol + rtol * |expected|`.
 * Equal values always match (so do two infinities of one sign); NaN matches only NaN.
 */
export function isClose(actual: number, expected: number, rtol = DEFAULT_RTOL, atol = DEFAULT_ATOL): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  if (actual === expected) return true;
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return false;
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

/**
 * Asserts that `actual` and `expected` have the same shape and are element-wise close
 * (see {@link isClose}); throws a {@link ToleranceError} naming the worst element otherwise.
 *
 * Args:
 * - `actual`, `expected`: tensors, nested arrays (shape from nesting), flat arrays or typed
 *   arrays (shape `[length]`), or numbers (shape `[]`). Tensors are read, never disposed.
 * - `options`: `rtol`, `atol` (defaults 1e-4 and 1e-5) and `what`, a label for the message.
 *
 * Example: `expectClose(layer.apply(x), fixture.y, { what: 'y' })`.
 */
export function expectClose(actual: Numeric, expected: Numeric, options: CloseOptions = {}): void {
  const { rtol = DEFAULT_RTOL, atol = DEFAULT_ATOL, what = 'value' } = options;
  for (const [name, tol] of [
    ['rtol', rtol],
    ['atol', atol],
  ] as const) {
    if (!(tol >= 0) || !Number.isFinite(tol)) {
      throw new TestingArgumentError(`expectClose: ${name} must be a finite number >= 0, got ${tol}`);
    }
  }
  const actualShape = shapeOf(actual);
  const expectedShape = shapeOf(expected);
  if (actualShape.join() !== expectedShape.join()) {
    throw new ToleranceError(
      `${what}: shape [${actualShape}] differs from the expected [${expectedShape}]`,
      -1,
      Number.NaN,
      Number.NaN,
      1,
    );
  }
  const a = flat(actual);
  const e = flat(expected);
  let worst = -1;
  let worstExcess = Number.NEGATIVE_INFINITY;
  let failures = 0;
  for (let i = 0; i < e.length; i++) {
    if (isClose(a[i]!, e[i]!, rtol, atol)) continue;
    failures++;
    const diff = Math.abs(a[i]! - e[i]!) - (atol + rtol * Math.abs(e[i]!));
    const excess = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff;
    if (excess > worstExcess || worst < 0) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst < 0) return;
  const at = unravel(worst, expectedShape);
  throw new ToleranceError(
    `${what}: ${failures} of ${e.length} elements out of tolerance (rtol ${rtol}, atol ${atol}); ` +
      `worst at [${at}] (flat ${worst}): ${a[worst]} but expected ${e[worst]}`,
    worst,
    a[worst]!,
    e[worst]!,
    failures,
  );
}

/** The multi-index of flat index `i` in a row-major array of `shape`. */
function unravel(i: number, shape: number[]): number[] {
  const out: number[] = [];
  let rest = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    out.unshift(rest % shape[d]!);
    rest = Math.floor(rest / shape[d]!);
  }
  return out;
}

/**
 * The IEEE float32 bit pattern of each value (rounded to float32 first), for comparisons that
 * must be exact: unlike `===`, they tell 0 from -0 and match a NaN with the same NaN.
 *
 * Example: `expect(float32Bits(fused.dataSync())).toEqual(float32Bits(composite.dataSync()))`.
 */
export function float32Bits(values: ArrayLike<number>): Uint32Array {
  return new Uint32Array(Float32Array.from(values).buffer);
}
