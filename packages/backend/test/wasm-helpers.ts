import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

/**
 * Runs `fn` on tensors built from the same plain inputs on `cpu` and on `wasm` and returns both
 * results as flat arrays (the active backend is left on wasm).
 */
export async function onBoth(
  inputs: { data: Float32Array; shape: number[] }[],
  fn: (...ts: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  const run = async (backend: string): Promise<Float32Array[]> => {
    await tf.setBackend(backend);
    const ts = inputs.map((i) => tf.tensor(i.data, i.shape));
    const out = fn(...ts);
    const list = Array.isArray(out) ? out : [out];
    const arrays = await Promise.all(list.map(async (t) => new Float32Array(await t.data())));
    tf.dispose([...ts, ...list]);
    return arrays;
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  return { cpu, wasm };
}
