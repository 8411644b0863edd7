import {
  backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  FusedConv2D,
  type KernelConfig,
  type TensorInfo,
  util as tfUtil,
} from '@tensorflow/tfjs-core';
import { nativeAddon } from '../addon';
import { NativeKernelError } from '../errors';
import { type ConvGeometry, type Packed, packConvGeometry } from '../geometry';
import { alloc, allFloat32, callAddon, f32, type NativeKernelArgs, requireDims, sizeOf, withCpuFallback } from './util';

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

type Shapes = Record<string, readonly number[]>;

const pair = (v: Pair | undefined): number[] => (v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : [...v]);

/**
 * The geometry the addon reads, packed, or undefined when oneDNN can't express it (the cpu
 * kernel runs). Throws NativeKernelError when the geometry is impossible (a stride or dilation
 * below 1, an output size below 0): there the cpu kernel would return a tensor of garbage.
 */
function geometry(
  kernel: string,
  shapes: Shapes,
  xShape: number[],
  filterShape: number[],
  attrs: ConvAttrs,
): { info: backend_util.Conv2DInfo; g: Packed<ConvGeometry> } | undefined {
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC' || xShape.length !== 4 || filterShape.length !== 4) return undefined;
  requireDims(kernel, shapes, 'strides', pair(attrs.strides), 1);
  requireDims(kernel, shapes, 'dilations', pair(attrs.dilations), 1);
  requireDims(kernel, shapes, 'input and filter sizes', [...xShape, ...filterShape], 0);
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
  if (info.outShape.some((d) => !(d >= 0))) {
    throw new NativeKernelError(
      kernel,
      shapes,
      'geometry',
      `output would be [${info.outShape.join(',')}]: the ${info.effectiveFilterHeight}x${info.effectiveFilterWidth} ` +
        `(dilated) kernel does not fit the padded ${info.inHeight}x${info.inWidth} input`,
    );
  }
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
  const g = packConvGeometry({
    batchSize: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    outChannels: info.outChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: p.top,
    padLeft: p.left,
    padBottom: bottom,
    padRight: right,
  });
  return { info, g };
}

/** A gradient dy must have the forward output's shape; the cpu kernel would read past or short of it. */
function requireForwardOutput(kernel: string, shapes: Shapes, dy: readonly number[], out: readonly number[]): void {
  if (tfUtil.arraysEqual(dy as number[], out as number[])) return;
  throw new NativeKernelError(kernel, shapes, 'geometry', `dy is [${dy}] but the forward output is [${out}]`);
}

function forward(
  kernel: string,
  { backend }: NativeKernelArgs,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | undefined,
  attrs: ConvAttrs,
  relu: boolean,
): TensorInfo | undefined {
  if (!allFloat32(x, filter, bias)) return undefined;
  const shapes: Shapes = { x: x.shape, filter: filter.shape, ...(bias ? { bias: bias.shape } : {}) };
  const geo = geometry(kernel, shapes, x.shape, filter.shape, attrs);
  if (!geo || (bias && (bias.shape.length !== 1 || bias.shape[0] !== geo.info.outChannels))) return undefined;
  const y = alloc(sizeOf(geo.info.outShape));
  callAddon(kernel, shapes, () =>
    nativeAddon().conv2d(f32(backend, x), f32(backend, filter), bias ? f32(backend, bias) : null, y, geo.g, relu),
  );
  return backend.makeTensorInfo(geo.info.outShape, 'float32', y);
}

export const conv2DConfig: KernelConfig = withCpuFallback(Conv2D, (args) => {
  const { x, filter } = args.inputs;
  return forward(Conv2D, args, x!, filter!, undefined, args.attrs as unknown as ConvAttrs, false);
});

export const fusedConv2DConfig: KernelConfig = withCpuFallback(FusedConv2D, (args) => {
  const { x, filter, bias, preluActivationWeights } = args.inputs;
  const attrs = args.attrs as unknown as ConvAttrs;
  const activation = attrs.activation ?? 'linear';
  if (preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return undefined;
  return forward(FusedConv2D, args, x!, filter!, bias, attrs, activation === 'relu');
});

export const conv2DBackpropInputConfig: KernelConfig = withCpuFallback(
  Conv2DBackpropInput,
  ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs;
    const a = attrs as unknown as ConvAttrs;
    if (!allFloat32(dy, filter) || !a.inputShape) return undefined;
    const shapes: Shapes = { dy: dy!.shape, filter: filter!.shape, inputShape: a.inputShape };
    const geo = geometry(Conv2DBackpropInput, shapes, a.inputShape, filter!.shape, a);
    if (!geo) return undefined;
    requireForwardOutput(Conv2DBackpropInput, shapes, dy!.shape, geo.info.outShape);
    const dx = alloc(sizeOf(a.inputShape));
    callAddon(Conv2DBackpropInput, shapes, () =>
      nativeAddon().conv2dBackpropInput(f32(backend, dy!), f32(backend, filter!), dx, geo.g),
    );
    return backend.makeTensorInfo([...a.inputShape], 'float32', dx);
  },
);

export const conv2DBackpropFilterConfig: KernelConfig = withCpuFallback(
  Conv2DBackpropFilter,
  ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs;
    const a = attrs as unknown as ConvAttrs;
    if (!allFloat32(x, dy) || !a.filterShape) return undefined;
    const shapes: Shapes = { x: x!.shape, dy: dy!.shape, filterShape: a.filterShape };
    const geo = geometry(Conv2DBackpropFilter, shapes, x!.shape, a.filterShape, a);
    if (!geo) return undefined;
    requireForwardOutput(Conv2DBackpropFilter, shapes, dy!.shape, geo.info.outShape);
    const dw = alloc(sizeOf(a.filterShape));
    callAddon(Conv2DBackpropFilter, shapes, () =>
      nativeAddon().conv2dBackpropFilter(f32(backend, x!), f32(backend, dy!), dw, geo.g),
    );
    return backend.makeTensorInfo([...a.filterShape], 'float32', dw);
  },
);
