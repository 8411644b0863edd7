/** A layer was constructed with arguments it cannot work with (names the layer and argument). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Checks that `value` is a positive integer, else throws a ConfigError naming `what`. */
export function positiveInt(value: number, what: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${what} must be a positive integer, got ${value}`);
  return value;
}

/** `5` → `[5, 5]`; `[3, 2]` stays; each entry checked with `positiveInt` unless `allowZero`. */
export function pair(value: number | readonly [number, number], what: string, allowZero = false): [number, number] {
  const [a, b] = typeof value === 'number' ? [value, value] : value;
  for (const v of [a, b]) {
    if (!Number.isInteger(v) || v < 0 || (v === 0 && !allowZero)) {
      throw new ConfigError(
        `${what} must be ${allowZero ? 'a non-negative' : 'a positive'} integer or a pair of them, got ${JSON.stringify(value)}`,
      );
    }
  }
  return [a, b];
}
