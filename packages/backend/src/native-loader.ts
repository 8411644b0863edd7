import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from './native/addon';
import { nativeStatus, registerNativeBackend } from './native/index';

/** What select.ts needs to know about the native kernels. */
export type NativeLoad = { available: true; library: string } | { available: false; reason: string; hint: string };

/** What scripts/build-native.cjs recorded in build/native-build.json when the package was installed. */
export interface NativeBuildRecord {
  built: boolean;
  /** The missing piece, e.g. "no C++ compiler: `g++ --version` failed". */
  reason?: string;
  /** How to get it, with the rebuild command of the package manager that installed the package. */
  hint?: string;
  /** The rebuild command alone. */
  rebuild?: string;
}

/** The parts of scripts/build-native.cjs used here (the same file decides the hints at install time). */
interface BuildScript {
  RECORD_FILE: string;
  rebuildCommand(userAgent: string | undefined, dir?: string): string;
}

/**
 * Why the addon is missing and what to do, given the install record (undefined when the install
 * script left none) and the rebuild command for the package manager in use now.
 */
export function explainMissingAddon(
  record: NativeBuildRecord | undefined,
  rebuild: string,
): { reason: string; hint: string } {
  if (record && !record.built && record.reason) {
    return {
      reason: `not built when @cnn/backend was installed (${record.reason})`,
      hint: record.hint || `To build them: ${record.rebuild ?? rebuild}.`,
    };
  }
  if (record?.built) {
    return {
      reason: 'build/Release/cnn_native.node was built at install but is gone',
      hint: `Rebuild it: ${rebuild}.`,
    };
  }
  return {
    reason:
      "not built: @cnn/backend's install script has not run (npm 12, pnpm 10 and bun run a dependency's install " +
      'script only once it is allowed; --ignore-scripts skips it)',
    hint:
      'To build them (needs g++ and libdnnl-dev): allow the script (npm: `npm install-scripts approve @cnn/backend`; ' +
      `pnpm: list @cnn/backend under onlyBuiltDependencies), then ${rebuild}. See the README section "Native kernels".`,
  };
}

function buildScript(root: string | undefined): BuildScript | undefined {
  if (root === undefined) return undefined;
  try {
    return createRequire(import.meta.url)(join(root, 'scripts', 'build-native.cjs')) as BuildScript;
  } catch {
    return undefined;
  }
}

/** The rebuild command for the package manager running this process (from npm_config_user_agent). */
function rebuildCommand(root: string | undefined): string {
  return buildScript(root)?.rebuildCommand(process.env.npm_config_user_agent) ?? 'npm rebuild @cnn/backend';
}

/** Reads the install record of the package at `root`; never throws. */
function readRecord(root: string | undefined): NativeBuildRecord | undefined {
  const script = buildScript(root);
  if (root === undefined || script === undefined) return undefined;
  try {
    const file = join(root, script.RECORD_FILE);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as NativeBuildRecord) : undefined;
  } catch {
    return undefined;
  }
}

const OVERRIDE_HINT =
  'CNN_NATIVE_ADDON is set: unset it to use the build of @cnn/backend, or point it at a built cnn_native.node.';

/** Loads the native addon (src/native) and registers the 'native' tfjs backend when it is built. */
export async function loadNative(): Promise<NativeLoad> {
  const root = packageRoot();
  const override = Boolean(process.env.CNN_NATIVE_ADDON);
  const rebuild = () => (override ? OVERRIDE_HINT : `Rebuild it for this machine: ${rebuildCommand(root)}.`);
  let status: ReturnType<typeof nativeStatus>;
  try {
    status = nativeStatus();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { available: false, reason: `the native addon failed to load (${message})`, hint: rebuild() };
  }
  if (!status.available) {
    if (!override && status.reason.startsWith('native addon not built')) {
      return { available: false, ...explainMissingAddon(readRecord(root), rebuildCommand(root)) };
    }
    return { available: false, reason: status.reason, hint: rebuild() };
  }
  if (!registerNativeBackend()) {
    return { available: false, reason: 'the native backend could not be registered', hint: rebuild() };
  }
  return { available: true, library: status.library };
}
