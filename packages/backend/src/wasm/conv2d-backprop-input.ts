import { Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { nhwcConvInfo, paddedConv2d } from './conv-info';
import { type HeapBackend, heapViews } from './heap';
import { callKernel, crop4d, release, reshape, type WasmKernelBackend } from './kernel-call';

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
 * The filter [kh, kw, C, O] turned in space and with its channels swapped: [kh, kw, O, C] with
 * out[kh-1-i, kw-1-j, o, c] = in[i, j, c, o], in one pass over the heap. The stock Reverse it
 * replaces took 340 us for a 5x5x16x32 filter (620 us with 2 threads),
 * a third to a half of the whole Conv2DBackpropInput.
 */
function flippedFilter(backend: HeapBackend, filter: TensorInfo): TensorInfo {
  const [kh, kw, c, o] = filter.shape as [number, number, number, number];
  const { outputs, ins, outs } = heapViews(backend, [filter], [[kh, kw, o, c]]);
  const src = ins[0]!;
  const dst = outs[0]!;
  const taps = kh * kw;
  const plane = c * o;
  for (let t = 0; t < taps; t++) {
    const from = t * plane;
    const to = (taps - 1 - t) * plane;
    for (let ci = 0; ci < c; ci++) {
      const row = from + ci * o;
      for (let oi = 0; oi < o; oi++) dst[to + oi * c + ci] = src[row + oi]!;
    }
  }
  return outputs[0]!;
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
  const flipped = flippedFilter(backend as HeapBackend, filter);
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
