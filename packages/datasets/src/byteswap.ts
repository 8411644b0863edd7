/**
 * Copies `length` big-endian elements of `size` bytes (2, 4 or 8) starting at `offset` into a
 * fresh, aligned buffer in host order. On a little-endian host the bytes are reversed per element.
 */
export function copyBigEndian(
  bytes: Uint8Array,
  offset: number,
  length: number,
  size: number,
  littleEndianHost: boolean,
): ArrayBuffer {
  // Not bytes.slice(): on a Node Buffer that is a view, and the result must be a fresh buffer.
  const copy = new Uint8Array(length * size);
  copy.set(bytes.subarray(offset, offset + length * size));
  if (!littleEndianHost) return copy.buffer;
  if (size === 2) {
    const words = new Uint16Array(copy.buffer);
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      words[i] = ((w & 0xff) << 8) | (w >>> 8);
    }
  } else if (size === 4 || size === 8) {
    const words = new Uint32Array(copy.buffer);
    for (let i = 0; i < words.length; i++) words[i] = swap32(words[i]!);
    if (size === 8) {
      for (let i = 0; i < words.length; i += 2) {
        const low = words[i]!;
        words[i] = words[i + 1]!;
        words[i + 1] = low;
      }
    }
  }
  return copy.buffer;
}

function swap32(w: number): number {
  return (((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24)) >>> 0;
}
