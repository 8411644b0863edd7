import { constants as bufferConstants } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { copyBigEndian } from './byteswap';
import { IdxFormatError, MissingFileError } from './errors';
import { gunzip, gunzipPrefix, isGzip } from './gzip';
import { HOST_IS_LITTLE_ENDIAN, hexByte, IDX_TYPES, type IdxArray, type IdxTypeInfo, idxTypeByCode } from './idx-types';

/** Largest element count we accept from a header; larger products are reported as overflow. */
export const MAX_IDX_ELEMENTS = 2 ** 32 - 1;

/**
 * Largest header + payload, in bytes, the reader can hold: one less than the largest Node buffer
 * (`buffer.constants.MAX_LENGTH`), so the gzip cap of header + payload + 1 is still a valid size.
 */
export const MAX_IDX_BYTES = bufferConstants.MAX_LENGTH - 1;

/** Longest possible IDX header: the magic number and 255 dimensions. */
const MAX_HEADER_LENGTH = 4 + 4 * 255;

/** What an IDX header declares. */
export interface IdxHeader {
  info: IdxTypeInfo;
  shape: number[];
  /** Elements in the payload (product of the dimensions). */
  count: number;
  headerLength: number;
  payloadLength: number;
}

function failure(code: IdxFormatError['code'], file: string, field: string, expected: string, found: string) {
  return new IdxFormatError({ code, file, field, expected, found });
}

/** Checks and decodes the header (magic, type, dimensions) of raw IDX bytes. */
export function readIdxHeader(bytes: Uint8Array, file = '<bytes>'): IdxHeader {
  if (bytes.length < 4) {
    throw failure('truncated-header', file, 'header', 'at least the 4-byte magic number', `${bytes.length} bytes`);
  }
  const magic = Array.from(bytes.subarray(0, 4), hexByte).join(' ');
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw failure('bad-magic', file, 'magic number', '0x00 0x00 <type> <ndims>', magic);
  }
  const info = idxTypeByCode(bytes[2]!);
  if (!info) {
    const known = IDX_TYPES.map((t) => `${hexByte(t.code)} (${t.name})`).join(', ');
    throw failure('unknown-type', file, 'type byte', `one of ${known}`, `${hexByte(bytes[2]!)} in magic ${magic}`);
  }
  const ndims = bytes[3]!;
  const headerLength = 4 + 4 * ndims;
  if (bytes.length < headerLength) {
    const expected = `${headerLength} bytes (magic + ${ndims} big-endian uint32 dimensions)`;
    throw failure('truncated-header', file, 'header', expected, `${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerLength);
  const shape: number[] = [];
  for (let i = 0; i < ndims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > MAX_IDX_ELEMENTS) {
    const found = `${describeShape(shape)}, product ${count.toExponential(3)}`;
    throw failure('dimension-overflow', file, 'dimensions', `a product of at most ${MAX_IDX_ELEMENTS} elements`, found);
  }
  const payloadLength = count * info.bytes;
  if (headerLength + payloadLength > MAX_IDX_BYTES) {
    const found = `${headerLength + payloadLength} bytes (${describeShape(shape)} × ${info.bytes}-byte ${info.name} + ${headerLength}-byte header)`;
    throw failure(
      'dimension-overflow',
      file,
      'dimensions',
      `at most ${MAX_IDX_BYTES} bytes of header + payload`,
      found,
    );
  }
  return { info, shape, count, headerLength, payloadLength };
}

function describeShape(shape: number[]): string {
  return shape.length === 0 ? '[] (scalar)' : `[${shape.join(', ')}]`;
}

/**
 * Gunzips an IDX stream, checking its header first so that inflation stops at the declared
 * length: a stream that inflates to more than header + payload is rejected, not held in memory.
 * The inflate is always capped: when the stream holds no complete header, at the longest header.
 */
function gunzipIdx(input: Uint8Array, file: string): Uint8Array {
  const prefix = gunzipPrefix(input, file, (p) => (p.length < 4 ? 4 : 4 + 4 * p[3]!));
  let limit = MAX_HEADER_LENGTH + 1;
  if (prefix.length >= 4 && prefix.length >= 4 + 4 * prefix[3]!) {
    const header = readIdxHeader(prefix, file);
    limit = header.headerLength + header.payloadLength + 1;
  }
  return gunzip(input, file, limit);
}

/**
 * Decodes IDX bytes (raw, or gzipped: detected by the `1f 8b` magic, not by name).
 *
 * Single-byte types (uint8, int8) come back as a view on the input (or on the gunzipped
 * buffer): no copy, and writing to the result writes to those bytes. Multi-byte types are
 * big-endian in the file, so on little-endian hosts they are copied once and byte-swapped.
 *
 * @param file names the source in error messages.
 * @throws IdxFormatError for every malformed input; never allocates from an unchecked header.
 */
export function parseIdx(input: Uint8Array, file = '<bytes>'): IdxArray {
  const bytes = isGzip(input) ? gunzipIdx(input, file) : input;
  const { info, shape, count, headerLength, payloadLength } = readIdxHeader(bytes, file);
  const available = bytes.length - headerLength;
  const dims = describeShape(shape);
  if (available < payloadLength) {
    const expected = `${payloadLength} bytes (${dims} × ${info.bytes}-byte ${info.name})`;
    throw failure(
      'truncated-payload',
      file,
      'payload',
      expected,
      `${available} bytes after the ${headerLength}-byte header`,
    );
  }
  if (available > payloadLength) {
    const expected = `${headerLength + payloadLength} bytes (header + ${dims} ${info.name})`;
    const found = `${bytes.length} bytes (${available - payloadLength} trailing)`;
    throw failure('trailing-bytes', file, 'file length', expected, found);
  }

  const offset = bytes.byteOffset + headerLength;
  if (info.bytes === 1) {
    return { type: info.name, shape, data: new info.array(bytes.buffer, offset, count) };
  }
  const aligned = !HOST_IS_LITTLE_ENDIAN && offset % info.bytes === 0;
  const data = aligned
    ? new info.array(bytes.buffer, offset, count)
    : new info.array(copyBigEndian(bytes, headerLength, count, info.bytes, HOST_IS_LITTLE_ENDIAN));
  return { type: info.name, shape, data };
}

/** Reads the raw bytes of a file, turning file-system errors into {@link MissingFileError}. */
export function readFileBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    throw new MissingFileError(
      {
        code: code === 'ENOENT' ? 'missing-file' : 'unreadable-file',
        file: path,
        field: 'file',
        expected: 'a readable IDX file',
        found: code === 'ENOENT' ? 'no such file' : `${code} (${(error as Error).message})`,
      },
      { cause: error },
    );
  }
}

/** Reads and decodes an IDX file (raw or gzipped). See {@link parseIdx}. */
export function readIdx(path: string): IdxArray {
  return parseIdx(readFileBytes(path), path);
}
