import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { encodeIdx, IDX_TYPES, IdxFormatError, type IdxData, parseIdx, seededRandom } from '../src/index';

/** A random valid IDX file: random type, 0-4 dimensions of size 0-5, random payload bytes. */
function randomValidFile(random: () => number): Uint8Array {
  const info = IDX_TYPES[Math.floor(random() * IDX_TYPES.length)]!;
  const ndims = Math.floor(random() * 5);
  const shape = Array.from({ length: ndims }, () => Math.floor(random() * 6));
  const count = shape.reduce((a, b) => a * b, 1);
  const bytes = new Uint8Array(count * info.bytes).map(() => Math.floor(random() * 256));
  const data = new info.array(bytes.buffer, 0, count) as IdxData;
  return encodeIdx({ data, shape });
}

/** One random change: flip a bit, set a byte, cut the end, insert or append bytes, or cut the header. */
function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const at = (limit: number) => Math.floor(random() * Math.max(1, limit));
  const copy = Uint8Array.from(bytes);
  switch (at(6)) {
    case 0:
      if (copy.length > 0) copy[at(copy.length)]! ^= 1 << at(8);
      return copy;
    case 1:
      if (copy.length > 0) copy[at(Math.min(copy.length, 24))] = at(256);
      return copy;
    case 2:
      return copy.subarray(0, at(copy.length));
    case 3: {
      const extra = Uint8Array.from({ length: 1 + at(4) }, () => at(256));
      const cut = at(copy.length + 1);
      return Uint8Array.from([...copy.subarray(0, cut), ...extra, ...copy.subarray(cut)]);
    }
    case 4:
      return Uint8Array.from([...copy, ...Array.from({ length: 1 + at(8) }, () => at(256))]);
    default:
      return copy.subarray(at(copy.length));
  }
}

/** The parse either fails with IdxFormatError or is self-consistent with the bytes it came from. */
function checkOutcome(bytes: Uint8Array, outcome: { gz: boolean }): 'parsed' | 'rejected' {
  let parsed: ReturnType<typeof parseIdx>;
  try {
    parsed = parseIdx(bytes, 'fuzz.idx');
  } catch (error) {
    expect(error).toBeInstanceOf(IdxFormatError);
    const e = error as IdxFormatError;
    expect(e.file).toBe('fuzz.idx');
    expect(e.message.startsWith('fuzz.idx: ')).toBe(true);
    expect(e.expected.length).toBeGreaterThan(0);
    expect(e.found.length).toBeGreaterThan(0);
    return 'rejected';
  }
  const info = IDX_TYPES.find((t) => t.name === parsed.type)!;
  expect(parsed.data).toBeInstanceOf(info.array);
  expect(parsed.data.length).toBe(parsed.shape.reduce((a, b) => a * b, 1));
  if (!outcome.gz) {
    expect(bytes.length).toBe(4 + 4 * parsed.shape.length + parsed.data.length * info.bytes);
    // Re-encoding gives back exactly the input bytes (NaN payloads aside, so compare typed bytes).
    const again = parseIdx(encodeIdx({ data: parsed.data, shape: parsed.shape }));
    expect(new Uint8Array(again.data.buffer, again.data.byteOffset, again.data.byteLength)).toEqual(
      new Uint8Array(parsed.data.buffer, parsed.data.byteOffset, parsed.data.byteLength),
    );
  }
  return 'parsed';
}

describe('randomized mutation of valid IDX files', () => {
  test('3000 raw mutants: each is a consistent parse or an IdxFormatError', () => {
    const random = seededRandom(20240601);
    const tally = { parsed: 0, rejected: 0 };
    for (let i = 0; i < 3000; i++) {
      let bytes = randomValidFile(random);
      const rounds = 1 + Math.floor(random() * 3);
      for (let r = 0; r < rounds; r++) bytes = mutate(bytes, random);
      tally[checkOutcome(bytes, { gz: false })]++;
    }
    // Both outcomes occur: mutations that keep a file valid (payload bit flips) and ones that break it.
    expect(tally.parsed).toBeGreaterThan(100);
    expect(tally.rejected).toBeGreaterThan(1000);
  });

  test('600 gzipped mutants: each is a consistent parse or an IdxFormatError', () => {
    const random = seededRandom(77);
    const tally = { parsed: 0, rejected: 0 };
    for (let i = 0; i < 600; i++) {
      const valid = randomValidFile(random);
      // Half the time the IDX inside a good gzip stream is damaged, half the time the stream itself.
      const bytes = random() < 0.5 ? gzipSync(mutate(valid, random)) : mutate(gzipSync(valid), random);
      tally[checkOutcome(bytes, { gz: true })]++;
    }
    expect(tally.parsed).toBeGreaterThan(20);
    expect(tally.rejected).toBeGreaterThan(100);
  });
});
