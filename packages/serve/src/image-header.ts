import { RequestError } from './errors';

/** The image formats `POST /predict` accepts, by content type. */
export type ImageKind = 'png' | 'jpeg';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function corrupt(kind: ImageKind, why: string): RequestError {
  return new RequestError(400, 'corrupt-image', `the ${kind.toUpperCase()} image is corrupt: ${why}`);
}

/**
 * Width and height from the header of a PNG (IHDR) or JPEG (first SOF marker) without
 * decoding any pixel, so that a decompression bomb is refused before it is inflated.
 * Throws `RequestError` 400 `corrupt-image` when there is no valid header.
 */
export function imageSize(bytes: Uint8Array, kind: ImageKind): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (kind === 'png') {
    if (bytes.length < 24 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) throw corrupt(kind, 'no PNG signature');
    if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') throw corrupt(kind, 'the first chunk is not IHDR');
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw corrupt(kind, 'no JPEG start-of-image marker');
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw corrupt(kind, `no marker at byte ${at}`);
    const marker = bytes[at + 1] as number;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    const length = view.getUint16(at + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > bytes.length) break;
      return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    at += 2 + length;
  }
  throw corrupt(kind, 'no frame header (SOF) before the end of the data');
}
