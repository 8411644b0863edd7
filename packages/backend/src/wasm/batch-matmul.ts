import { BatchMatMul, util } from '@tensorflow/tfjs-core';
import type { BatchMatMulAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './heap';
import { callStock, release, reshape, transpose, type WasmKernelBackend } from './kernel-call';
import { heapAddress, simdKernels } from './simd-kernels';

/** Materialises the transpose of a 2-D matrix view of `x` ([rows, cols] -> [cols, rows]). */
function transposed2d(backend: WasmKernelBackend, x: TensorInfo, rows: number, cols: number): TensorInfo {
  const flat = reshape(backend, x, [rows, cols]);
  const out = transpose(backend, flat, [1, 0]);
  release(backend, flat);
  return out;
}

/** A 2-D [rows, cols] view of `x` sharing its data (the caller releases it). */
function view2d(backend: WasmKernelBackend, x: TensorInfo, rows: number, cols: number): TensorInfo {
  return reshape(backend, x, [rows, cols]);
}

/** Right-hand operands (data ids) already multiplied once: XNNPACK keeps their packed copy. */
const seenRight = new WeakSet<object>();

/**
 * Whether A B (no transposes) is better computed as (B^T A^T)^T. XNNPACK's fully-connected
 * operator packs the right-hand matrix into a fresh copy the first time it meets a buffer, and a
 * dense layer's weights get a new buffer every training step: packing a big B (3136x1024 in model
 * 000) costs more than the product with a few rows of A, and more than the three transposes of
 * the swapped form, which packs A^T (small) instead. A buffer seen before keeps the stock path,
 * so inference with fixed weights still reuses the packed copy from its second call on.
 */
function packingDominates(a: TensorInfo, b: TensorInfo): boolean {
  const firstUse = !seenRight.has(b.dataId);
  seenRight.add(b.dataId);
  if (!firstUse) return false;
  const m = a.shape[a.shape.length - 2] as number;
  const k = a.shape[a.shape.length - 1] as number;
  const n = b.shape[b.shape.length - 1] as number;
  // Measured: packing B costs about two transposes of B; the swapped form transposes A twice
  // (once to pack it), B once and C once.
  return k * n >= MIN_PACKED && k * n >= 2 * (2 * m * k + m * n);
}

/** Below this many floats in B, packing it is too cheap to be worth three transposes. */
const MIN_PACKED = 1 << 16;

/**
 * Up to this many multiply-adds a product runs as one SIMD loop (simd-kernels.ts) instead of
 * XNNPACK, whose fully-connected operator packs the right-hand matrix first: a training step's
 * right-hand operands are new every step, and for small products the packing is most of the time.
 */
const SMALL_PRODUCT_MAX = 1 << 18;

/**
 * One product op(A) op(B) of float32 matrices (`batch` 1 on both sides, not both transposed) in
 * the SIMD kernels, if small.
 */
function smallProduct(
  backend: HeapBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  batch: { a: number; b: number },
): TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || (transposeA && transposeB)) return undefined;
  if (batch.a !== 1 || batch.b !== 1) return undefined;
  const aRows = a.shape[a.shape.length - 2] as number;
  const aCols = a.shape[a.shape.length - 1] as number;
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? (b.shape[b.shape.length - 2] as number) : (b.shape[b.shape.length - 1] as number);
  if (m * k * n > SMALL_PRODUCT_MAX) return undefined;
  const simd = simdKernels(backend);
  if (simd === undefined) return undefined;
  const rank = Math.max(a.shape.length, b.shape.length);
  const out = backend.makeOutput([...new Array<number>(rank - 2).fill(1), m, n], 'float32');
  if (m * n > 0) {
    const at = (t: TensorInfo) => heapAddress(backend, t);
    simd.small_matmul(at(a), at(b), at(out), m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0);
  }
  return out;
}

/**
 * The stock wasm BatchMatMul is fast (XNNPACK fully-connected) only for a single matrix without
 * transposes; with transposeA/transposeB, which every dense backward pass uses, it falls back to
 * a scalar loop. This kernel materialises transposes with the wasm Transpose kernel and then
 * calls the fast path, choosing between C = op(A) op(B) and C = (op(B)^T op(A)^T)^T by which moves
 * fewer floats. Small products run in the SIMD kernels instead (see SMALL_PRODUCT_MAX). A batch
 * of matrices times one matrix is stacked into one product; other batched products go to the
 * stock kernel unchanged.
 */
