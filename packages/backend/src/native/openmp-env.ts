/**
 * OpenMP settings that libgomp reads once, when the addon (and with it libgomp) is loaded.
 *
 * By default an idle libgomp worker spins for a while before sleeping, so that the next parallel
 * region starts a few microseconds sooner. Between the short kernels of a training step that
 * spinning burns the second core (a quarter of all CPU samples of tutorial 004), and when
 * another process wants the cores the spinning threads and the neighbour take turns: a small-cnn
 * epoch went from 4.2 s to 86.6 s. Passive waiting (threads sleep on a futex at once) costs a
 * wake-up per region instead; the README's threading table has the measurements.
 */

/** The wait policy set when neither `OMP_WAIT_POLICY` nor `GOMP_SPINCOUNT` says otherwise. */
export const DEFAULT_OMP_WAIT_POLICY = 'passive';

/**
 * Sets `OMP_WAIT_POLICY=passive` in `env` unless the user chose a policy (`OMP_WAIT_POLICY`, or
 * libgomp's `GOMP_SPINCOUNT`). Must run before the addon loads: libgomp reads its environment
 * when it is loaded, and it is loaded once per process. Returns the policy in effect ('default'
 * when only `GOMP_SPINCOUNT` is set).
 */
export function applyOpenMpDefaults(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OMP_WAIT_POLICY) return env.OMP_WAIT_POLICY.toLowerCase();
  if (env.GOMP_SPINCOUNT) return 'default';
  env.OMP_WAIT_POLICY = DEFAULT_OMP_WAIT_POLICY;
  return DEFAULT_OMP_WAIT_POLICY;
}
