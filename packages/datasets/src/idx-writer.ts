import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { DatasetArgumentError } from './errors';
import { type IdxData, IDX_TYPES, idxTypeOfArray } from './idx-types';

/** What {@link encodeIdx} needs: the data (its class picks the IDX type) and the dimensions. */
export interface IdxInput {
  data: IdxData;
  shape: readonly number[];
}

/** Options of {@link writeIdx}. */
export interface WriteIdxOptions {
  /** Gzip the output. Default: true when the path ends in `.gz`. */
  gzip?: boolean;
  /** zlib level, an integer 0-9 (default 6); anything else is a DatasetArgumentError, gzip or not. */
  level?: number;
}

/**
 * Encodes a typed array and its shape as IDX bytes: magic `0x00 0x00 <type> <ndims>`, big-endian
 * uint32 dimensions, then the big-endian payload.
 * @throws DatasetArgumentError when the array type is not an IDX type or the shape does not fit it.
 */
export function encodeIdx(input: IdxInput, file = '<encodeIdx>'): Uint8Array {
  const { data, shape } = input;
  const fail = (field: string, expected: string, found: string) =>
    new DatasetArgumentError({ code: 'invalid-argument', file, field, expected, found });
  const info = idxTypeOfArray(data);
  if (!info) {
    const names = IDX_TYPES.map((t) => t.array.name).join(', ');
    throw fail('data', `one of ${names}`, (data as object)?.constructor?.name ?? typeof data);
  }
  if (shape.length > 255) throw fail('shape', 'at most 255 dimensions', `${shape.length}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) {
      throw fail('shape', 'dimensions that are integers in [0, 2^32 - 1]', `[${shape.join(', ')}]`);
    }
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw fail('shape', `a product equal to data.length ${data.length}`, `[${shape.join(', ')}] = ${count}`);
  }

  const headerLength = 4 + 4 * shape.length;
  const out = new Uint8Array(headerLength + data.byteLength);
  const view = new DataView(out.buffer);
  out[2] = info.code;
  out[3] = shape.length;
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  if (info.bytes === 1) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), headerLength);
    return out;
  }
  const put = elementWriter(view, info.name);
  for (let i = 0, at = headerLength; i < data.length; i++, at += info.bytes) put(at, data[i]!);
  return out;
}

function elementWriter(view: DataView, type: string): (at: number, value: number) => void {
  switch (type) {
    case 'int16':
      return (at, v) => view.setInt16(at, v, false);
    case 'int32':
      return (at, v) => view.setInt32(at, v, false);
    case 'float32':
      return (at, v) => view.setFloat32(at, v, false);
    default:
      return (at, v) => view.setFloat64(at, v, false);
  }
}

/**
 * Encodes (see {@link encodeIdx}) and writes an IDX file, gzipped for `.gz` paths by default.
 * @throws DatasetArgumentError for a bad `level` or input (see {@link encodeIdx}).
 */
export function writeIdx(path: string, input: IdxInput, options: WriteIdxOptions = {}): void {
  const { level = 6 } = options;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    const found = String(level);
    throw new DatasetArgumentError({
      code: 'invalid-argument',
      file: path,
      field: 'level',
      expected: 'an integer zlib level from 0 to 9',
      found,
    });
  }
  const raw = encodeIdx(input, path);
  const gzip = options.gzip ?? path.endsWith('.gz');
  writeFileSync(path, gzip ? gzipSync(raw, { level }) : raw);
}
