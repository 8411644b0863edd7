import { expect, it } from 'vitest';
import { GcRecorder } from '../src/gc';

it('attributes the garbage collections of a window that allocates to that window only', async () => {
  const gc = new GcRecorder();
  try {
    const t0 = performance.now();
    let keep: number[][] = [];
    // Enough short-lived arrays to fill the young generation many times over.
    for (let i = 0; i < 200_000; i++) {
      keep.push(new Array(64).fill(i));
      if (keep.length > 1000) keep = [];
    }
    const t1 = performance.now();
    expect(keep.length).toBeGreaterThan(0);
    expect(await gc.msBetween(t0, t1)).toBeGreaterThan(0);
    // Nothing ran in a window that starts after the last pause was taken.
    const later = performance.now() + 60_000;
    expect(await gc.msBetween(later, later + 1)).toBe(0);
  } finally {
    gc.dispose();
  }
});
