// Lets Node load tfjs-core's ESM build (dist/*.js), whose relative imports omit the ".js"
// extension and sometimes name a file that sits beside a folder of the same name
// (`./gradients` is both gradients.js and gradients/). Used only by the benchmark, to import
// '@tensorflow/tfjs-core/dist/register_all_gradients.js' outside vitest.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    const fromTfjs = context.parentURL !== undefined && context.parentURL.includes('/@tensorflow/');
    if (!relative || !fromTfjs || specifier.endsWith('.js')) throw error;
    return next(specifier + '.js', context);
  }
}`)}`,
  import.meta.url,
);
