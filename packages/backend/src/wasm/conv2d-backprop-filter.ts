import { Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { backpropFilterOneChannel } from './backprop-filter-one-channel';
import { nhwcConvInfo, paddedConv2d } from './conv-info';
import type { HeapBackend } from './heap';
import { crop4d, release, transpose, type WasmKernelBackend } from './kernel-call';

/**
 * dW[i, j, c, o] = sum over (n, y, x) of xPadded[n, y*s + i, x*s + j, c] * dy[n, y, x, o].
 *
 * Read with the channels `c` as the batch and the images `n` as the input channels, that is a
 * forward convolution of x' = x^T [C, H, W, N] with the filter dy' [Ho, Wo, N, O] dilated by the
 * stride, which the wasm Conv2D (XNNPACK) runs fast. The result [C, kh, kw, O] is transposed
 * back to [kh, kw, C, O].
 */
function conv2dBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: WasmKernelBackend;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const info = nhwcConvInfo('Conv2DBackpropFilter', attrs, x.shape, attrs.filterShape);
  if (useTapsProduct(info) && x.dtype === 'float32' && dy.dtype === 'float32') {
    return backpropFilterOneChannel(backend as HeapBackend, x, dy, info);
  }
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;
  // Padding after the image that makes the dilated dy fit exactly kh x kw positions.
  const bottom = kh + (info.outHeight - 1) * sh - info.inHeight - top;
  const right = kw + (info.outWidth - 1) * sw - info.inWidth - left;
  // Negative padding (rows the forward pass never read) becomes a crop of x.
  const cropped = crop4d(backend, x, Math.max(0, -top), Math.max(0, -bottom), Math.max(0, -left), Math.max(0, -right));
  const xT = transpose(backend, cropped.info, [3, 1, 2, 0]);
  if (cropped.owned) release(backend, cropped.info);
  const dyT = transpose(backend, dy, [1, 2, 0, 3]);
  const dwT = paddedConv2d(backend, xT, dyT, { top, bottom, left, right }, [sh, sw]);
  release(backend, xT, dyT);
  const dw = transpose(backend, dwT, [1, 2, 0, 3]);
  release(backend, dwT);
  return dw;
}

/**
 * Whether the one-channel product form beats the convolution form. Measured in one process on
 * 28x28 first layers: it wins for 150 output channels (25 vs 45 ms at batch 50) and loses for
 * 5 to 32 (10.7 vs 9.5 ms for 32), as its fixed cost (building the taps) only pays off when the
 * convolution form's cost in dy (packing O channels) is large compared with the kh*kw taps.
 */
function useTapsProduct(info: { inChannels: number; outChannels: number; filterHeight: number; filterWidth: number }) {
  return (
    info.inChannels === 1 && info.outChannels >= 64 && info.outChannels >= 2 * info.filterHeight * info.filterWidth
  );
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};
