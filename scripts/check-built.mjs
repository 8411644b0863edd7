// Loads every built library the way a user's project would (no @cnn/source condition):
// the ESM entry with import(), the CJS entry with require(). Both must expose the same
// names, and each package does one small real job through each entry.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const failures = [];

const smoke = {
  '@cnn/datasets': (m) => {
    const dir = mkdtempSync(join(tmpdir(), 'cnn-built-'));
    try {
      const file = join(dir, 'x.idx.gz');
      m.writeIdx(file, { data: new Float32Array([1.5, -2, 3]), shape: [3] });
      const back = m.readIdx(file);
      expect(back.type === 'float32' && back.data[1] === -2, `readIdx round trip gave ${back.type} ${back.data}`);
      const mnist = m.loadMnist();
      expect(mnist.train.count === 60000 && mnist.test.count === 10000, 'loadMnist counts');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  '@cnn/layers': (m, tf) => {
    const layer = new m.Linear(3, 2);
    const y = layer.apply(tf.ones([4, 3]));
    expect(y.shape.join() === '4,2', `Linear output shape ${y.shape}`);
    tf.dispose(y);
    layer.dispose();
  },
  '@cnn/train': (m, tf) => {
    const loss = m.crossEntropy(tf.tensor2d([[0, 0]]), tf.tensor1d([1], 'int32'));
    const value = loss.dataSync()[0];
    expect(Math.abs(value - Math.LN2) < 1e-6, `crossEntropy of equal logits is ln 2, got ${value}`);
  },
  '@cnn/backend': async (m) => {
    const names = await m.availableBackends();
    expect(names.includes('cpu'), `availableBackends() = ${names}`);
  },
};

function expect(ok, what) {
  if (!ok) throw new Error(what);
}

// tfjs's cpu backend for packages that do not install it themselves: the copy @cnn/backend depends on.
const fromBackend = createRequire(join(root, 'packages', 'backend', 'package.json'));

for (const dir of readdirSync(join(root, 'packages'))) {
  const pkgDir = join(root, 'packages', dir);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const entry = pkg.exports?.['.'];
  // Private workspace helpers (@cnn/testing) are never built or published.
  if (pkg.private || typeof entry?.import?.default !== 'string') continue;
  const require = createRequire(join(pkgDir, 'package.json'));
  const tf = require('@tensorflow/tfjs-core');
  try {
    require('@tensorflow/tfjs-backend-cpu');
  } catch {
    fromBackend('@tensorflow/tfjs-backend-cpu');
  }
  await tf.setBackend('cpu');
  try {
    const esm = await import(pathToFileURL(join(pkgDir, entry.import.default)).href);
    const cjs = require(join(pkgDir, entry.require.default));
    const esmNames = Object.keys(esm)
      .filter((k) => k !== 'default')
      .sort();
    const cjsNames = Object.keys(cjs).sort();
    expect(esmNames.length > 0, 'no exports');
    expect(esmNames.join() === cjsNames.join(), `ESM and CJS exports differ:\n  esm ${esmNames}\n  cjs ${cjsNames}`);
    for (const [kind, mod] of [
      ['esm', esm],
      ['cjs', cjs],
    ]) {
      try {
        await smoke[pkg.name]?.(mod, tf);
      } catch (error) {
        throw new Error(`${kind}: ${error.message}`);
      }
    }
    console.log(`built ${pkg.name}: ESM and CJS load, ${esmNames.length} exports, smoke test passed`);
  } catch (error) {
    failures.push(pkg.name);
    console.error(`built ${pkg.name}: FAILED ${error.stack ?? error}`);
  }
}

if (failures.length) {
  console.error(`check-built: ${failures.length} package(s) failed: ${failures.join(', ')}`);
  process.exit(1);
}
