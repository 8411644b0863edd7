import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FixtureError, TestingArgumentError } from './errors';

/** The folder of the PyTorch reference files, `packages/testing/fixtures/` (see its README). */
export const FIXTURES_DIR = new URL('../fixtures/', import.meta.url);

/** The fields a reader understands: a fixture object must have every `required` one and nothing unlisted. */
export interface FieldSpec {
  required: readonly string[];
  optional?: readonly string[];
}

/** One case of a fixture file, with where it came from (for test titles and messages). */
export interface FixtureCase<C> {
  /** File name, e.g. `conv2d.json`. */
  file: string;
  /** Position in the file's list. */
  index: number;
  /** `<file> case <index>`. */
  title: string;
  data: C;
}

/** Where the fixtures are read from: {@link FIXTURES_DIR} unless a test passes its own folder. */
export interface FixtureSource {
  dir?: URL;
}

/**
 * The fixture files of one format, sorted: `<prefix>.json` and `<prefix>-<anything>.json`.
 * So `conv2d.json` and a dropped-in `conv2d-dilated.json` are both conv2d files.
 * Throws FixtureError when there is none.
 */
export function fixtureFiles(prefix: string, source: FixtureSource = {}): string[] {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(prefix)) {
    throw new TestingArgumentError(`fixtureFiles: prefix must be lower-case letters, digits and '-', got "${prefix}"`);
  }
  const dir = source.dir ?? FIXTURES_DIR;
  const names = readdirSync(dir)
    .filter((n) => n === `${prefix}.json` || (n.startsWith(`${prefix}-`) && n.endsWith('.json')))
    .sort();
  if (names.length === 0) throw new FixtureError(`${prefix}*.json`, '', `no such file in ${fileURLToPath(dir)}`);
  return names;
}

/**
 * Checks that `value` is a plain object holding every required field of `spec` and no other
 * than the optional ones. `where` is the dotted path used in the error (e.g. `cases[2]`).
 */
export function checkFields(file: string, where: string, value: unknown, spec: FieldSpec): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FixtureError(file, where, `expected an object, found ${JSON.stringify(value)?.slice(0, 40)}`);
  }
  const known = new Set([...spec.required, ...(spec.optional ?? [])]);
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      const path = where ? `${where}.${key}` : key;
      throw new FixtureError(file, path, `not understood by this test (known: ${[...known].join(', ')})`);
    }
  }
  for (const key of spec.required) {
    if (!(key in value)) throw new FixtureError(file, where ? `${where}.${key}` : key, 'missing');
  }
}

/** Parses one fixture file and checks its top-level fields against `spec`. */
export function readFixture<T>(file: string, spec: FieldSpec, source: FixtureSource = {}): T {
  const url = new URL(file, source.dir ?? FIXTURES_DIR);
  let text: string;
  try {
    text = readFileSync(url, 'utf8');
  } catch (error) {
    throw new FixtureError(file, '', `cannot be read (${(error as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(file, '', `is not valid JSON (${(error as Error).message})`);
  }
  checkFields(file, '', data, spec);
  return data as T;
}

/** Options of {@link fixtureCases}. */
export interface CasesOptions extends FixtureSource {
  /** The field holding the list of cases (default `cases`). */
  list?: string;
  /** The top-level fields (default: the list, and an optional `description`). */
  fileFields?: FieldSpec;
}

/**
 * Every case of every file of a format (see {@link fixtureFiles}), each checked against
 * `caseFields`: a field the test does not know is a FixtureError, not silently ignored.
 *
 * Example: `fixtureCases<ConvCase>('conv2d', { required: ['x', 'filter', ...] })`.
 */
export function fixtureCases<C>(prefix: string, caseFields: FieldSpec, options: CasesOptions = {}): FixtureCase<C>[] {
  const list = options.list ?? 'cases';
  const fileFields = options.fileFields ?? { required: [list], optional: ['description'] };
  const out: FixtureCase<C>[] = [];
  for (const file of fixtureFiles(prefix, options)) {
    const data = readFixture<Record<string, unknown>>(file, fileFields, options);
    const cases = data[list];
    if (!Array.isArray(cases) || cases.length === 0) throw new FixtureError(file, list, 'expected a non-empty list');
    cases.forEach((c, index) => {
      checkFields(file, `${list}[${index}]`, c, caseFields);
      out.push({ file, index, title: `${file} ${list === 'cases' ? 'case' : list} ${index}`, data: c as C });
    });
  }
  return out;
}

/** Every file of a whole-file format (one case per file, e.g. `train-small-cnn*.json`), checked against `spec`. */
export function fixtureFilesOf<T>(prefix: string, spec: FieldSpec, source: FixtureSource = {}): FixtureCase<T>[] {
  return fixtureFiles(prefix, source).map((file) => ({
    file,
    index: 0,
    title: file,
    data: readFixture<T>(file, spec, source),
  }));
}
