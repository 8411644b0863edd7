import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  caught,
  FIXTURES_DIR,
  FixtureError,
  fixtureCases,
  fixtureFiles,
  fixtureFilesOf,
  TestingArgumentError,
} from '../src/index';

const root = mkdtempSync(join(tmpdir(), 'cnn-testing-fixtures-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const dir = pathToFileURL(`${root}/`);
const write = (name: string, data: unknown) => writeFileSync(join(root, name), JSON.stringify(data));
const spec = { required: ['stride', 'x'], optional: ['padding'] };

write('conv2d.json', { description: 'base', cases: [{ stride: 1, x: [1] }] });
write('conv2d-dilated.json', {
  cases: [
    { stride: 2, x: [2] },
    { stride: 3, x: [3], padding: 1 },
  ],
});
write('conv2dx.json', { cases: [{ unrelated: true }] }); // another format: no '-' after the prefix
write('linear.json', { cases: [{ stride: 1, x: [1], dilation: 2 }] });

describe('fixture files by name prefix', () => {
  it('walks every case of <prefix>.json and <prefix>-*.json, so a dropped-in file is read with no code change', () => {
    expect(fixtureFiles('conv2d', { dir })).toEqual(['conv2d-dilated.json', 'conv2d.json']);
    const cases = fixtureCases<{ stride: number }>('conv2d', spec, { dir });
    expect(cases.map((c) => [c.title, c.data.stride])).toEqual([
      ['conv2d-dilated.json case 0', 2],
      ['conv2d-dilated.json case 1', 3],
      ['conv2d.json case 0', 1],
    ]);
  });

  it('fails on a field the test does not know, naming the file and the field', () => {
    const e = caught(FixtureError, () => fixtureCases('linear', spec, { dir }));
    expect([e.file, e.field]).toEqual(['linear.json', 'cases[0].dilation']);
    expect(e.message).toBe(
      'fixture linear.json, field "cases[0].dilation": not understood by this test (known: stride, x, padding)',
    );
  });

  it('fails on a missing field, a missing file, bad JSON and a bad prefix', () => {
    write('maxpool2d.json', { cases: [{ x: [1] }] });
    expect(() => fixtureCases('maxpool2d', spec, { dir })).toThrow(
      'fixture maxpool2d.json, field "cases[0].stride": missing',
    );
    expect(() => fixtureCases('losses', spec, { dir })).toThrow(/fixture losses\*\.json: no such file in /);
    writeFileSync(join(root, 'optimizers.json'), '{"cases": [');
    expect(() => fixtureCases('optimizers', spec, { dir })).toThrow(/fixture optimizers\.json: is not valid JSON/);
    write('batchnorm2d.json', { cases: [], note: 1 });
    expect(() => fixtureCases('batchnorm2d', spec, { dir })).toThrow(/field "note": not understood/);
    expect(() => fixtureFiles('../x', { dir })).toThrow(TestingArgumentError);
  });

  it('reads whole-file formats, one case per file', () => {
    write('train-small-cnn-b.json', { stride: 1, x: [0] });
    expect(fixtureFilesOf('train-small-cnn', spec, { dir }).map((f) => f.file)).toEqual(['train-small-cnn-b.json']);
  });
});

describe('the committed fixtures folder', () => {
  /** Every format some test walks (see the README's table). */
  const FORMATS = [
    'batchnorm2d',
    'conv2d',
    'linear',
    'losses',
    'maxpool2d',
    'optimizers',
    'torch-extra',
    'train-small-cnn',
  ];

  it('holds only files of a format that a test reads, plus the README and the generator', () => {
    const formatOf = (name: string) =>
      FORMATS.find((p) => name === `${p}.json` || (name.startsWith(`${p}-`) && name.endsWith('.json')));
    const stray = readdirSync(FIXTURES_DIR).filter(
      (n) => n !== 'README.md' && n !== 'make_fixtures.py' && formatOf(n) === undefined,
    );
    expect(stray, 'files no test reads: add a test for their format').toEqual([]);
    for (const prefix of FORMATS) expect(fixtureFiles(prefix).length, prefix).toBeGreaterThan(0);
  });
});
