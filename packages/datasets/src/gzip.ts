import { constants, gunzipSync } from 'node:zlib';
import { IdxFormatError } from './errors';

/** True when the bytes start with the gzip magic `1f 8b`, whatever the file is called. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses a gzip stream (one or more members). Any zlib failure (bad header, bad CRC,
 * truncated stream, trailing garbage) becomes an {@link IdxFormatError} with code `corrupt-gzip`.
 * With `maxOutputLength`, decompression stops there and a longer stream is reported as
 * `trailing-bytes` (the caller knows from the IDX header how long the data must be).
 */
export function gunzip(bytes: Uint8Array, file: string, maxOutputLength?: number): Uint8Array {
  try {
    return gunzipSync(bytes, maxOutputLength === undefined ? {} : { maxOutputLength });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' && maxOutputLength !== undefined) {
      throw new IdxFormatError(
        {
          code: 'trailing-bytes',
          file,
          field: 'decompressed length',
          expected: `${maxOutputLength - 1} bytes (header + payload)`,
          found: 'more (decompression stopped there)',
        },
        { cause: error },
      );
    }
    throw corrupt(bytes, file, error);
  }
}

/**
 * Decompresses only what the first `compressedBytes` of the stream hold (enough for any IDX
 * header), so the header can be checked before the whole payload is inflated.
 */
export function gunzipPrefix(bytes: Uint8Array, file: string, compressedBytes = 2048): Uint8Array {
  try {
    return gunzipSync(bytes.subarray(0, compressedBytes), { finishFlush: constants.Z_SYNC_FLUSH });
  } catch (error) {
    throw corrupt(bytes, file, error);
  }
}

function corrupt(bytes: Uint8Array, file: string, error: unknown): IdxFormatError {
  const reason = error instanceof Error ? error.message : String(error);
  return new IdxFormatError(
    {
      code: 'corrupt-gzip',
      file,
      field: 'gzip stream',
      expected: 'a complete, valid gzip stream',
      found: `${bytes.length} bytes that zlib rejects (${reason})`,
    },
    { cause: error },
  );
}
