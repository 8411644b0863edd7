// Every ```ts block of README.md, packages/*/README.md and apps/*/README.md type-checks as a user
// would compile it, under both module resolutions users have:
//   bundler: the packages' TypeScript sources (export condition "@cnn/source"), no build needed;
//   node16:  the published declarations (dist/*.d.ts; the sources' extensionless relative imports
//            are not node16 ESM), rebuilt first when a package's dist is older than its src.
//            Blocks that import a private workspace package (@cnn/testing) are bundler-only.
// Blocks marked `run` are also run. The info-string syntax is in scripts/readme-blocks.ts, the one
// parser of README blocks. New READMEs and blocks are picked up without changing this file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { allReadmeBlocks, type CodeBlock, codeBlocks, readmeFiles } from '../../../scripts/readme-blocks';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cache = join(root, 'node_modules', '.cache', 'readme-examples');
const requireHere = createRequire(import.meta.url);
const tsc = requireHere.resolve('typescript/bin/tsc');
const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;

/** Workspace packages by name: folder, the workspace packages they depend on, whether published and built. */
const workspace = new Map<string, { dir: string; deps: string[]; published: boolean }>();
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group))) {
    const manifest = join(root, group, name, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, Record<string, string> | string>;
    const all = { ...(pkg.dependencies as object), ...(pkg.peerDependencies as object) } as Record<string, string>;
    const deps = Object.keys(all).filter((d) => all[d]?.startsWith('workspace:'));
    const built = typeof (pkg.scripts as Record<string, string> | undefined)?.build === 'string';
    workspace.set(pkg.name as string, { dir: join(root, group, name), deps, published: !pkg.private && built });
  }
}

const examples = allReadmeBlocks(root).filter((b) => b.lang === 'ts' || b.lang === 'typescript');
const checked = examples.filter((b) => !b.attrs.skip);
/** Blocks that import a private workspace package (e.g. @cnn/testing): bundler only, nothing to publish. */
const workspaceOnly = (b: CodeBlock) => bareImports(b.code).some((name) => workspace.get(name)?.published === false);

/** Where a block is written: one folder per README, so blocks of a README can import each other. */
function fileOf(block: CodeBlock): string {
  const folder = dirname(block.readme) === '.' ? 'root' : dirname(block.readme).replace('/', '-');
  const name = typeof block.attrs.file === 'string' ? block.attrs.file : `example-line-${block.line}.ts`;
  return join(cache, folder, name);
}

/** The package part of every bare import specifier in `code`. */
function bareImports(code: string): string[] {
  const specifiers = [...code.matchAll(/(?:from|import)\s*\(?\s*'([^'.][^']*)'/g)].map((m) => m[1] as string);
  return specifiers
    .filter((s) => !s.startsWith('node:'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] as string)));
}

/** Links `name` into the examples' node_modules: a workspace folder, else the copy a workspace package has. */
function link(name: string): void {
  const target = join(cache, 'node_modules', name);
  if (existsSync(target)) return;
  let source = workspace.get(name)?.dir;
  for (const pkg of [root, ...[...workspace.values()].map((w) => w.dir)]) {
    if (source) break;
    if (existsSync(join(pkg, 'node_modules', name, 'package.json'))) source = join(pkg, 'node_modules', name);
  }
  if (!source) throw new Error(`README examples import ${name}, which no workspace package has installed`);
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(realpathSync(source), target, 'dir');
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds (tsup) each workspace package in `names`, and what it depends on, whose dist is older than its src. */
function buildStale(names: string[]): string[] {
  const built: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    const pkg = workspace.get(name);
    if (!pkg?.published || seen.has(name)) return;
    seen.add(name);
    pkg.deps.forEach(visit);
    const types = join(pkg.dir, 'dist', 'index.d.ts');
    if (!existsSync(join(pkg.dir, 'src'))) return;
    if (existsSync(types) && statSync(types).mtimeMs >= newestMtime(join(pkg.dir, 'src'))) return;
    // The package's own build script, through npm, which every Node has (CI may run pnpm through npx).
    const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: pkg.dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`building ${name} failed:\n${result.stdout}${result.stderr}`);
    built.push(name);
  };
  names.forEach(visit);
  return built;
}

/** Canaries prove the check can fail: a type error (both modes) and an extensionless relative import (node16). */
const CANARIES = {
  'canary/types.ts': "export const n: number = 'not a number';\n",
  'canary/helper.ts': 'export const one = 1;\n',
  'canary/extensionless.ts': "import { one } from './helper';\nexport const two = one + 1;\n",
};

