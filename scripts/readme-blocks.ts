/**
 * The one parser of README code blocks, used by every test that checks or runs README examples
 * (packages/testing/test/readme-examples.test.ts type-checks them all; the layers and train tests
 * compare theirs with the files they run).
 *
 * A block is a fenced code block: a line starting with three backticks and an info string, up to
 * the next line of three backticks. The info string is a language and optional attributes:
 *
 *   ```ts                 a TypeScript example (type-checked on its own, as a module)
 *   ```ts file=net.ts     saved as net.ts, so another block of the same README can import './net.js'
 *   ```ts skip            not type-checked (say why in the text around it)
 *   ```ts run             also run (with tsx, from the package sources): only for examples of a few seconds
 *
 * GitHub and npm highlight by the first word and ignore the rest.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CodeBlock {
  /** The README, relative to the repository root, e.g. `packages/layers/README.md`. */
  readme: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The first word of the info string, e.g. `ts`, `sh`, `text` ('' when absent). */
  lang: string;
  /** The other words: `key=value` pairs and bare flags (`true`). */
  attrs: Record<string, string | true>;
  /** The heading the block sits under, without the leading #s ('' before any heading). */
  section: string;
  /** The lines between the fences, each ending in a newline. */
  code: string;
}

/** Thrown for a README whose fences do not pair up. */
export class ReadmeBlockError extends Error {
  override readonly name = 'ReadmeBlockError';
}

/** The fenced code blocks of `markdown`, in order. */
export function codeBlocks(markdown: string, readme = 'README.md'): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) section = (heading[1] as string).trim();
    const fence = /^```(.*)$/.exec(line);
    if (!fence) continue;
    const [lang = '', ...words] = (fence[1] as string).trim().split(/\s+/).filter(Boolean);
    const attrs: Record<string, string | true> = {};
    for (const word of words) {
      const eq = word.indexOf('=');
      if (eq < 0) attrs[word] = true;
      else attrs[word.slice(0, eq)] = word.slice(eq + 1);
    }
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new ReadmeBlockError(`${readme}:${i + 1}: code block has no closing fence`);
    const code = lines
      .slice(i + 1, end)
      .map((l) => `${l}\n`)
      .join('');
    blocks.push({ readme, line: i + 1, lang, attrs, section, code });
    i = end;
  }
  return blocks;
}

/** README.md, packages/<name>/README.md and apps/<name>/README.md under `root`, relative, sorted. */
export function readmeFiles(root: string): string[] {
  const found = existsSync(join(root, 'README.md')) ? ['README.md'] : [];
  for (const group of ['packages', 'apps']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (existsSync(join(dir, name, 'README.md'))) found.push(`${group}/${name}/README.md`);
    }
  }
  return found;
}

/** Every code block of every README under `root`. */
export function allReadmeBlocks(root: string): CodeBlock[] {
  return readmeFiles(root).flatMap((readme) => codeBlocks(readFileSync(join(root, readme), 'utf8'), readme));
}
