/**
 * Thins a series for drawing: keeps at most `2 × buckets` points, the lowest and the highest
 * value of each of `buckets` equal runs of x (in their original order), so spikes survive.
 * Points whose y is not finite are dropped first. Series within the budget come back as they are.
 *
 * Example: 1 000 000 loss values → at most 2 000 points with the same envelope.
 */
export function downsample<T>(points: readonly T[], y: (p: T) => number, buckets = 1000): T[] {
  const finite = points.filter((p) => Number.isFinite(y(p)));
  if (finite.length <= buckets * 2) return finite;
  const out: T[] = [];
  const size = finite.length / buckets;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.floor((b + 1) * size);
    let lo = from;
    let hi = from;
    for (let i = from + 1; i < to; i++) {
      if (y(finite[i]!) < y(finite[lo]!)) lo = i;
      if (y(finite[i]!) > y(finite[hi]!)) hi = i;
    }
    if (lo === hi) out.push(finite[lo]!);
    else out.push(finite[Math.min(lo, hi)]!, finite[Math.max(lo, hi)]!);
  }
  return out;
}
