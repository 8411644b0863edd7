import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/** The wasm backend object as a kernel sees it (only what these kernels use). */
export interface WasmKernelBackend extends tf.KernelBackend {
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Kernels of the stock wasm backend, captured before ours replace them. */
const stock = new Map<string, KernelConfig>();

/** Remembers the stock wasm kernel `name` (once) so a replacement can still call it. */
export function captureStockKernel(name: string): KernelConfig | undefined {
  const known = stock.get(name);
  if (known !== undefined) return known;
  const config = tf.getKernel(name, 'wasm');
  if (config !== undefined) stock.set(name, config);
  return config;
}

/** The stock wasm kernel `name`, which must have been captured. */
export function stockKernel(name: string): KernelConfig {
  const config = stock.get(name);
  if (config === undefined) throw new Error(`@cnn/backend: stock wasm kernel '${name}' was not captured`);
  return config;
}

/** Runs the wasm kernel currently registered as `name` on tensor infos (no tape, no tensors). */
export function callKernel(
  backend: WasmKernelBackend,
  name: string,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const config = tf.getKernel(name, 'wasm');
  if (config === undefined) throw new Error(`@cnn/backend: wasm kernel '${name}' is not registered`);
  const out = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`@cnn/backend: wasm kernel '${name}' returned several outputs`);
  return out;
}

/** Runs the stock wasm kernel `name` (not our replacement). */
export function callStock(
  backend: WasmKernelBackend,
  name: string,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const out = stockKernel(name).kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`@cnn/backend: wasm kernel '${name}' returned several outputs`);
  return out;
}

/** Releases intermediate results of kernel calls. */
export function release(backend: WasmKernelBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

export function transpose(backend: WasmKernelBackend, x: TensorInfo, perm: number[]): TensorInfo {
  return callKernel(backend, 'Transpose', { x }, { perm });
}

export function reshape(backend: WasmKernelBackend, x: TensorInfo, shape: number[]): TensorInfo {
  return callKernel(backend, 'Reshape', { x }, { shape });
}

/**
 * Crops a 4-D NHWC tensor by (top, bottom, left, right) rows/columns. Returns the input itself
 * (not a copy) when nothing is cropped; `owned` says whether the caller must release the result.
 */
export function crop4d(
  backend: WasmKernelBackend,
  x: TensorInfo,
  top: number,
  bottom: number,
  left: number,
  right: number,
): { info: TensorInfo; owned: boolean } {
  if (top === 0 && bottom === 0 && left === 0 && right === 0) return { info: x, owned: false };
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const info = callKernel(
    backend,
    'Slice',
    { x },
    { begin: [0, top, left, 0], size: [n, h - top - bottom, w - left - right, c] },
  );
  return { info, owned: true };
}
