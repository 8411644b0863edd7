// The zoo against the PyTorch reference script of apps/bench (bench_torch.py --describe):
// always against the committed fixture, and against the live script when torch imports.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@cnn/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { RECIPES } from '../src/index';
import { describeRecipe, type TorchDescription, type TorchModel, torchShape } from './torch-layout';

const FIXTURE = new URL('./fixtures/torch-models.json', import.meta.url);
const SCRIPT = fileURLToPath(new URL('../../../apps/bench/torch/bench_torch.py', import.meta.url));
const PYTHON = process.env.CNN_TORCH_PYTHON || '/usr/bin/python3';
const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as TorchDescription;

beforeAll(async () => {
  await useBackend('cpu', { quiet: true });
});

/** The zoo's recipes described as the script describes its models. */
function zoo(): Record<string, TorchModel> {
  const out: Record<string, TorchModel> = {};
  for (const r of RECIPES) {
    const model = r.build();
    try {
      out[r.id] = describeRecipe(r, model);
    } finally {
      model.dispose();
    }
  }
  return out;
}

/** Compares model by model and layer by layer, so a failure names the model and layer. */
function expectSameModels(ours: Record<string, TorchModel>, torch: Record<string, TorchModel>): void {
  expect(Object.keys(ours)).toEqual(Object.keys(torch));
  for (const [id, t] of Object.entries(torch)) {
    const o = ours[id]!;
    expect(
      o.layers.map((l) => l.type),
      `${id}: layer types in order`,
    ).toEqual(t.layers.map((l) => l.type));
    for (const [i, layer] of t.layers.entries()) expect(o.layers[i], `${id} layer ${i} (${layer.type})`).toEqual(layer);
    const { layers: _o, ...oSettings } = o;
    const { layers: _t, ...tSettings } = t;
    expect(oSettings, `${id}: training settings and parameter count`).toEqual(tSettings);
  }
}

describe('layouts', () => {
  it('turns our HWIO conv weights and [in, out] linear weights into torch’s OIHW and [out, in]', () => {
    expect(torchShape('Conv2d', 'weight', [5, 3, 1, 32])).toEqual([32, 1, 5, 3]);
    expect(torchShape('Linear', 'weight', [3136, 1024])).toEqual([1024, 3136]);
    expect(torchShape('Conv2d', 'bias', [32])).toEqual([32]);
  });
});

describe('against the committed PyTorch description (test/fixtures/torch-models.json)', () => {
  it('was made by torch with all five models', () => {
    expect(fixture.torch_version).toMatch(/^1\.13/);
    expect(Object.keys(fixture.models)).toEqual(['000', '001', '002', '003', '004']);
  });

  it('has the same layers in the same order, with the same settings and parameter shapes', () => {
    expectSameModels(zoo(), fixture.models);
  });

  it('would catch a relu and a pool swapped (same numbers, different module order)', () => {
    const swapped = structuredClone(fixture.models);
    const layers = swapped['002']!.layers;
    [layers[1], layers[2]] = [layers[2]!, layers[1]!];
    expect(() => expectSameModels(zoo(), swapped)).toThrow(/002: layer types in order/);
  });
});

const torchCheck = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 });
const torchReason =
  torchCheck.status === 0 ? null : `${PYTHON} cannot import torch (install python3-torch or set CNN_TORCH_PYTHON)`;

describe.skipIf(torchReason !== null)(
  `against bench_torch.py --describe run live${torchReason ? ` (skipped: ${torchReason})` : ''}`,
  () => {
    it('matches the zoo, and the committed fixture is up to date', { timeout: 180_000 }, () => {
      const run = spawnSync(PYTHON, [SCRIPT, '--describe'], { encoding: 'utf8', timeout: 170_000 });
      expect(run.status, run.stderr).toBe(0);
      const live = JSON.parse(run.stdout) as TorchDescription;
      expectSameModels(zoo(), live.models);
      expect(live, 'regenerate test/fixtures/torch-models.json (see bench_torch.py)').toEqual(fixture);
    });
  },
);
