import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { codeBlocks } from '../../../scripts/readme-blocks';

it('shows test/readme-example.test.ts verbatim as the README example', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./readme-example.test.ts', import.meta.url), 'utf8');
  const blocks = codeBlocks(readme, 'packages/testing/README.md').filter((b) => b.section === 'Example');
  expect(blocks.map((b) => b.code)).toEqual([example]);
});
