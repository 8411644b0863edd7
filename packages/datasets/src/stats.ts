/** How many labels of each class `0 .. numClasses - 1` there are. */
export function labelCounts(labels: Uint8Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label < numClasses) counts[label]!++;
  }
  return counts;
}

/** How many pixels have each value 0..255. */
export function pixelHistogram(pixels: Uint8Array): Float64Array {
  const histogram = new Float64Array(256);
  for (let i = 0; i < pixels.length; i++) histogram[pixels[i]!]!++;
  return histogram;
}

/** Mean and population standard deviation of the pixels scaled to [0, 1], exact via the histogram. */
export function pixelMeanStd(pixels: Uint8Array): { mean: number; std: number } {
  const histogram = pixelHistogram(pixels);
  let sum = 0;
  let sumSquares = 0;
  for (let p = 0; p < 256; p++) {
    sum += histogram[p]! * p;
    sumSquares += histogram[p]! * p * p;
  }
  const n = pixels.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN };
  const mean = sum / n;
  const variance = Math.max(0, sumSquares / n - mean * mean);
  return { mean: mean / 255, std: Math.sqrt(variance) / 255 };
}
