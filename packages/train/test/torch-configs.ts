// Builds our optimizers and schedulers from the PyTorch settings stored in the fixtures
// (`config`, `optimizer`, `scheduler` objects: `kind` plus torch's keyword arguments).
import { checkFields } from '@cnn/testing';
import type * as tf from '@tensorflow/tfjs-core';
import { Adam, AdamW, CosineAnnealingLR, type LRScheduler, OneCycleLR, SGD, StepLR } from '../src';

/** `kind` plus the torch keyword arguments of one optimizer, e.g. `{ kind: 'sgd', lr: 0.01, momentum: 0.5 }`. */
export type TorchConfig = { kind: string } & Record<string, unknown>;

/** The torch keyword arguments read here, with their types (which are checked by `known` first). */
interface TorchArgs {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weight_decay?: number;
  betas?: [number, number];
  eps?: number;
  step_size: number;
  gamma?: number;
  T_max: number;
  eta_min?: number;
  max_lr: number;
  total_steps?: number;
  epochs?: number;
  steps_per_epoch?: number;
  pct_start?: number;
  anneal_strategy?: 'cos' | 'linear';
  div_factor?: number;
  final_div_factor?: number;
  cycle_momentum?: boolean;
  base_momentum?: number;
  max_momentum?: number;
}

const OPTIMIZER_FIELDS: Record<string, readonly string[]> = {
  sgd: ['lr', 'momentum', 'dampening', 'nesterov', 'weight_decay'],
  adam: ['lr', 'betas', 'eps', 'weight_decay'],
  adamw: ['lr', 'betas', 'eps', 'weight_decay'],
};

const SCHEDULER_FIELDS: Record<string, readonly string[]> = {
  step: ['step_size', 'gamma'],
  cosine: ['T_max', 'eta_min'],
  'one-cycle': [
    'max_lr',
    'total_steps',
    'epochs',
    'steps_per_epoch',
    'pct_start',
    'anneal_strategy',
    'div_factor',
    'final_div_factor',
    'cycle_momentum',
    'base_momentum',
    'max_momentum',
  ],
};

function known(file: string, where: string, config: TorchConfig, table: Record<string, readonly string[]>) {
  const fields = table[config.kind];
  const kinds = Object.keys(table).join(', ');
  checkFields(file, where, config, { required: ['kind'], optional: fields ?? [] });
  if (!fields) throw new Error(`${file}, ${where}.kind: "${config.kind}" is not one of ${kinds}`);
}

/** Our optimizer for a torch optimizer config; a field we do not know fails (naming file and path). */
export function optimizerFromTorch(file: string, where: string, config: TorchConfig, params: tf.Variable[]) {
  known(file, where, config, OPTIMIZER_FIELDS);
  const c = config as unknown as TorchArgs;
  if (config.kind === 'sgd') {
    return new SGD(params, {
      lr: c.lr,
      momentum: c.momentum ?? 0,
      dampening: c.dampening ?? 0,
      nesterov: c.nesterov ?? false,
      weightDecay: c.weight_decay ?? 0,
    });
  }
  const options = { lr: c.lr, betas: c.betas ?? [0.9, 0.999], eps: c.eps ?? 1e-8 };
  if (config.kind === 'adamw') return new AdamW(params, { ...options, weightDecay: c.weight_decay ?? 0.01 });
  return new Adam(params, { ...options, weightDecay: c.weight_decay ?? 0 });
}

/** Our scheduler for a torch scheduler config (torch's defaults where a field is absent). */
export function schedulerFromTorch(file: string, where: string, config: TorchConfig, optimizer: SGD): LRScheduler {
  known(file, where, config, SCHEDULER_FIELDS);
  const c = config as unknown as TorchArgs;
  if (config.kind === 'step') return new StepLR(optimizer, c.step_size, c.gamma ?? 0.1);
  if (config.kind === 'cosine') return new CosineAnnealingLR(optimizer, c.T_max, c.eta_min ?? 0);
  return new OneCycleLR(optimizer, {
    maxLr: c.max_lr,
    totalSteps: c.total_steps,
    epochs: c.epochs,
    stepsPerEpoch: c.steps_per_epoch,
    pctStart: c.pct_start,
    annealStrategy: c.anneal_strategy,
    divFactor: c.div_factor,
    finalDivFactor: c.final_div_factor,
    cycleMomentum: c.cycle_momentum,
    baseMomentum: c.base_momentum,
    maxMomentum: c.max_momentum,
  });
}
