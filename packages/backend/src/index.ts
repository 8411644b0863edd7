export * from './select';
export * from './cli';
export { quietCpuBanner } from './cpu-banner';
export * from './errors';
export { TFJS_NODE_PACKAGES, TFJS_NODE_VERSION } from './tfjs-node';
export * from './wasm/index';
export * from './native/index';
