import { nativePoolStats, setNativePool } from '@cnn/backend';
import { ADAM_UPDATE, hasFusedKernel, SGD_UPDATE, setFusedKernels } from '@cnn/kernels';
import { describeEachBackend, float32Bits, mulberry32, randomFloats } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect, it } from 'vitest';
import { Adam, type AdamOptions, AdamW, type Optimizer, SGD, type SGDOptions } from '../src';

type AnyOptimizer = Optimizer<{ lr: number }>;
type Make = (params: [string, tf.Variable][]) => AnyOptimizer;

const CASES: { title: string; kernel: string; make: Make }[] = [
  ...(
    [
      { lr: 0.1 },
      { lr: 0.05, weightDecay: 0.01 },
      { lr: 0.05, momentum: 0.9 },
      { lr: 0.03, momentum: 0.8, dampening: 0.3, weightDecay: 5e-3 },
      { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-2 },
    ] as SGDOptions[]
  ).map((o) => ({ title: `SGD ${JSON.stringify(o)}`, kernel: SGD_UPDATE, make: ((p) => new SGD(p, o)) as Make })),
  ...([{}, { lr: 3e-4, weightDecay: 1e-3 }, { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6 }] as AdamOptions[]).map((o) => ({
    title: `Adam ${JSON.stringify(o)}`,
    kernel: ADAM_UPDATE,
    make: ((p) => new Adam(p, o)) as Make,
  })),
  ...([{}, { lr: 0.01, weightDecay: 0.05 }] as AdamOptions[]).map((o) => ({
    title: `AdamW ${JSON.stringify(o)}`,
    kernel: ADAM_UPDATE,
    make: ((p) => new AdamW(p, o)) as Make,
  })),
];

/** Shapes: a small matrix, and a vector long enough for the native kernel to split over threads. */
const SHAPES = [[7, 5], [40_000]];
const STEPS = 4;

/** Seeded values with exact zeros and negative zeros sprinkled in (their signs must survive too). */
function values(n: number, seed: number, scale: number): Float32Array {
  const v = randomFloats(n, mulberry32(seed), -scale, scale);
  for (let i = 0; i < n; i += 11) v[i] = i % 22 === 0 ? 0 : -0;
  return v;
}

const bits = (t: tf.Tensor): Uint32Array => float32Bits(t.dataSync());

function params(tag: string): [string, tf.Variable][] {
  return SHAPES.map((shape, i) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const start = tf.tensor(values(n, 10 + i, 1), shape);
    const v = tf.variable(start);
    start.dispose();
    return [`${tag}${i}`, v];
  });
}

/** Runs `make` on the same start and gradients with fused kernels off and on; returns both. */
function runBoth(make: Make) {
  const composite = params('p');
  const fused = params('p');
  const optC = make(composite);
  const optF = make(fused);
  for (let step = 0; step < STEPS; step++) {
    const grads = SHAPES.map((shape, i) =>
      tf.tensor(
        values(
          shape.reduce((a, b) => a * b, 1),
          100 * step + i,
          2,
        ),
        shape,
      ),
    );
    setFusedKernels(false);
    optC.step(Object.fromEntries(composite.map(([name], i) => [name, grads[i]!])));
    setFusedKernels(true);
    optF.step(Object.fromEntries(fused.map(([name], i) => [name, grads[i]!])));
    tf.dispose(grads);
  }
  return { composite, fused, optC, optF };
}

afterEach(() => {
  setFusedKernels(true);
});

