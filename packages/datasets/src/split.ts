import { DatasetArgumentError } from './errors';
import type { ImageSet } from './mnist';
import { permutation } from './seeded';

/** Some samples of an {@link ImageSet}, chosen by index; the pixels are not copied. */
export interface ImageSubset {
  set: ImageSet;
  indices: Uint32Array;
}

/** Anything the batch iterator and tensor helpers accept. */
export type ImageSource = ImageSet | ImageSubset;

/** Options of {@link trainValidationSplit}. */
export interface SplitOptions {
  /** Validation size: a fraction in (0, 1) or a whole number of samples. */
  validation: number;
  /** Seed of the permutation (default 0). */
  seed?: number;
  /** Shuffle before splitting (default true); false takes the last samples for validation. */
  shuffle?: boolean;
}

/** A subset holding the given sample indices (checked to be in range). */
export function subset(set: ImageSet, indices: Uint32Array): ImageSubset {
  for (let i = 0; i < indices.length; i++) {
    if (indices[i]! >= set.count) {
      throw new DatasetArgumentError({
        code: 'invalid-argument',
        file: set.imagesFile,
        field: `subset index ${i}`,
        expected: `a sample index below ${set.count}`,
        found: `${indices[i]}`,
      });
    }
  }
  return { set, indices };
}

/** Splits a set into train and validation subsets by a seeded permutation of indices (no pixel copy). */
export function trainValidationSplit(
  set: ImageSet,
  options: SplitOptions,
): { train: ImageSubset; validation: ImageSubset } {
  const { validation, seed = 0, shuffle = true } = options;
  const size = validation < 1 ? Math.round(validation * set.count) : validation;
  if (!(validation > 0) || !Number.isInteger(size) || size < 1 || size >= set.count) {
    throw new DatasetArgumentError({
      code: 'invalid-argument',
      file: set.imagesFile,
      field: 'validation',
      expected: `a fraction in (0, 1) or a whole number of samples in 1..${set.count - 1}`,
      found: `${validation}`,
    });
  }
  let order: Uint32Array;
  if (shuffle) {
    order = permutation(set.count, seed);
  } else {
    order = new Uint32Array(set.count);
    for (let i = 0; i < set.count; i++) order[i] = i;
  }
  const cut = set.count - size;
  return { train: { set, indices: order.subarray(0, cut) }, validation: { set, indices: order.subarray(cut) } };
}

/** The underlying set and the sample count of a source. */
export function describeSource(source: ImageSource): { set: ImageSet; count: number; indices: Uint32Array | null } {
  if ('indices' in source) return { set: source.set, count: source.indices.length, indices: source.indices };
  return { set: source, count: source.count, indices: null };
}
