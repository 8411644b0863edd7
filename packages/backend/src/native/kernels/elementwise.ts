import {
  Add,
  Exp,
  Log,
  type KernelConfig,
  Maximum,
  Minimum,
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
import type { BinaryOpName, UnaryOpName } from './elementwise-ops';
import { alloc, callAddon, f32, type NativeKernelArgs, sizeOf, withCpuFallback } from './util';

/** The addon's loops merge dimensions, but take at most this many before merging (as tfjs ops). */
const MAX_RANK = 6;

/** The broadcast shape of a and b, or undefined when they do not broadcast (cpu then throws tfjs's error). */
function broadcastShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * int32 inputs (step counters such as batch norm's num_batches_tracked) give an int32 output, as on
 * cpu; their few elements are not worth pooling. Undefined when the storage is not an Int32Array.
 */
function binaryInt32(op: BinaryOpName, name: string, args: NativeKernelArgs, outShape: number[]) {
  const { a, b } = args.inputs;
  const va = args.backend.data.get(a!.dataId).values;
  const vb = args.backend.data.get(b!.dataId).values;
  if (op === 'div' || !(va instanceof Int32Array) || !(vb instanceof Int32Array)) return undefined;
  const out = new Int32Array(sizeOf(outShape));
  callAddon(name, { a: a!.shape, b: b!.shape }, () => nativeAddon().binary(op, va, a!.shape, vb, b!.shape, out));
  return args.backend.makeTensorInfo(outShape, 'int32', out);
}

function binary(op: BinaryOpName, name: string) {
  return (args: NativeKernelArgs): TensorInfo | undefined => {
    const { inputs, backend } = args;
    const { a, b } = inputs;
    if (a!.shape.length > MAX_RANK || b!.shape.length > MAX_RANK) return undefined;
    const outShape = broadcastShape(a!.shape, b!.shape);
    if (outShape === undefined) return undefined;
    const n = sizeOf(outShape);
    if (n === 0) return undefined;
    if (a!.dtype === 'int32' && b!.dtype === 'int32') return binaryInt32(op, name, args, outShape);
    if (a!.dtype !== 'float32' || b!.dtype !== 'float32') return undefined;
    const out = alloc(n);
    callAddon(name, { a: a!.shape, b: b!.shape }, () =>
      nativeAddon().binary(op, f32(backend, a!), a!.shape, f32(backend, b!), b!.shape, out),
    );
    return backend.makeTensorInfo(outShape, 'float32', out);
  };
}

function unary(op: UnaryOpName, name: string) {
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
  withCpuFallback(Add, binary('add', Add)),
  withCpuFallback(Sub, binary('sub', Sub)),
  withCpuFallback(Multiply, binary('mul', Multiply)),
  withCpuFallback(RealDiv, binary('div', RealDiv)),
  withCpuFallback(SquaredDifference, binary('squaredDifference', SquaredDifference)),
  withCpuFallback(Maximum, binary('maximum', Maximum)),
  withCpuFallback(Minimum, binary('minimum', Minimum)),
  withCpuFallback(Relu, unary('relu', Relu)),
  withCpuFallback(Step, unary('step', Step)),
  withCpuFallback(Neg, unary('neg', Neg)),
  withCpuFallback(Square, unary('square', Square)),
  withCpuFallback(Sqrt, unary('sqrt', Sqrt)),
  withCpuFallback(Rsqrt, unary('rsqrt', Rsqrt)),
  withCpuFallback(Exp, unary('exp', Exp)),
  withCpuFallback(Log, unary('log', Log)),
];
