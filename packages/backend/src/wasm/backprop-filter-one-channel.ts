import { BatchMatMul } from '@tensorflow/tfjs-core';
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './heap';
import { callStock, release, reshape, transpose } from './kernel-call';

/**
 * The input pixels each filter tap saw, for a single-channel input: row (n, y, x) holds, for the
 * kh*kw taps in order, x[n, y*sh + i - top, x*sw + j - left] (0 in the padding).
 */
function tapsPerPosition(backend: HeapBackend, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, outHeight, outWidth } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const taps = kh * kw;
  const out = backend.makeOutput([batchSize * outHeight * outWidth, taps], 'float32');
  // Views after the allocation: growing the wasm memory detaches older views.
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  let o = 0;
  for (let n = 0; n < batchSize; n++) {
    const image = n * inHeight * inWidth;
    for (let y = 0; y < outHeight; y++) {
      for (let c = 0; c < outWidth; c++) {
        for (let i = 0; i < kh; i++) {
          const row = y * sh + i - top;
          const inside = row >= 0 && row < inHeight;
          const base = image + row * inWidth + c * sw - left;
          for (let j = 0; j < kw; j++, o++) {
            const col = c * sw + j - left;
            dst[o] = inside && col >= 0 && col < inWidth ? (src[base + j] as number) : 0;
          }
        }
      }
    }
  }
  return out;
}

/**
 * Conv2DBackpropFilter for a single input channel (every model's first layer) as one product,
 * dW^T[o, tap] = sum over positions of dy^T[o, position] * taps[position, tap]. The convolution
 * form would make dy (a big tensor, new every step) the filter XNNPACK packs, and have only kh*kw
 * output pixels; here XNNPACK packs the smaller taps matrix and dy is only transposed.
 */
export function backpropFilterOneChannel(
  backend: HeapBackend,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, outChannels } = info;
  const taps = tapsPerPosition(backend, x, info);
  const positions = taps.shape[0] as number;
  const dy2 = reshape(backend, dy, [positions, outChannels]);
  const dyT = transpose(backend, dy2, [1, 0]);
  release(backend, dy2);
  const dwT = callStock(backend, BatchMatMul, { a: dyT, b: taps }, { transposeA: false, transposeB: false });
  release(backend, dyT, taps);
  const dwT2 = reshape(backend, dwT, [outChannels, kh * kw]);
  release(backend, dwT);
  const dw2 = transpose(backend, dwT2, [1, 0]);
  release(backend, dwT2);
  const dw = reshape(backend, dw2, [kh, kw, 1, outChannels]);
  release(backend, dw2);
  return dw;
}
