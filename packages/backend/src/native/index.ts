export type { NativeStatus } from './addon';
export { nativeStatus } from './addon';
export { NATIVE_BACKEND_NAME, NativeBackend, registerNativeBackend } from './backend';
export type { NativeKernelProblem } from './errors';
export { NativeKernelError } from './errors';
export type { NativePoolOptions, NativePoolStats } from './buffer-pool';
export { clearNativePool, nativePoolStats, setNativePool } from './buffer-pool';
export { nativeCpuFallbacks } from './kernels/util';
