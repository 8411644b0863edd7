import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { addConfig, multiplyConfig } from './binary-row';
import { batchMatMulConfig } from './batch-matmul';
import { wasmBatchNormGradConfig, wasmBatchNormTrainConfig } from './batchnorm-train';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { wasmLossConfigs } from './cross-entropy';
import { castConfig, identityConfig } from './identity';
import { captureStockKernel } from './kernel-call';
import { maxPoolGradConfig } from './maxpool-grad';
import { wasmAdamUpdateConfig, wasmSgdUpdateConfig } from './optimizers';
import { sumConfig } from './sum';
import { loadWasmModule } from './load';

/** The kernels this package adds to (or replaces in) the wasm backend. */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  batchMatMulConfig,
  maxPoolGradConfig,
  identityConfig,
  castConfig,
  sumConfig,
  addConfig,
  multiplyConfig,
  wasmBatchNormTrainConfig,
  wasmBatchNormGradConfig,
  ...wasmLossConfigs,
  wasmSgdUpdateConfig,
  wasmAdamUpdateConfig,
];

let registering: Promise<void> | undefined;

function install(config: KernelConfig): void {
  const name = config.kernelName;
  const stock = captureStockKernel(name);
  // Replacing the official kernel is the point: unregister it first (registerKernel would only
  // warn and overwrite), and keep running its setup, since our kernel may call it.
  if (stock !== undefined) tf.unregisterKernel(name, 'wasm');
  const setupFunc = stock?.setupFunc;
  const ours: KernelConfig = setupFunc === undefined ? config : { ...config, setupFunc };
  tf.registerKernel(ours);
  // A backend that is already running had its kernels set up when it became active.
  // (While it is still initialising, tf.backend() throws and setBackend will run the setup.)
  if (setupFunc !== undefined && tf.getBackend() === 'wasm') {
    let running: tf.KernelBackend | undefined;
    try {
      running = tf.backend();
    } catch {
      running = undefined;
    }
    if (running !== undefined) setupFunc(running);
  }
}

/**
 * Registers the training kernels for the 'wasm' backend: Conv2DBackpropFilter (missing from
 * tfjs-backend-wasm) and fast Conv2DBackpropInput, BatchMatMul and MaxPoolGrad (the stock ones
 * are scalar loops, or slow, for the shapes a backward pass uses), and an Identity that shares
 * the buffer instead of copying it, as on cpu (and Cast to the same dtype), Sum for bias gradients
 * (all axes but the innermost; other reductions still run the stock kernel), and Add and Multiply
 * for a bias or two tensors of one shape (other broadcasts still run the stock kernel).
 * Idempotent; loads tfjs-backend-wasm if needed.
 */
export function registerWasmTrainingKernels(): Promise<void> {
  registering ??= loadWasmModule().then(() => {
    for (const config of WASM_TRAINING_KERNELS) install(config);
  });
  return registering;
}
