import { BatchMatMul } from '@tensorflow/tfjs-core';
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './heap';
import { callStock, release, reshape } from './kernel-call';
import type { OneChannelGeometry } from './simd-exports';
import { heapAddress, simdKernels } from './simd-kernels';

/** The convolution's shape in the order the SIMD kernels take it. */
function geometryOf(info: backend_util.Conv2DInfo): OneChannelGeometry {
  const { batchSize, inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, padInfo } = info;
  return [
    batchSize,
    inHeight,
    inWidth,
    outHeight,
    outWidth,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
    padInfo.top,
    padInfo.left,
  ];
}

/**
 * The input pixels each filter tap saw, for a single-channel input, tap-major: row i*kw + j holds,
 * for every output position (n, y, x) in order, x[n, y*sh + i - top, x*sw + j - left] (0 in the
 * padding). Along a row the columns inside the image are a run, copied without per-element tests
 * (by the SIMD kernels when they are available).
 */
function tapsPerTap(backend: HeapBackend, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, outHeight, outWidth } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const positions = batchSize * outHeight * outWidth;
  const out = backend.makeOutput([kh * kw, positions], 'float32');
  const simd = simdKernels(backend);
  if (simd !== undefined) {
    simd.one_channel_taps(heapAddress(backend, x), heapAddress(backend, out), ...geometryOf(info));
    return out;
  }
  // Views after the allocation: growing the wasm memory detaches older views.
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  dst.fill(0);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      // Output columns whose input column c*sw + j - left lies inside the image: [first, end).
      const first = Math.max(0, Math.ceil((left - j) / sw));
      const end = Math.min(outWidth, Math.floor((inWidth - 1 + left - j) / sw) + 1);
      let o = (i * kw + j) * positions;
      for (let n = 0; n < batchSize; n++) {
        const image = n * inHeight * inWidth;
        for (let y = 0; y < outHeight; y++, o += outWidth) {
          const row = y * sh + i - top;
          if (row < 0 || row >= inHeight) continue;
          let from = image + row * inWidth + first * sw + j - left;
          for (let c = first; c < end; c++, from += sw) dst[o + c] = src[from] as number;
        }
      }
    }
  }
  return out;
}

/**
 * Up to this many multiply-adds the SIMD kernels compute the filter gradient directly, without
 * the taps: XNNPACK's product packs dy (new every step) first, which for a small batch costs more
 * than the product.
 */
const DIRECT_MAX = 1 << 21;

function directFilterGrad(
  backend: HeapBackend,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | undefined {
  const { batchSize, outHeight, outWidth, outChannels, filterHeight: kh, filterWidth: kw } = info;
  if (batchSize * outHeight * outWidth * outChannels * kh * kw > DIRECT_MAX) return undefined;
  const simd = simdKernels(backend);
  if (simd === undefined) return undefined;
  const dw = backend.makeOutput([kh, kw, 1, outChannels], 'float32');
  const at = (t: TensorInfo) => heapAddress(backend, t);
  simd.one_channel_filter_grad(at(x), at(dy), at(dw), outChannels, ...geometryOf(info));
  return dw;
}

/**
 * Conv2DBackpropFilter for a single input channel (every model's first layer) as one product,
 * dW[tap, o] = sum over positions of taps[tap, position] * dy[position, o], which is already the
 * [kh, kw, 1, O] filter layout; for small layers the SIMD kernels compute it without the taps
 * (DIRECT_MAX). The convolution form would make dy (new every step) the filter
 * XNNPACK packs and have only kh*kw output pixels to share among the threads.
 */
export function backpropFilterOneChannel(
  backend: HeapBackend,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, outChannels } = info;
  const direct = directFilterGrad(backend, x, dy, info);
  if (direct !== undefined) return direct;
  const taps = tapsPerTap(backend, x, info);
  const positions = taps.shape[1] as number;
  const taps3 = reshape(backend, taps, [1, kh * kw, positions]);
  const dy3 = reshape(backend, dy, [1, positions, outChannels]);
  release(backend, taps);
  const dw3 = callStock(backend, BatchMatMul, { a: taps3, b: dy3 }, { transposeA: false, transposeB: false });
  release(backend, taps3, dy3);
  const dw = reshape(backend, dw3, [kh, kw, 1, outChannels]);
  release(backend, dw3);
  return dw;
}
