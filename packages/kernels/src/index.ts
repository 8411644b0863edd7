export * from './batch-norm';
export * from './cross-entropy';
export * from './optimizers';
export * from './registry';
