import {
  backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  FusedConv2D,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { type ConvGeometry, nativeAddon } from '../addon';
import { alloc, allFloat32, f32, type NativeKernelArgs, sizeOf, withCpuFallback } from './util';

type Pair = number | [number, number];
interface ConvAttrs {
  strides: Pair;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: Pair;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
  inputShape?: [number, number, number, number];
  filterShape?: [number, number, number, number];
}

/** The 17-number geometry the addon reads, or undefined when oneDNN can't express it. */
function geometry(
  xShape: number[],
  filterShape: number[],
  attrs: ConvAttrs,
): { info: backend_util.Conv2DInfo; g: ConvGeometry } | undefined {
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC' || xShape.length !== 4 || filterShape.length !== 4) return undefined;
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { padInfo: p } = info;
  // oneDNN sizes the output as floor((in - kernel + near + far) / stride) + 1; find the far-side
  // padding (>= 0) that gives tfjs's output size, or give the case to cpu.
  const far = (out: number, stride: number, kernel: number, dil: number, size: number, near: number) => {
    const k = (kernel - 1) * dil + 1;
    const pad = Math.max(0, (out - 1) * stride + k - size - near);
    return Math.floor((size - k + near + pad) / stride) + 1 === out ? pad : -1;
  };
  const bottom = far(info.outHeight, info.strideHeight, info.filterHeight, info.dilationHeight, info.inHeight, p.top);
  const right = far(info.outWidth, info.strideWidth, info.filterWidth, info.dilationWidth, info.inWidth, p.left);
  if (bottom < 0 || right < 0 || p.top < 0 || p.left < 0 || sizeOf(info.outShape) === 0) return undefined;
  const g = [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    p.top,
    p.left,
    bottom,
    right,
  ];
  return { info, g };
}

function forward(
  { backend }: NativeKernelArgs,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | undefined,
  attrs: ConvAttrs,
  relu: boolean,
): TensorInfo | undefined {
  if (!allFloat32(x, filter, bias)) return undefined;
  const geo = geometry(x.shape, filter.shape, attrs);
  if (!geo || (bias && (bias.shape.length !== 1 || bias.shape[0] !== geo.info.outChannels))) return undefined;
  const y = alloc(sizeOf(geo.info.outShape));
  nativeAddon().conv2d(f32(backend, x), f32(backend, filter), bias ? f32(backend, bias) : null, y, geo.g, relu);
  return backend.makeTensorInfo(geo.info.outShape, 'float32', y);
}

export const conv2DConfig: KernelConfig = withCpuFallback(Conv2D, (args) => {
  const { x, filter } = args.inputs;
  return forward(args, x!, filter!, undefined, args.attrs as unknown as ConvAttrs, false);
});

export const fusedConv2DConfig: KernelConfig = withCpuFallback(FusedConv2D, (args) => {
  const { x, filter, bias, preluActivationWeights } = args.inputs;
  const attrs = args.attrs as unknown as ConvAttrs;
  const activation = attrs.activation ?? 'linear';
  if (preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return undefined;
  return forward(args, x!, filter!, bias, attrs, activation === 'relu');
});

export const conv2DBackpropInputConfig: KernelConfig = withCpuFallback(
  Conv2DBackpropInput,
  ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs;
    const a = attrs as unknown as ConvAttrs;
    if (!allFloat32(dy, filter) || !a.inputShape) return undefined;
    const geo = geometry(a.inputShape, filter!.shape, a);
    if (!geo) return undefined;
    const dx = alloc(sizeOf(a.inputShape));
    nativeAddon().conv2dBackpropInput(f32(backend, dy!), f32(backend, filter!), dx, geo.g);
    return backend.makeTensorInfo([...a.inputShape], 'float32', dx);
  },
);

export const conv2DBackpropFilterConfig: KernelConfig = withCpuFallback(
  Conv2DBackpropFilter,
  ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs;
    const a = attrs as unknown as ConvAttrs;
    if (!allFloat32(x, dy) || !a.filterShape) return undefined;
    const geo = geometry(x!.shape, a.filterShape, a);
    if (!geo) return undefined;
    const dw = alloc(sizeOf(a.filterShape));
    nativeAddon().conv2dBackpropFilter(f32(backend, x!), f32(backend, dy!), dw, geo.g);
    return backend.makeTensorInfo([...a.filterShape], 'float32', dw);
  },
);
