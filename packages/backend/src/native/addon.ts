import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConvGeometry, Packed, PoolGeometry } from './geometry';
import type { BinaryOpName, UnaryOpName } from './kernels/elementwise-ops';
import { applyOpenMpDefaults } from './openmp-env';

/** The functions of build/Release/cnn_native.node (see native/*.cc). Outputs are written in place. */
export interface NativeAddon {
  info(): { library: string; threads: number };
  matmul(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    batchA: number,
    batchB: number,
    m: number,
    n: number,
    k: number,
    transposeA: boolean,
    transposeB: boolean,
    bias: Float32Array | null,
    relu: boolean,
  ): void;
  conv2d(
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
    g: Packed<ConvGeometry>,
    relu: boolean,
  ): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, g: Packed<ConvGeometry>): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dfilter: Float32Array, g: Packed<ConvGeometry>): void;
  maxPool(x: Float32Array, y: Float32Array, g: Packed<PoolGeometry>): void;
  maxPoolGrad(dy: Float32Array, x: Float32Array, dx: Float32Array, g: Packed<PoolGeometry>): void;
  /**
   * out = a op b, numpy-style broadcasting of up to 6 dimensions; out has the broadcast shape.
   * a, b and out are all Float32Arrays or all Int32Arrays (int32: every op but div).
   */
  binary<T extends Float32Array | Int32Array>(
    op: BinaryOpName,
    a: T,
    aShape: number[],
    b: T,
    bShape: number[],
    out: T,
  ): void;
  /** out = op(x); alpha is step's value for x <= 0. */
  unary(op: UnaryOpName, x: Float32Array, out: Float32Array, alpha: number): void;
  /** The field order of the packed geometries (native/geometry.h). */
  convGeometryFields: string[];
  poolGeometryFields: string[];
  /** The op names binary() and unary() accept (native/binary.cc, native/unary.cc). */
  binaryOps: string[];
  unaryOps: string[];
  /** Sums the middle axis of x viewed as [outer, reduce, inner] into out [outer, inner], divided by `divisor` (default 1). */
  reduceSum(x: Float32Array, out: Float32Array, outer: number, reduce: number, inner: number, divisor?: number): void;
  /** tfjs Tile: out has shape[d] * reps[d] along each axis d. */
  tile(x: Float32Array, out: Float32Array, shape: number[], reps: number[]): void;
  /** out = offset + (x - mean) * scale / sqrt(variance + eps); each parameter has length 1 or `length`, repeating along x. */
  batchNorm(
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    offset: Float32Array | null,
    scale: Float32Array | null,
    out: Float32Array,
    length: number,
    eps: number,
  ): void;
}

export type NativeStatus = { available: true; library: string } | { available: false; reason: string };

const PACKAGE_NAME = '@cnn/backend';
const ADDON_PATH = join('build', 'Release', 'cnn_native.node');

/** Walks up from this file to the directory whose package.json is @cnn/backend (works from src and dist). */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
      } catch {
        // An unreadable package.json is not ours; keep walking.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

type Loaded = { addon: NativeAddon; status: NativeStatus } | { addon: undefined; status: NativeStatus };
let loaded: Loaded | undefined;

/**
 * Tries to load the addon from `file` (default: CNN_NATIVE_ADDON, else build/Release/cnn_native.node
 * of this package). Never throws: failures come back as a one-line reason.
 */
export function loadNativeAddon(file?: string): Loaded {
  const override = file ?? process.env.CNN_NATIVE_ADDON;
  const root = packageRoot();
  const path = override ? resolve(override) : root ? join(root, ADDON_PATH) : undefined;
  if (!path)
    return { addon: undefined, status: { available: false, reason: `${PACKAGE_NAME} package root not found` } };
  if (!existsSync(path)) {
    const reason = override
      ? `native addon ${path} does not exist`
      : `native addon not built: ${ADDON_PATH} missing (useBackend says why and how to build it)`;
    return { addon: undefined, status: { available: false, reason } };
  }
  try {
    applyOpenMpDefaults(); // before libgomp loads with the addon
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    return { addon, status: { available: true, library: addon.info().library } };
  } catch (err) {
    const first = String((err as Error).message ?? err).split('\n')[0];
    return { addon: undefined, status: { available: false, reason: `native addon failed to load: ${first}` } };
  }
}

/** Whether the native kernels can run here, and if not, why (one line). Loads the addon once. */
export function nativeStatus(): NativeStatus {
  loaded ??= loadNativeAddon();
  return loaded.status;
}

/** The loaded addon; throws when unavailable (call nativeStatus() first). */
export function nativeAddon(): NativeAddon {
  loaded ??= loadNativeAddon();
  if (!loaded.addon) throw new Error(`@cnn/backend: ${(loaded.status as { reason: string }).reason}`);
  return loaded.addon;
}
