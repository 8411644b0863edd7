import type { backend_util } from '@tensorflow/tfjs-core';

/**
 * Whether `info` is the pooling every tutorial model uses: 2x2 windows, stride 2, no dilation,
 * nothing padded before the image and every window wholly inside it (so windows never overlap
 * and never reach padding). Odd trailing rows/columns that no window reads are allowed.
 */
export function isPlain2x2(info: backend_util.Conv2DInfo): boolean {
  return (
    info.filterHeight === 2 &&
    info.filterWidth === 2 &&
    info.strideHeight === 2 &&
    info.strideWidth === 2 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    2 * info.outHeight <= info.inHeight &&
    2 * info.outWidth <= info.inWidth
  );
}

/**
 * MaxPoolGrad for {@link isPlain2x2} geometry, with the general loop's semantics: the four values
 * are compared in row-major order with a strict `>` starting from -Infinity, so the first maximum
 * wins ties and a window of only NaN/-Infinity passes no gradient. Windows do not overlap, so each
 * window writes its gradient once, to its winner; `dx` must be all zeros beforehand.
 */
export function maxPoolGrad2x2(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  info: backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const rowStride = inWidth * channels;
  const imageStride = inHeight * rowStride;
  let dyIndex = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let r = 0; r < outHeight; r++) {
      let top = b * imageStride + 2 * r * rowStride;
      for (let c = 0; c < outWidth; c++, top += 2 * channels) {
        const bottom = top + rowStride;
        for (let d = 0; d < channels; d++, dyIndex++) {
          const p0 = top + d;
          const p1 = p0 + channels;
          const p2 = bottom + d;
          const p3 = p2 + channels;
          const v0 = x[p0] as number;
          const v1 = x[p1] as number;
          const v2 = x[p2] as number;
          const v3 = x[p3] as number;
          // The winner by the general loop's strict-> scan from -Infinity (-1: none).
          let at = v0 > Number.NEGATIVE_INFINITY ? p0 : -1;
          let best = at === p0 ? v0 : Number.NEGATIVE_INFINITY;
          if (v1 > best) {
            best = v1;
            at = p1;
          }
          if (v2 > best) {
            best = v2;
            at = p2;
          }
          if (v3 > best) at = p3;
          if (at >= 0) dx[at] = dy[dyIndex] as number;
        }
      }
    }
  }
}