describeEachBackend(
  'fused optimizer updates equal the composite tfjs ops bit for bit',
  (backend) => {
    it('registers both kernels', () => {
      expect(hasFusedKernel(SGD_UPDATE)).toBe(true);
      expect(hasFusedKernel(ADAM_UPDATE)).toBe(true);
    });

    for (const { title, make } of CASES) {
      it(`${title}: parameters and state after ${STEPS} steps`, () => {
        const before = tf.memory().numTensors;
        const { composite, fused, optC, optF } = runBoth(make);
        composite.forEach(([name, p], i) => {
          expect(bits(fused[i]![1]), `${name} on ${backend}`).toEqual(bits(p));
        });
        const stateC = optC.stateDict();
        const stateF = optF.stateDict();
        expect(Object.keys(stateF.state)).toEqual(Object.keys(stateC.state));
        expect(stateF.steps).toEqual(stateC.steps);
        for (const [name, entries] of Object.entries(stateC.state)) {
          expect(Object.keys(stateF.state[name]!).sort()).toEqual(Object.keys(entries).sort());
          for (const [key, t] of Object.entries(entries)) {
            expect(bits(stateF.state[name]![key]!), `${name}.${key}`).toEqual(bits(t));
          }
        }
        optC.dispose();
        optF.dispose();
        tf.dispose([...composite, ...fused].map(([, v]) => v));
        expect(tf.memory().numTensors).toBe(before);
      });
    }

    it('a fused step runs no tfjs kernels, the composite one several', async () => {
      const p = tf.variable(tf.tensor1d(values(100, 1, 1)));
      const grad = tf.tensor1d(values(100, 2, 1));
      const opt = new Adam([['w', p]], { lr: 0.01, weightDecay: 0.1 });
      opt.step({ w: grad }); // the first step gives the parameter a buffer of the kernel's own
      // tf.profile returns one shared record, so take the names before profiling again.
      const fused = (await tf.profile(() => opt.step({ w: grad }))).kernels.map((k) => k.name);
      setFusedKernels(false);
      const composite = (await tf.profile(() => opt.step({ w: grad }))).kernels.map((k) => k.name);
      expect(fused).toEqual([]);
      expect(composite.length).toBeGreaterThan(10);
      opt.dispose();
      tf.dispose([p, grad]);
    });

    it('the next convolution and matmul see the updated weights (no stale packed copies)', () => {
      const x = tf.tensor4d(values(2 * 6 * 6 * 3, 5, 1), [2, 6, 6, 3]);
      const w = tf.variable(tf.tensor4d(values(3 * 3 * 3 * 4, 6, 1), [3, 3, 3, 4]));
      const a = tf.tensor2d(values(4 * 8, 7, 1), [4, 8]);
      const b = tf.variable(tf.tensor2d(values(8 * 5, 8, 1), [8, 5]));
      const opt = new SGD(
        [
          ['w', w],
          ['b', b],
        ],
        { lr: 0.5, momentum: 0.9 },
      );
      for (let i = 0; i < 3; i++) {
        tf.tidy(() => {
          tf.conv2d(x, w, 1, 'same').dataSync(); // lets a backend cache what it derives from w
          tf.matMul(a, b).dataSync();
          opt.step({ w: tf.onesLike(w), b: tf.onesLike(b) });
          const copies = [tf.tensor(w.dataSync(), w.shape), tf.tensor(b.dataSync(), b.shape)] as const;
          expect(Array.from(tf.conv2d(x, w, 1, 'same').dataSync())).toEqual(
            Array.from(tf.conv2d(x, copies[0] as tf.Tensor4D, 1, 'same').dataSync()),
          );
          expect(Array.from(tf.matMul(a, b).dataSync())).toEqual(
            Array.from(tf.matMul(a, copies[1] as tf.Tensor2D).dataSync()),
          );
        });
      }
      opt.dispose();
      tf.dispose([x, w, a, b]);
    });

    it('never writes into storage another tensor shares', () => {
      const start = values(50, 3, 1);
      const source = tf.tensor1d(start); // tf.variable(source) shares source's buffer
      const p = tf.variable(source);
      const alias = p.clone(); // so does a clone
      const userArray = Float32Array.from(start);
      const q = tf.variable(tf.tensor1d(userArray)); // a typed array given to tf.tensor may be kept as is
      const grad = tf.tensor1d(values(50, 4, 1));
      const opt = new SGD(
        [
          ['p', p],
          ['q', q],
        ],
        { lr: 0.1, momentum: 0.9 },
      );
      opt.step({ p: grad, q: grad });
      const read = p.dataSync(); // from now on p's buffer is the kernel's own, updated in place
      const readThen = Array.from(read);
      const slice = tf.slice(p, 0, 2); // on cpu-style backends a view into the buffer of p
      const sliceThen = Array.from(slice.dataSync());
      for (let i = 0; i < 3; i++) opt.step({ p: grad, q: grad });
      expect(Array.from(read)).toEqual(readThen);
      expect(Array.from(slice.dataSync())).toEqual(sliceThen);
      slice.dispose();
      expect(Array.from(source.dataSync())).toEqual(Array.from(start));
      expect(Array.from(alias.dataSync())).toEqual(Array.from(start));
      expect(Array.from(userArray)).toEqual(Array.from(start));
      expect(Array.from(p.dataSync())).not.toEqual(Array.from(start));
      expect(Array.from(q.dataSync())).toEqual(Array.from(p.dataSync()));
      opt.dispose();
      tf.dispose([source, p, alias, q, grad]);
    });

    if (backend === 'native') {
      it('never writes into an array handed out by a read (native pool with copyReads off)', () => {
        const previous = nativePoolStats();
        setNativePool({ copyReads: false });
        try {
          const p = tf.variable(tf.tensor1d(values(20, 9, 1)));
          const grad = tf.tensor1d(values(20, 10, 1));
          const opt = new Adam([['p', p]], { lr: 0.1 });
          opt.step({ p: grad });
          opt.step({ p: grad }); // in place now
          const read = p.dataSync(); // the backend's own array
          const readThen = Array.from(read);
          opt.step({ p: grad });
          expect(Array.from(read)).toEqual(readThen);
          expect(Array.from(p.dataSync())).not.toEqual(readThen);
          opt.dispose();
          tf.dispose([p, grad]);
        } finally {
          setNativePool({ copyReads: true });
        }
        expect(previous.enabled).toBe(nativePoolStats().enabled);
      });
    }

    it('two optimizers restored from one state dict do not share moment buffers', () => {
      const a = tf.variable(tf.tensor1d([1, -2, 3]));
      const b = tf.variable(tf.tensor1d([1, -2, 3]));
      const optA = new Adam([['w', a]], { lr: 0.1 });
      const grad = tf.tensor1d([0.5, -1, 2]);
      optA.step({ w: grad });
      b.assign(a); // b shares a's buffer until one of them is updated
      const optB = new Adam([['w', b]], { lr: 0.1 });
      optB.loadStateDict(optA.stateDict()); // optB's moments share optA's buffers
      const g2 = tf.tensor1d([1, 1, -1]);
      optA.step({ w: g2 });
      optB.step({ w: g2 });
      expect(bits(b)).toEqual(bits(a));
      const [sA, sB] = [optA.stateDict().state.w!, optB.stateDict().state.w!];
      expect(bits(sB.expAvg!)).toEqual(bits(sA.expAvg!));
      expect(bits(sB.expAvgSq!)).toEqual(bits(sA.expAvgSq!));
      optA.dispose();
      optB.dispose();
      tf.dispose([a, b, grad, g2]);
    });
  },
  { backends: ['wasm', 'native'] },
);