function typecheck(mode: 'bundler' | 'node16', files: string[]): string[] {
  const options =
    mode === 'bundler'
      ? { module: 'esnext', moduleResolution: 'bundler', customConditions: ['@cnn/source'] }
      : { module: 'node16', moduleResolution: 'node16' };
  const config = {
    compilerOptions: {
      ...options,
      target: 'es2022',
      lib: ['es2022'],
      types: ['node'],
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
    },
    files: [...files.map((f) => relative(cache, f)), ...Object.keys(CANARIES)],
  };
  writeFileSync(join(cache, `tsconfig.${mode}.json`), JSON.stringify(config, null, 2));
  const result = spawnSync(process.execPath, [tsc, '-p', `tsconfig.${mode}.json`, '--pretty', 'false'], {
    cwd: cache,
    encoding: 'utf8',
  });
  return `${result.stdout}${result.stderr}`.split('\n').filter((line) => /error TS\d+/.test(line));
}

beforeAll(() => {
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(join(cache, 'node_modules'), { recursive: true });
  writeFileSync(join(cache, 'package.json'), '{ "private": true, "type": "module" }\n');
  for (const block of checked) {
    const file = fileOf(block);
    mkdirSync(dirname(file), { recursive: true });
    // Blocks without import or export are scripts; top-level await needs them to be modules.
    const module = /^\s*(import|export)\s/m.test(block.code) ? '' : 'export {};\n';
    writeFileSync(file, `// ${block.readme}:${block.line}\n${block.code}${module}`);
    bareImports(block.code).forEach(link);
  }
  for (const [file, code] of Object.entries(CANARIES)) {
    mkdirSync(dirname(join(cache, file)), { recursive: true });
    writeFileSync(join(cache, file), code);
  }
  link('@types/node');
});

const where = (line: string) => relative(cache, join(cache, line.split('(')[0] as string));

describe('README examples', () => {
  it('are found in every README, including the ones a new package adds', () => {
    expect(readmeFiles(root)).toContain('packages/backend/README.md');
    expect(checked.length).toBeGreaterThanOrEqual(10);
    // Each README's named files are unique, so no block silently overwrites another.
    const files = checked.map(fileOf);
    expect(new Set(files).size).toBe(files.length);
  });

  it('type-check with moduleResolution bundler, from the package sources', { timeout: 120_000 }, () => {
    const errors = typecheck('bundler', checked.map(fileOf));
    expect(errors.filter((e) => !where(e).startsWith('canary'))).toEqual([]);
    expect(errors.map((e) => /^([^(]+)\(.*(TS\d+)/.exec(e)?.slice(1).join(' '))).toEqual(['canary/types.ts TS2322']);
  });

  it('type-check with moduleResolution node16, from the built declarations', { timeout: 300_000 }, () => {
    const published = checked.filter((b) => !workspaceOnly(b));
    buildStale([...new Set(published.flatMap((b) => bareImports(b.code)))]);
    const errors = typecheck('node16', published.map(fileOf));
    expect(errors.filter((e) => !where(e).startsWith('canary'))).toEqual([]);
    expect(errors.map((e) => /^([^(]+)\(.*(TS\d+)/.exec(e)?.slice(1).join(' ')).sort()).toEqual([
      'canary/extensionless.ts TS2835',
      'canary/types.ts TS2322',
    ]);
  });

  for (const block of checked.filter((b) => b.attrs.run)) {
    it(`runs ${block.readme}:${block.line}`, { timeout: 180_000 }, () => {
      const file = fileOf(block);
      const result = spawnSync(process.execPath, ['--import', tsx, '--conditions=@cnn/source', file], {
        cwd: dirname(file),
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(result.error, 'the example did not finish in 2 minutes').toBeUndefined();
      expect(result.stderr).not.toMatch(/Error/);
      expect(result.status, result.stderr).toBe(0);
    });
  }
});

describe('codeBlocks', () => {
  it('reads language, attributes and section of each fenced block', () => {
    const md = '# A\n\n```ts file=net.ts run\nconst a = 1;\n```\n\n## B\n\n```\nplain\n```\n';
    expect(codeBlocks(md, 'x.md')).toEqual([
      {
        readme: 'x.md',
        line: 3,
        lang: 'ts',
        attrs: { file: 'net.ts', run: true },
        section: 'A',
        code: 'const a = 1;\n',
      },
      { readme: 'x.md', line: 9, lang: '', attrs: {}, section: 'B', code: 'plain\n' },
    ]);
    expect(() => codeBlocks('```ts\nopen', 'y.md')).toThrow('y.md:1: code block has no closing fence');
  });
});
