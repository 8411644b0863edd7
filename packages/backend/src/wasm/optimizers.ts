import {
  ADAM_UPDATE,
  type AdamUpdateAttrs,
  adamScalars,
  SGD_UPDATE,
  type SgdUpdateAttrs,
  sgdScalars,
  updateInputsProblem,
} from '@cnn/kernels';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { WasmKernelInputError } from '../errors';
import type { HeapBackend } from './heap';
import { adamByKernels, sgdByKernels } from './optimizer-ops';
import { adamBySimd, sgdBySimd } from './optimizer-simd';
import { simdKernels } from './simd-kernels';

/**
 * Without the SIMD kernels (simd-kernels.ts): below this many elements one scalar JavaScript pass
 * is cheaper than a dozen wasm kernel calls; above it the wasm (XNNPACK, SIMD) kernels of the
 * composite ops are (optimizer-ops.ts).
 */
const LOOP_MAX = 4096;

interface UpdateArgs {
  inputs: Record<string, TensorInfo | undefined>;
  backend: HeapBackend;
  attrs: unknown;
}

const f = Math.fround;

const sizeOf = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1);

function check(kernel: string, inputs: Record<string, TensorInfo | undefined>, required: string[]): void {
  const problem = updateInputsProblem(inputs, required);
  if (problem !== undefined) throw new WasmKernelInputError(kernel, `input: ${problem}`);
}

/**
 * Which written tensors (the parameter first) may be overwritten. Never the parameter: the wasm
 * Conv2D and MatMul kernels keep the weights XNNPACK packed from a filter under that tensor's id,
 * so a filter changed in place would go on convolving with its old values. The optimizer's own
 * state may, when its heap memory is its own (no other tensor shares its dataId, and it is no
 * other input); the wasm backend copies every tensor's values into its heap, so then nothing else
 * can read it.
 */
function writableOf(backend: HeapBackend, written: TensorInfo[], all: TensorInfo[]): Set<TensorInfo> {
  return new Set(
    written.filter(
      (t, i) => i > 0 && backend.refCount(t.dataId) === 1 && all.filter((u) => u.dataId === t.dataId).length === 1,
    ),
  );
}

/** Each written tensor itself when it may be overwritten, else a fresh heap buffer. */
function outputsFor(backend: HeapBackend, written: TensorInfo[], writable: Set<TensorInfo>): TensorInfo[] {
  return written.map((t) => (writable.has(t) ? t : backend.makeOutput([...t.shape], 'float32')));
}

function sgdUpdate({ inputs, backend, attrs }: UpdateArgs): TensorInfo[] {
  const a = attrs as SgdUpdateAttrs;
  const { param, grad, momentumBuffer } = inputs;
  check(SGD_UPDATE, inputs, a.momentum !== 0 ? ['param', 'grad', 'momentumBuffer'] : ['param', 'grad']);
  if (a.momentum === 0 && momentumBuffer !== undefined) {
    throw new WasmKernelInputError(SGD_UPDATE, 'input: momentumBuffer given with momentum 0');
  }
  const written = momentumBuffer ? [param!, momentumBuffer] : [param!];
  const writable = writableOf(backend, written, [...written, grad!]);
  const simd = simdKernels(backend);
  if (simd !== undefined) {
    const outs = outputsFor(backend, written, writable);
    return sgdBySimd(simd, backend, { param: param!, grad: grad!, momentumBuffer }, a, sgdScalars(a), outs);
  }
  if (sizeOf(param!) > LOOP_MAX) {
    return sgdByKernels(backend, { param: param!, grad: grad!, momentumBuffer }, a, sgdScalars(a), writable);
  }
  const outs = outputsFor(backend, written, writable);
  // Views after every allocation: growing the wasm memory detaches older views.
  const P = backend.typedArrayFromHeap(param!);
  const G = backend.typedArrayFromHeap(grad!);
  const B = momentumBuffer ? backend.typedArrayFromHeap(momentumBuffer) : P;
  const PO = backend.typedArrayFromHeap(outs[0]!);
  const BO = momentumBuffer ? backend.typedArrayFromHeap(outs[1]!) : P;
  const { lr, momentum, oneMinusDampening, weightDecay, applyWeightDecay } = sgdScalars(a);
  const withBuffer = momentumBuffer !== undefined;
  const { initialize, nesterov } = a;
  const n = P.length;
  // Every step rounded to float32, in the composite path's order (see SGD_UPDATE).
  for (let i = 0; i < n; i++) {
    const p = P[i]!;
    let g = G[i]!;
    if (applyWeightDecay) g = f(g + f(p * weightDecay));
    if (withBuffer) {
      const b = initialize ? g : f(f(B[i]! * momentum) + f(g * oneMinusDampening));
      BO[i] = b;
      g = nesterov ? f(g + f(b * momentum)) : b;
    }
    PO[i] = f(p - f(g * lr));
  }
  return outs;
}

