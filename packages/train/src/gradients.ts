import { hasGradients } from '@cnn/layers';
import { TrainingError } from './errors';

export { hasGradients };

/**
 * Makes sure tfjs-core's gradient functions are registered before training. Importing
 * `@cnn/layers` registers them (see its gradients.ts), so this only guards against a
 * bundler that dropped that import. `fit` calls it.
 */
export async function ensureGradients(): Promise<void> {
  if (!hasGradients()) {
    throw new TrainingError('tfjs gradient functions are not registered; import "@cnn/layers" before training');
  }
}
