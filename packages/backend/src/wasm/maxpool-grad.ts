import { backend_util, MaxPoolGrad } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmKernelBackend } from './kernel-call';

/** The part of the wasm backend this kernel reads and writes directly. */
interface HeapBackend extends WasmKernelBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/**
 * Routes each dy value to the position of its window's maximum (the first one in row-major
 * order on ties, NaNs never win, as the cpu backend does). The stock wasm MaxPoolGrad is slow for
 * training-size batches; this loop runs in JavaScript directly on the wasm heap, one pass over
 * the windows.
 */
function maxPoolGrad(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: HeapBackend;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  if (input.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`@cnn/backend wasm MaxPoolGrad supports float32 only, got ${input.dtype}`);
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
  const t0 = performance.now();
  const out = backend.makeOutput(input.shape, 'float32');
  // Views after the allocation: growing the wasm memory detaches older views.
  const x = backend.typedArrayFromHeap(input);
  const g = backend.typedArrayFromHeap(dy);
  const dx = backend.typedArrayFromHeap(out);
  const t1 = performance.now();
  dx.fill(0);
  const rowStride = inWidth * channels;
  const imageStride = inHeight * rowStride;
  for (let b = 0; b < batchSize; b++) {
    const image = b * imageStride;
    for (let r = 0; r < outHeight; r++) {
      const rCorner = r * strideHeight - top;
      const rMin = Math.max(0, rCorner);
      const rMax = Math.min(inHeight, rCorner + effectiveFilterHeight);
      for (let c = 0; c < outWidth; c++) {
        const cCorner = c * strideWidth - left;
        const cMin = Math.max(0, cCorner);
        const cMax = Math.min(inWidth, cCorner + effectiveFilterWidth);
        const dyBase = ((b * outHeight + r) * outWidth + c) * channels;
        for (let d = 0; d < channels; d++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let xr = rMin; xr < rMax; xr += dilationHeight) {
            const row = image + xr * rowStride + d;
            for (let xc = cMin; xc < cMax; xc += dilationWidth) {
              const v = x[row + xc * channels] as number;
              if (v > best) {
                best = v;
                at = row + xc * channels;
              }
            }
          }
          if (at >= 0) dx[at] = (dx[at] as number) + (g[dyBase + d] as number);
        }
      }
    }
  }
  console.log('alloc', (t1 - t0).toFixed(2), 'loop', (performance.now() - t1).toFixed(2));
  return out;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
