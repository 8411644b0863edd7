import { RequestError } from './errors';

/** Pixels in one MNIST image. */
export const PIXELS = 784;

function bad(message: string): RequestError {
  return new RequestError(400, 'bad-pixels', message);
}

/**
 * Checks the `pixels` of a JSON request and returns them as 784 values in [0, 1].
 *
 * Args: `value`, 784 numbers flat or 28 rows of 28, row-major, white ink on black; all in
 * [0, 1], or all in [0, 255] (taken as bytes when any value is above 1). `where` names the
 * field in error messages. Throws `RequestError` 400 `bad-pixels` naming what is wrong.
 *
 * Shape: returns `Float32Array` of 784 (28×28 row-major).
 */
export function readPixels(value: unknown, where = 'pixels'): Float32Array {
  if (!Array.isArray(value)) throw bad(`${where} should be an array of 784 numbers or 28 rows of 28`);
  let flat: unknown[];
  if (value.length === 28 && value.every((row) => Array.isArray(row))) {
    flat = [];
    for (const [i, row] of (value as unknown[][]).entries()) {
      if (row.length !== 28) throw bad(`${where}[${i}] has ${row.length} values; each of the 28 rows needs 28`);
      flat.push(...row);
    }
  } else if (value.length === PIXELS) flat = value;
  else {
    throw bad(`${where} has ${value.length} entries; it needs 784 numbers (flat) or 28 rows of 28`);
  }
  const out = new Float32Array(PIXELS);
  let max = 0;
  for (let i = 0; i < PIXELS; i++) {
    const v = flat[i];
    if (typeof v !== 'number') throw bad(`${where} value ${i} is ${describe(v)}, not a number`);
    if (!Number.isFinite(v)) throw bad(`${where} value ${i} is ${v}; every value must be finite`);
    if (v < 0 || v > 255) throw bad(`${where} value ${i} is ${v}, outside [0, 255]`);
    if (v > max) max = v;
    out[i] = v;
  }
  if (max > 1) for (let i = 0; i < PIXELS; i++) out[i] = (out[i] as number) / 255;
  return out;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.slice(0, 20))}`;
  return `of type ${typeof v}`;
}
