import { backend_util, type KernelConfig, MaxPool, MaxPoolGrad, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeAddon } from '../addon';
import { type Packed, type PoolGeometry, packPoolGeometry } from '../geometry';
import { alloc, callAddon, requireDims, allFloat32, f32, sizeOf, withCpuFallback } from './util';

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const pair = (v: number | [number, number]): number[] => (typeof v === 'number' ? [v, v] : [...v]);

/** The geometry the addon reads, packed; undefined for the cpu kernel, or a NativeKernelError for an impossible one. */
function geometry(
  kernel: string,
  x: TensorInfo,
  attrs: PoolAttrs,
): { info: backend_util.Conv2DInfo; g: Packed<PoolGeometry> } | undefined {
  if (x.shape.length !== 4 || x.dtype !== 'float32') return undefined;
  requireDims(kernel, { x: x.shape }, 'strides', pair(attrs.strides), 1);
  requireDims(kernel, { x: x.shape }, 'window size', pair(attrs.filterSize), 1);
  const info = backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  requireDims(kernel, { x: x.shape }, 'output shape', info.outShape, 0);
  if (sizeOf(info.outShape) === 0) return undefined;
  const { padInfo: p } = info;
  const g = packPoolGeometry({
    batchSize: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    channels: info.inChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: p.top,
    padLeft: p.left,
  });
  return { info, g };
}

export const maxPoolConfig: KernelConfig = withCpuFallback(MaxPool, ({ inputs, backend, attrs }) => {
  const x = inputs.x!;
  const geo = geometry(MaxPool, x, attrs as unknown as PoolAttrs);
  if (!geo) return undefined;
  const y = alloc(sizeOf(geo.info.outShape));
  callAddon(MaxPool, { x: x.shape }, () => nativeAddon().maxPool(f32(backend, x), y, geo.g));
  return backend.makeTensorInfo(geo.info.outShape, 'float32', y);
});

export const maxPoolGradConfig: KernelConfig = withCpuFallback(MaxPoolGrad, ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs;
  if (!allFloat32(dy, input)) return undefined;
  const geo = geometry(MaxPoolGrad, input!, attrs as unknown as PoolAttrs);
  if (!geo || sizeOf(dy!.shape) !== sizeOf(geo.info.outShape)) return undefined;
  const dx = alloc(sizeOf(input!.shape));
  callAddon(MaxPoolGrad, { dy: dy!.shape, input: input!.shape }, () =>
    nativeAddon().maxPoolGrad(f32(backend, dy!), f32(backend, input!), dx, geo.g),
  );
  return backend.makeTensorInfo([...input!.shape], 'float32', dx);
});
