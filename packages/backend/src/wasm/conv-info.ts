import { backend_util } from '@tensorflow/tfjs-core';
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
