import type { KernelConfig } from '@tensorflow/tfjs-core';
import { fusedBatchNormConfig } from './batchnorm';
import { batchNormGradConfig, batchNormTrainConfig } from './batchnorm-train';
import { lossConfigs } from './cross-entropy';
import { conv2DBackpropFilterConfig, conv2DBackpropInputConfig, conv2DConfig, fusedConv2DConfig } from './conv';
import { elementwiseConfigs } from './elementwise';
import { batchMatMulConfig, fusedMatMulConfig } from './matmul';
import { adamUpdateConfig, sgdUpdateConfig } from './optimizers';
import { maxPoolConfig, maxPoolGradConfig } from './pool';
import { meanConfig, sumConfig } from './reduce';
import { tileConfig } from './tile';

/** Every kernel the native backend runs itself; all other kernels are the cpu backend's. */
export const NATIVE_KERNELS: KernelConfig[] = [
  batchMatMulConfig,
  fusedMatMulConfig,
  conv2DConfig,
  fusedConv2DConfig,
  conv2DBackpropInputConfig,
  conv2DBackpropFilterConfig,
  maxPoolConfig,
  maxPoolGradConfig,
  ...elementwiseConfigs,
  sumConfig,
  meanConfig,
  tileConfig,
  fusedBatchNormConfig,
  sgdUpdateConfig,
  adamUpdateConfig,
  batchNormTrainConfig,
  batchNormGradConfig,
  ...lossConfigs,
];
