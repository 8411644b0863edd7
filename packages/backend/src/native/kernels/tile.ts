import { type KernelConfig, Tile } from '@tensorflow/tfjs-core';
import { nativeAddon } from '../addon';
import { alloc, callAddon, f32, sizeOf, withCpuFallback } from './util';

/** Tile of a float32 tensor (e.g. per-channel vectors spread over N, H, W in batch-norm gradients). */
export const tileConfig: KernelConfig = withCpuFallback(Tile, ({ inputs, backend, attrs }) => {
  const x = inputs.x!;
  const reps = (attrs as unknown as { reps: number[] }).reps;
  if (x.dtype !== 'float32' || x.shape.length === 0 || reps.length !== x.shape.length) return undefined;
  const shape = x.shape.map((d, i) => d * reps[i]!);
  if (sizeOf(shape) === 0) return undefined;
  const out = alloc(sizeOf(shape));
  callAddon(Tile, { x: x.shape }, () => nativeAddon().tile(f32(backend, x), out, [...x.shape], [...reps]));
  return backend.makeTensorInfo(shape, 'float32', out);
});
