import { Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { nhwcConvInfo, paddedConv2d } from './conv-info';
import { callKernel, crop4d, release, reshape, transpose, type WasmKernelBackend } from './kernel-call';

/** Spreads dy by the stride: [N, Ho, Wo, C] -> [N, Ho*sh, Wo*sw, C] with zeros in between. */
function dilate(backend: WasmKernelBackend, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  const [n, ho, wo, c] = dy.shape as [number, number, number, number];
  const dy6 = reshape(backend, dy, [n, ho, 1, wo, 1, c]);
  const padded = callKernel(
    backend,
    'PadV2',
    { x: dy6 },
    {
      paddings: [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  release(backend, dy6);
  const out = reshape(backend, padded, [n, ho * sh, wo * sw, c]);
  release(backend, padded);
  return out;
}

/**
 * dx = the forward convolution of dy (spread by the stride) with the filter flipped in space and
 * with its in/out channels swapped, padded by kh-1-top above and whatever makes the output
 * exactly the input's size below. The wasm Conv2D (XNNPACK) runs that fast, where the stock
 * Conv2DBackpropInput is a scalar loop.
 */
function conv2dBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: WasmKernelBackend;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const info = nhwcConvInfo('Conv2DBackpropInput', attrs, attrs.inputShape, filter.shape);
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const spread = sh === 1 && sw === 1 ? dy : dilate(backend, dy, sh, sw);
  const [, hd, wd] = spread.shape as [number, number, number, number];
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const bottom = info.inHeight + kh - 1 - hd - top;
  const right = info.inWidth + kw - 1 - wd - left;
  const cropped = crop4d(
    backend,
    spread,
    Math.max(0, -top),
    Math.max(0, -bottom),
    Math.max(0, -left),
    Math.max(0, -right),
  );
  if (cropped.owned && spread !== dy) release(backend, spread);
  const source = cropped.info;
  const reversed = callKernel(backend, 'Reverse', { x: filter }, { dims: [0, 1] });
  const flipped = transpose(backend, reversed, [0, 1, 3, 2]);
  release(backend, reversed);
  const dx = paddedConv2d(backend, source, flipped, { top, bottom, left, right }, [1, 1]);
  release(backend, flipped);
  if (source !== dy) release(backend, source);
  return dx;
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as KernelFunc,
};
