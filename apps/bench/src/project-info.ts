import { availableParallelism } from 'node:os';
import { activeBackend, describeWasmRun, nativeStatus } from '@cnn/backend';
import * as tf from '@tensorflow/tfjs-core';
import { tuningEnv } from './machine';

/** The project's side of the comparison, as a worker sees it after choosing its backend. */
export interface ProjectInfo {
  backend: string;
  node: string;
  /**
   * The native addon's library line (oneDNN version and threading), or on wasm the XNNPACK build
   * and its thread count; null on other backends.
   */
  library: string | null;
  /** OMP_NUM_THREADS as set, or null (then OpenMP uses one thread per core). */
  ompThreads: string | null;
  cores: number;
  /**
   * The OpenMP/BLAS variables the worker ran with after choosing its backend (@cnn/backend may set
   * OMP_WAIT_POLICY), to check that PyTorch ran with the same ones.
   */
  env: Record<string, string>;
}

export function projectInfo(backend: string): ProjectInfo {
  const status = backend === 'native' ? nativeStatus() : null;
  return {
    backend: tf.getBackend() ?? backend,
    node: process.version,
    library: status?.available ? status.library : backend === 'wasm' ? wasmBuild() : null,
    ompThreads: process.env.OMP_NUM_THREADS ?? null,
    cores: availableParallelism(),
    env: tuningEnv(process.env),
  };
}

/** "XNNPACK SIMD, 2 threads, SIMD kernels on" while wasm runs. */
function wasmBuild(): string | null {
  const wasm = activeBackend()?.wasm;
  return wasm === undefined ? null : describeWasmRun(wasm);
}
