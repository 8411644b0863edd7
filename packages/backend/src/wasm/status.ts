import { existsSync } from 'node:fs';
import { loadWasmModule, wasmBinaryDir } from './load';

export type WasmStatus = { available: true; dir: string } | { available: false; reason: string };

/** Whether the wasm backend can start here, without starting it. */
export async function wasmStatus(): Promise<WasmStatus> {
  if (typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== 'object')
    return { available: false, reason: 'this runtime has no WebAssembly' };
  let dir: string;
  try {
    dir = wasmBinaryDir();
    await loadWasmModule();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { available: false, reason: `@tensorflow/tfjs-backend-wasm failed to load (${message})` };
  }
  const binary = `${dir}tfjs-backend-wasm.wasm`;
  if (!existsSync(binary)) return { available: false, reason: `${binary} is missing` };
  return { available: true, dir };
}

/** XNNPACK threads of the running wasm backend. */
export async function wasmThreadsCount(): Promise<number> {
  const mod = await loadWasmModule();
  return mod.getThreadsCount();
}
