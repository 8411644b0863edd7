import { backend_util, MaxPoolGrad } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { WasmKernelInputError } from '../errors';
import type { HeapBackend } from './heap';
import { isPlain2x2, maxPoolGrad2x2 } from './maxpool-grad-2x2';
import { heapAddress, simdKernels } from './simd-kernels';

/**
 * Routes each dy value to the position of its window's maximum (the first one in row-major
 * order on ties, NaNs never win, as the cpu backend does). The stock wasm MaxPoolGrad is slow for
 * training-size batches; this loop runs in JavaScript directly on the wasm heap, one pass over
 * the windows (with an unrolled path for the common 2x2 stride-2 pooling, which the SIMD kernels
 * run when they are available).
 */
function maxPoolGrad(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: HeapBackend;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  if (input.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new WasmKernelInputError(
      'MaxPoolGrad',
      `dtype ${input.dtype === 'float32' ? dy.dtype : input.dtype} (expected float32)`,
    );
  }
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { effectiveFilterHeight, effectiveFilterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const out = backend.makeOutput(input.shape, 'float32');
  const simd = isPlain2x2(info) ? simdKernels(backend) : undefined;
  if (simd !== undefined) {
    const at = (t: TensorInfo) => heapAddress(backend, t);
    simd.maxpool_grad_2x2(at(input), at(dy), at(out), batchSize, inHeight, inWidth, channels, outHeight, outWidth);
    return out;
  }
  // Views after the allocation: growing the wasm memory detaches older views.
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  dx.fill(0);
  if (isPlain2x2(info)) {
    maxPoolGrad2x2(x, g, dx, info);
    return out;
  }
  const rowStride = inWidth * channels;
  const imageStride = inHeight * rowStride;
  // Per channel: the best value so far in the current window and where it is. The channel loop
  // is innermost so x is read contiguously; windows are scanned row-major, so on ties the first
  // maximum wins.
  const best = new Float32Array(channels);
  const at = new Int32Array(channels);
  let dyIndex = 0;
  for (let b = 0; b < batchSize; b++) {
    const image = b * imageStride;
    for (let r = 0; r < outHeight; r++) {
      const rCorner = r * strideHeight - top;
      const rMin = rCorner < 0 ? rCorner + Math.ceil(-rCorner / dilationHeight) * dilationHeight : rCorner;
      const rMax = Math.min(inHeight, rCorner + effectiveFilterHeight);
      for (let c = 0; c < outWidth; c++) {
        const cCorner = c * strideWidth - left;
        const cMin = cCorner < 0 ? cCorner + Math.ceil(-cCorner / dilationWidth) * dilationWidth : cCorner;
        const cMax = Math.min(inWidth, cCorner + effectiveFilterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        at.fill(-1);
        for (let xr = rMin; xr < rMax; xr += dilationHeight) {
          const row = image + xr * rowStride;
          for (let xc = cMin; xc < cMax; xc += dilationWidth) {
            const base = row + xc * channels;
            for (let d = 0; d < channels; d++) {
              const v = x[base + d] as number;
              if (v > (best[d] as number)) {
                best[d] = v;
                at[d] = base + d;
              }
            }
          }
        }
        for (let d = 0; d < channels; d++, dyIndex++) {
          const i = at[d] as number;
          if (i >= 0) dx[i] = (dx[i] as number) + (g[dyIndex] as number);
        }
      }
    }
  }
  return out;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