function adamUpdate({ inputs, backend, attrs }: UpdateArgs): TensorInfo[] {
  const a = attrs as AdamUpdateAttrs;
  const { param, grad, expAvg, expAvgSq } = inputs;
  check(ADAM_UPDATE, inputs, ['param', 'grad', 'expAvg', 'expAvgSq']);
  const written = [param!, expAvg!, expAvgSq!];
  const writable = writableOf(backend, written, [...written, grad!]);
  const simd = simdKernels(backend);
  const all = { param: param!, grad: grad!, expAvg: expAvg!, expAvgSq: expAvgSq! };
  if (simd !== undefined)
    return adamBySimd(simd, backend, all, a, adamScalars(a), outputsFor(backend, written, writable));
  if (sizeOf(param!) > LOOP_MAX) {
    return adamByKernels(backend, all, a, adamScalars(a), writable);
  }
  const outs = outputsFor(backend, written, writable);
  const [P, G, M, V] = [param!, grad!, expAvg!, expAvgSq!].map((t) => backend.typedArrayFromHeap(t)) as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  const [PO, MO, VO] = outs.map((t) => backend.typedArrayFromHeap(t)) as [Float32Array, Float32Array, Float32Array];
  const c = adamScalars(a);
  // Constants in locals: the loop is the whole cost, one pass per parameter.
  const { beta1, oneMinusBeta1, beta2, oneMinusBeta2, l2, applyL2, decayFactor, applyDecay } = c;
  const { biasCorrection2Sqrt, eps, stepSize } = c;
  const init = a.initialize;
  const n = P.length;
  for (let i = 0; i < n; i++) {
    let p = P[i]!;
    let g = G[i]!;
    if (applyDecay) p = f(p * decayFactor);
    if (applyL2) g = f(g + f(p * l2));
    const g2 = f(g * g);
    const m = init ? f(g * oneMinusBeta1) : f(f(M[i]! * beta1) + f(g * oneMinusBeta1));
    const v = init ? f(g2 * oneMinusBeta2) : f(f(V[i]! * beta2) + f(g2 * oneMinusBeta2));
    MO[i] = m;
    VO[i] = v;
    const denom = f(f(f(Math.sqrt(v)) / biasCorrection2Sqrt) + eps);
    PO[i] = f(p - f(f(m / denom) * stepSize));
  }
  return outs;
}

/** SGD_UPDATE on the wasm backend: one JavaScript pass over the heap for small parameters, else wasm kernels. */
export const wasmSgdUpdateConfig: KernelConfig = {
  kernelName: SGD_UPDATE,
  backendName: 'wasm',
  kernelFunc: sgdUpdate as unknown as KernelFunc,
};

/** ADAM_UPDATE on the wasm backend (Adam and AdamW). */
export const wasmAdamUpdateConfig: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: adamUpdate as unknown as KernelFunc,
};
