export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './register';
export { loadWasmModule, wasmBinaryDir } from './load';
export { wasmStatus, wasmThreadsCount, type WasmStatus } from './status';
export { wantedWasmThreads } from './threads';
