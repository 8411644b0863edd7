import { backend_util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, type WasmKernelBackend } from './kernel-call';
import { WasmKernelInputError } from '../errors';

type Shape4 = [number, number, number, number];

/**
 * The geometry (output size, strides, padding) of an NHWC conv2d with dilation 1, as tfjs
 * computes it, for the gradient kernels; any other data format is a typed error naming the kernel.
 */
export function nhwcConvInfo(
  kernelName: string,
  attrs: {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dataFormat?: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  },
  inputShape: readonly number[],
  filterShape: readonly number[],
): backend_util.Conv2DInfo {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new WasmKernelInputError(kernelName, `dataFormat '${dataFormat}' (expected 'NHWC')`);
  }
  return backend_util.computeConv2DInfo(
    inputShape as Shape4,
    filterShape as Shape4,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
}

/**
 * A stride-1 forward Conv2D (XNNPACK) with zero padding on each side (negative amounts count as
 * none: callers crop first) and the given dilation: both gradient kernels reduce to this.
 */
export function paddedConv2d(
  backend: WasmKernelBackend,
  x: TensorInfo,
  filter: TensorInfo,
  pads: { top: number; bottom: number; left: number; right: number },
  dilations: [number, number],
): TensorInfo {
  const padding = [
    [0, 0],
    [Math.max(0, pads.top), Math.max(0, pads.bottom)],
    [Math.max(0, pads.left), Math.max(0, pads.right)],
    [0, 0],
  ] as backend_util.ExplicitPadding;
  return callKernel(
    backend,
    'Conv2D',
    { x, filter },
    { strides: [1, 1], pad: padding, dataFormat: 'NHWC', dilations, dimRoundingMode: 'floor' },
  );
}
