import {
  Add,
  Exp,
  Log,
  backend_util,
  type KernelConfig,
  Multiply,
  Neg,
  RealDiv,
  Relu,
  Rsqrt,
  Sqrt,
  Square,
  SquaredDifference,
  Step,
  Sub,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { nativeAddon } from '../addon';
import { alloc, callAddon, f32, type NativeKernelArgs, sizeOf, withCpuFallback } from './util';

const SAME = 0;
const VECTOR_B = 1;
const VECTOR_A = 2;

/** Without leading 1s: [1, 1, 32] -> [32]. */
function squeezeLeading(shape: number[]): number[] {
  let i = 0;
  while (i < shape.length && shape[i] === 1) i++;
  return shape.slice(i);
}

/** True when `small` (leading 1s dropped) equals the last dims of `out`: it repeats every sizeOf(small). */
function isTrailing(small: number[], out: number[]): boolean {
  const s = squeezeLeading(small);
  if (s.length > out.length) return false;
  const tail = out.slice(out.length - s.length);
  return s.every((d, i) => d === tail[i]);
}

function binary(op: number, name: string) {
  return ({ inputs, backend }: NativeKernelArgs): TensorInfo | undefined => {
    const { a, b } = inputs;
    if (a!.dtype !== 'float32' || b!.dtype !== 'float32') return undefined;
    const outShape = backend_util.assertAndGetBroadcastShape(a!.shape, b!.shape);
    const n = sizeOf(outShape);
    const na = sizeOf(a!.shape);
    const nb = sizeOf(b!.shape);
    if (n === 0) return undefined;
    let mode: number;
    let inner = n;
    if (na === n && nb === n) mode = SAME;
    else if (na === n && isTrailing(b!.shape, outShape)) [mode, inner] = [VECTOR_B, nb];
    else if (nb === n && isTrailing(a!.shape, outShape)) [mode, inner] = [VECTOR_A, na];
    else return undefined;
    const out = alloc(n);
    callAddon(name, { a: a!.shape, b: b!.shape }, () =>
      nativeAddon().binary(op, f32(backend, a!), f32(backend, b!), out, mode, inner),
    );
    return backend.makeTensorInfo(outShape, 'float32', out);
  };
}

function unary(op: number, name: string) {
  return ({ inputs, backend, attrs }: NativeKernelArgs): TensorInfo | undefined => {
    const x = inputs.x!;
    if (x.dtype !== 'float32' || sizeOf(x.shape) === 0) return undefined;
    const out = alloc(sizeOf(x.shape));
    callAddon(name, { x: x.shape }, () =>
      nativeAddon().unary(op, f32(backend, x), out, (attrs?.alpha as number | undefined) ?? 0),
    );
    return backend.makeTensorInfo([...x.shape], 'float32', out);
  };
}

export const elementwiseConfigs: KernelConfig[] = [
  withCpuFallback(Add, binary(0, Add)),
  withCpuFallback(Sub, binary(1, Sub)),
  withCpuFallback(Multiply, binary(2, Multiply)),
  withCpuFallback(RealDiv, binary(3, RealDiv)),
  withCpuFallback(SquaredDifference, binary(4, SquaredDifference)),
  withCpuFallback(Relu, unary(0, Relu)),
  withCpuFallback(Step, unary(1, Step)),
  withCpuFallback(Neg, unary(2, Neg)),
  withCpuFallback(Square, unary(3, Square)),
  withCpuFallback(Sqrt, unary(4, Sqrt)),
  withCpuFallback(Rsqrt, unary(5, Rsqrt)),
  withCpuFallback(Exp, unary(6, Exp)),
  withCpuFallback(Log, unary(7, Log)),
];