function batchMatMul(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: WasmKernelBackend;
  attrs: BatchMatMulAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  const transposeA = Boolean(attrs.transposeA);
  const transposeB = Boolean(attrs.transposeB);
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const small = smallProduct(backend as HeapBackend, a, b, transposeA, transposeB, { a: batchA, b: batchB });
  if (small !== undefined) return small;
  const plain = batchA === 1 && !transposeA && !transposeB;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || batchB !== 1 || (plain && !packingDominates(a, b))) {
    return callStock(backend, BatchMatMul, { a, b }, { transposeA, transposeB });
  }
  if (batchA > 1) return stackedTimesMatrix(backend, a, b, transposeA, transposeB, batchA);
  const aRows = a.shape[a.shape.length - 2] as number;
  const aCols = a.shape[a.shape.length - 1] as number;
  const bRows = b.shape[b.shape.length - 2] as number;
  const bCols = b.shape[b.shape.length - 1] as number;
  const m = transposeA ? aCols : aRows;
  const n = transposeB ? bRows : bCols;
  const sizeA = aRows * aCols;
  const sizeB = bRows * bCols;
  const rank = Math.max(a.shape.length, b.shape.length);
  const outShape = [...new Array<number>(rank - 2).fill(1), m, n];
  // Floats moved by each formulation.
  const direct = (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0);
  const swapped = (transposeA ? 0 : sizeA) + (transposeB ? 0 : sizeB) + m * n;
  let result: TensorInfo;
  if (!plain && direct <= swapped) {
    const left = transposeA ? transposed2d(backend, a, aRows, aCols) : view2d(backend, a, aRows, aCols);
    const right = transposeB ? transposed2d(backend, b, bRows, bCols) : view2d(backend, b, bRows, bCols);
    result = callStock(backend, BatchMatMul, { a: left, b: right }, { transposeA: false, transposeB: false });
    release(backend, left, right);
  } else {
    // C^T = op(B)^T op(A)^T; op(B)^T is B itself when transposeB, and likewise for A.
    const left = transposeB ? view2d(backend, b, bRows, bCols) : transposed2d(backend, b, bRows, bCols);
    const right = transposeA ? view2d(backend, a, aRows, aCols) : transposed2d(backend, a, aRows, aCols);
    const resultT = callStock(backend, BatchMatMul, { a: left, b: right }, { transposeA: false, transposeB: false });
    release(backend, left, right);
    result = transposed2d(backend, resultT, n, m);
    release(backend, resultT);
  }
  const out = reshape(backend, result, outShape);
  release(backend, result);
  return out;
}

/**
 * A batch of matrices times one matrix: the batch is stacked into the rows of a single product
 * ([B*M, K] x [K, N]), which the XNNPACK path runs in one call.
 */
function stackedTimesMatrix(
  backend: WasmKernelBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  batch: number,
): TensorInfo {
  const aRows = a.shape[a.shape.length - 2] as number;
  const aCols = a.shape[a.shape.length - 1] as number;
  const bRows = b.shape[b.shape.length - 2] as number;
  const bCols = b.shape[b.shape.length - 1] as number;
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  let left: TensorInfo;
  if (transposeA) {
    const a3 = reshape(backend, a, [batch, aRows, aCols]);
    const t = transpose(backend, a3, [0, 2, 1]);
    release(backend, a3);
    left = reshape(backend, t, [batch * m, k]);
    release(backend, t);
  } else {
    left = view2d(backend, a, batch * m, k);
  }
  const right = transposeB ? transposed2d(backend, b, bRows, bCols) : view2d(backend, b, bRows, bCols);
  const product = callStock(backend, BatchMatMul, { a: left, b: right }, { transposeA: false, transposeB: false });
  release(backend, left, right);
  const outer =
    a.shape.length >= b.shape.length
      ? a.shape.slice(0, -2)
      : [...new Array<number>(b.shape.length - a.shape.length).fill(1), ...a.shape.slice(0, -2)];
  const out = reshape(backend, product, [...outer, m, n]);
  release(backend, product);
  return out;
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
