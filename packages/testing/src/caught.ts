import { TestingArgumentError } from './errors';

/**
 * Runs `f`, which must throw an instance of `kind`, and returns the error so a test can check
 * its fields. Throws an Error when `f` returns normally, and one naming both classes when it
 * throws something else.
 *
 * Example: `expect(caught(IdxFormatError, () => parseIdx(bytes, 'x.idx')).field).toBe('magic')`.
 */
export function caught<E extends Error>(kind: abstract new (...args: never[]) => E, f: () => unknown): E {
  if (typeof f !== 'function') throw new TestingArgumentError('caught: the second argument must be a function');
  let result: unknown;
  try {
    result = f();
  } catch (error) {
    if (error instanceof kind) return error;
    const name = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`expected a ${kind.name} but caught ${name}`);
  }
  const hint = result instanceof Promise ? ' (it returned a Promise: await expect(...).rejects instead)' : '';
  throw new Error(`expected a ${kind.name} but nothing was thrown${hint}`);
}
