// The exports of the wasm SIMD kernels module (wasm/*.c), typed: the one definition of the
// boundary between TypeScript and that C code.

/** A byte offset into the wasm backend's heap (the address of a tensor's first element). */
export type HeapAddress = number;

/** Bits of `adam_update`'s `flags` argument (the enum in wasm/optimizers.c). */
export const ADAM_FLAGS = { initialize: 1, applyL2: 2, applyDecay: 4 } as const;

/** Bits of `sgd_update`'s `flags` argument (the enum in wasm/optimizers.c). */
export const SGD_FLAGS = { applyWeightDecay: 1, withBuffer: 2, initialize: 4, nesterov: 8 } as const;

/** The shape of a one-channel convolution, as wasm/conv.c's kernels take it. */
export type OneChannelGeometry = [
  batch: number,
  inHeight: number,
  inWidth: number,
  outHeight: number,
  outWidth: number,
  filterHeight: number,
  filterWidth: number,
  strideHeight: number,
  strideWidth: number,
  padTop: number,
  padLeft: number,
];

/**
 * The functions of the wasm/*.c module: SIMD128 loops working in place on the wasm backend's heap.
 * Every address is a float32 tensor's {@link heapAddress}; counts and sizes are elements.
 */
export interface SimdKernels {
  /** One Adam step over `n` floats; the outputs may be the inputs themselves. Scalars: adamScalars(). */
  adam_update(
    param: HeapAddress,
    grad: HeapAddress,
    expAvg: HeapAddress,
    expAvgSq: HeapAddress,
    paramOut: HeapAddress,
    expAvgOut: HeapAddress,
    expAvgSqOut: HeapAddress,
    n: number,
    flags: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    l2: number,
    decayFactor: number,
    biasCorrection2Sqrt: number,
    eps: number,
    stepSize: number,
  ): void;
  /** One SGD step over `n` floats; the buffer addresses are read only with SGD_FLAGS.withBuffer. */
  sgd_update(
    param: HeapAddress,
    grad: HeapAddress,
    buffer: HeapAddress,
    paramOut: HeapAddress,
    bufferOut: HeapAddress,
    n: number,
    flags: number,
    lr: number,
    momentum: number,
    oneMinusDampening: number,
    weightDecay: number,
  ): void;
  /** out[c] = sum of x[r, c] over the rows of x [rows, cols], in row order. */
  sum_rows(x: HeapAddress, out: HeapAddress, rows: number, cols: number): void;
  /** dx [batch, inH, inW, channels] of a 2x2 stride-2 unpadded max-pool, every element written. */
  maxpool_grad_2x2(
    x: HeapAddress,
    dy: HeapAddress,
    dx: HeapAddress,
    batch: number,
    inHeight: number,
    inWidth: number,
    channels: number,
    outHeight: number,
    outWidth: number,
  ): void;
  /** out[r, c] = x[r, c] + row[c] for x [rows, cols]. */
  add_row(x: HeapAddress, row: HeapAddress, out: HeapAddress, rows: number, cols: number): void;
  /** out[r, c] = x[r, c] * row[c] for x [rows, cols]. */
  multiply_row(x: HeapAddress, row: HeapAddress, out: HeapAddress, rows: number, cols: number): void;
  /** c [m, n] = op(a) op(b); a stored [k, m] when transposeA, b stored [n, k] when transposeB (not both: 1/0 flags). */
  small_matmul(
    a: HeapAddress,
    b: HeapAddress,
    c: HeapAddress,
    m: number,
    k: number,
    n: number,
    transposeA: number,
    transposeB: number,
  ): void;
  /** dw [kh, kw, 1, outChannels] of a one-channel convolution of x [batch, inH, inW, 1] given dy. */
  one_channel_filter_grad(
    x: HeapAddress,
    dy: HeapAddress,
    dw: HeapAddress,
    outChannels: number,
    ...geometry: OneChannelGeometry
  ): void;
  /** taps [kh * kw, batch * outH * outW] of a one-channel input x [batch, inH, inW]. */
  one_channel_taps(x: HeapAddress, taps: HeapAddress, ...geometry: OneChannelGeometry): void;
}
