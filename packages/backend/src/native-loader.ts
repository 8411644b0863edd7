import { nativeStatus, registerNativeBackend } from './native/index';

/** What select.ts needs to know about the native kernels. */
export type NativeLoad = { available: true; library: string } | { available: false; reason: string; hint: string };

const BUILD_HINT =
  'Build them with `pnpm --filter @cnn/backend build:native` (needs g++, node headers and libdnnl-dev); see the README section "Native kernels".';

/** Loads the native addon (src/native) and registers the 'native' tfjs backend when it is built. */
export async function loadNative(): Promise<NativeLoad> {
  let status: ReturnType<typeof nativeStatus>;
  try {
    status = nativeStatus();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { available: false, reason: `the native addon failed to load (${message})`, hint: BUILD_HINT };
  }
  if (!status.available) return { available: false, reason: status.reason, hint: BUILD_HINT };
  if (!registerNativeBackend()) {
    return { available: false, reason: 'the native backend could not be registered', hint: BUILD_HINT };
  }
  return { available: true, library: status.library };
}
