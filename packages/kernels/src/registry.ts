import { getBackend, getKernel } from '@tensorflow/tfjs-core';

let enabled = typeof process === 'undefined' || process.env?.CNN_FUSED !== '0';

/**
 * True when the active tfjs backend registers the fused kernel `name` and fused kernels are on.
 * Callers use the fused kernel when this is true and their composite tfjs ops otherwise, so
 * every backend computes the same thing and `cpu`, `webgl` or `tensorflow` keep working.
 */
export function hasFusedKernel(name: string): boolean {
  return enabled && getKernel(name, getBackend()) !== undefined;
}

/**
 * Turns the fused kernels on or off for this process (default: on, unless the environment
 * variable `CNN_FUSED=0`). Off makes every caller take its composite path: benchmarks and tests
 * use it to compare the two. Returns the previous setting.
 */
export function setFusedKernels(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}
