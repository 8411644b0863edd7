import { constants, gunzipSync } from 'node:zlib';
import { DatasetArgumentError, IdxFormatError } from './errors';

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

/** Most bytes one attempt of {@link gunzipPrefix} may inflate; a longer slice is cut back. */
export const PREFIX_OUTPUT_CAP = 1 << 20;

/**
 * Inflates the start of a gzip stream until it holds at least `minLength(prefix)` bytes (or the
 * whole stream, if that is shorter), so a header can be checked before the payload is inflated.
 *
 * The compressed slice starts at 2 KiB and doubles, so gzip headers with long optional fields
 * (FEXTRA, FNAME, FCOMMENT) and runs of empty deflate blocks are passed over. No attempt inflates
 * more than {@link PREFIX_OUTPUT_CAP} bytes: a slice that would is halved back (bisected), so the
 * first bytes of a gzip bomb are never inflated in bulk. `minLength` must stay well below the cap
 * (an IDX header is at most 1024 bytes).
 */
export function gunzipPrefix(
  bytes: Uint8Array,
  file: string,
  minLength: number | ((prefix: Uint8Array) => number),
): Uint8Array {
  const wanted = typeof minLength === 'number' ? () => minLength : minLength;
  let short = 0; // longest slice known to inflate to fewer bytes than wanted
  let long = Number.POSITIVE_INFINITY; // shortest slice known to inflate past the cap
  let size = Math.min(bytes.length, 2048);
  while (size > short) {
    const out = inflateSlice(bytes, size, file);
    if (out === undefined) long = size;
    else if (out.length >= wanted(out) || size === bytes.length) return out;
    else short = size;
    size = long === Number.POSITIVE_INFINITY ? Math.min(bytes.length, 2 * size) : Math.floor((short + long) / 2);
  }
  // One compressed byte inflates to at most ~1 KiB, so this is only reached when the caller wants
  // nearly as much as the cap (never for IDX headers).
  throw new DatasetArgumentError({
    code: 'invalid-argument',
    file,
    field: 'minLength',
    expected: `a prefix length that fits well within ${PREFIX_OUTPUT_CAP} inflated bytes`,
    found: `${wanted(new Uint8Array(0))} bytes wanted, more than one slice can inflate to`,
  });
}

/** Inflates the first `size` bytes as far as they go; undefined when that exceeds the cap. */
function inflateSlice(bytes: Uint8Array, size: number, file: string): Uint8Array | undefined {
  try {
    return gunzipSync(bytes.subarray(0, size), {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: PREFIX_OUTPUT_CAP,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
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
