import { _FusedMatMul, BatchMatMul, backend_util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeAddon } from '../addon';
import { alloc, callAddon, allFloat32, f32, type NativeKernelArgs, sizeOf, withCpuFallback } from './util';

interface MatmulAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation?: string;
}

/** a x b (+ bias[N]) (relu) on oneDNN, or undefined when the shapes need the cpu kernel. */
function matmul(
  { backend }: NativeKernelArgs,
  a: TensorInfo,
  b: TensorInfo,
  { transposeA, transposeB }: MatmulAttrs,
  bias: TensorInfo | undefined,
  relu: boolean,
): TensorInfo | undefined {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2 || !allFloat32(a, b, bias)) return undefined;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb || m * n * k === 0) return undefined; // the cpu kernel reports the error
  const outer = backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = sizeOf(outer);
  const batchA = sizeOf(a.shape.slice(0, -2));
  const batchB = sizeOf(b.shape.slice(0, -2));
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return undefined;
  if (bias && sizeOf(bias.shape) !== n) return undefined;
  const out = alloc(batch * m * n);
  callAddon(relu || bias ? _FusedMatMul : BatchMatMul, { a: a.shape, b: b.shape }, () =>
    nativeAddon().matmul(
      f32(backend, a),
      f32(backend, b),
      out,
      batchA,
      batchB,
      m,
      n,
      k,
      transposeA,
      transposeB,
      bias ? f32(backend, bias) : null,
      relu,
    ),
  );
  return backend.makeTensorInfo([...outer, m, n], 'float32', out);
}

export const batchMatMulConfig: KernelConfig = withCpuFallback(BatchMatMul, (args) => {
  const { a, b } = args.inputs;
  return matmul(args, a!, b!, args.attrs as unknown as MatmulAttrs, undefined, false);
});

export const fusedMatMulConfig: KernelConfig = withCpuFallback(_FusedMatMul, (args) => {
  const { a, b, bias, preluActivationWeights } = args.inputs;
  const attrs = args.attrs as unknown as MatmulAttrs;
  const activation = attrs.activation ?? 'linear';
  if (preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return undefined;
  if (bias && bias.shape.length > 1 && sizeOf(bias.shape.slice(0, -1)) !== 1) return undefined;
  return matmul(args, a!, b!, attrs, bias, activation === 'relu');
});
