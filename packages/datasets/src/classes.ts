import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetMismatchError, MissingFileError } from './errors';

/** Class names of MNIST: the digits. */
export const DIGIT_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Class names of Fashion-MNIST, in label order. */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** Class names of Kuzushiji-MNIST (romanised hiragana), in label order. */
export const KMNIST_CLASSES: readonly string[] = ['o', 'ki', 'su', 'tsu', 'na', 'ha', 'ma', 'ya', 're', 'wo'];

/** Files a dataset directory may hold to name its classes, one name per line, in label order. */
export const CLASS_NAME_FILES: readonly string[] = ['classes.txt', 'class-names.txt'];

/** Splits the text of a class-name file into names (blank lines and surrounding spaces dropped). */
export function parseClassNames(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/**
 * The class names `dir` declares in its first {@link CLASS_NAME_FILES} entry that exists, or
 * undefined when it has none. Throws {@link MissingFileError} (`unreadable-file`) when that entry
 * is a directory or cannot be read, and {@link DatasetMismatchError} (`count-mismatch`) when it
 * names no class.
 */
export function readClassNames(dir: string): string[] | undefined {
  for (const name of CLASS_NAME_FILES) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    let text: string;
    try {
      if (!statSync(path).isFile()) throw new Error('it is not a regular file (a directory?)');
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new MissingFileError(
        {
          code: 'unreadable-file',
          file: path,
          field: 'file',
          expected: 'a readable text file with one class name per line',
          found: (err as Error).message,
        },
        { cause: err },
      );
    }
    const names = parseClassNames(text);
    if (names.length === 0) {
      throw new DatasetMismatchError({
        code: 'count-mismatch',
        file: path,
        field: 'class names',
        expected: 'at least one class name (one per line)',
        found: 'no non-blank line',
      });
    }
    return names;
  }
  return undefined;
}
