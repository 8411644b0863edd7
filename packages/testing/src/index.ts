export * from './backends';
export * from './caught';
export * from './close';
export * from './errors';
export * from './fixtures';
export * from './formats';
export * from './nested';
export * from './random';
