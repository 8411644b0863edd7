// The JSON header of a checkpoint file (see checkpoint-file.ts) and its validation.
import { CheckpointError } from './errors';

export const FORMAT = 'cnn-checkpoint';

export interface TensorEntry {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  offset: number;
  byteLength: number;
}

export interface Header {
  format: string;
  /** 2 since checksums; files of version 1 still load, unverified. */
  version: number;
  meta: unknown;
  tensors: TensorEntry[];
  /** Version 2: SHA-256 (hex) of JSON.stringify(the header without this field) followed by the tensor bytes. */
  sha256?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ENTRY_FIELDS = new Set(['name', 'dtype', 'shape', 'offset', 'byteLength']);

/**
 * Checks every header field: format and version, and tensor entries with a unique name, a
 * supported dtype, a shape of whole numbers, and bytes that follow each other exactly and fill
 * the `dataBytes` after the header (so a moved offset or a truncated file is an error).
 */
export function validateHeader(file: string, raw: unknown, dataBytes: number): Header {
  const fail = (what: string): never => {
    throw new CheckpointError(`checkpoint ${file}: ${what}`);
  };
  if (!isObject(raw)) return fail('header is not a JSON object');
  if (raw.format !== FORMAT || (raw.version !== 1 && raw.version !== 2)) {
    fail(
      `format ${String(raw.format)} v${String(raw.version)}, expected ${FORMAT} v1 or v2 (a newer @cnn/train wrote it?)`,
    );
  }
  if (raw.version === 2 && !(typeof raw.sha256 === 'string' && /^[0-9a-f]{64}$/.test(raw.sha256))) {
    fail('header field "sha256" is missing or not a SHA-256 hex digest');
  }
  if (!Array.isArray(raw.tensors))
    fail(`header field "tensors" should be an array, got ${JSON.stringify(raw.tensors)}`);
  const names = new Set<string>();
  let next = 0;
  for (const [i, e] of (raw.tensors as unknown[]).entries()) {
    const at = `tensor entry ${i}`;
    if (!isObject(e)) fail(`${at} is not an object`);
    const entry = e as Record<string, unknown>;
    for (const key of Object.keys(entry)) if (!ENTRY_FIELDS.has(key)) fail(`${at}: field "${key}" is not supported`);
    if (typeof entry.name !== 'string' || entry.name === '' || names.has(entry.name)) {
      fail(`${at}: name ${JSON.stringify(entry.name)} is missing or repeated`);
    }
    names.add(entry.name as string);
    if (entry.dtype !== 'float32' && entry.dtype !== 'int32')
      fail(`${at} ("${entry.name}"): dtype ${JSON.stringify(entry.dtype)}`);
    const shape = entry.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`${at} ("${entry.name}"): shape ${JSON.stringify(shape)} is not an array of whole numbers`);
    }
    const bytes = (shape as number[]).reduce((a, b) => a * b, 1) * 4;
    if (entry.byteLength !== bytes)
      fail(`${at} ("${entry.name}"): byteLength ${String(entry.byteLength)}, its shape needs ${bytes}`);
    if (entry.offset !== next)
      fail(`${at} ("${entry.name}"): offset ${String(entry.offset)}, expected ${next} (tensors follow each other)`);
    next += bytes;
  }
  if (next > dataBytes)
    fail(`the tensors need ${next} bytes after the header but the file has ${dataBytes} (truncated)`);
  if (next < dataBytes) fail(`${dataBytes - next} bytes after the last tensor (not written by writeCheckpointFile)`);
  return raw as unknown as Header;
}
