export type { NativeStatus } from './addon';
export { nativeStatus } from './addon';
export { NATIVE_BACKEND_NAME, NativeBackend, registerNativeBackend } from './backend';
export type { NativeKernelProblem } from './errors';
export { NativeKernelError } from './errors';
