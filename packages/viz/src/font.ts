import { createRequire } from 'node:module';
import * as path from 'node:path';

/** The family every chart and grid uses; its TTF ships in the `dejavu-fonts-ttf` npm package. */
export const FONT_FAMILY = 'DejaVu Sans';

let files: string[] | undefined;

/**
 * Paths of the bundled DejaVu Sans TTF files (regular and bold). PNGs are rendered with these
 * and with system fonts off, so a chart has the same pixels on every machine.
 */
export function fontFiles(): string[] {
  if (!files) {
    // CommonJS builds have __filename and no import.meta.url; ES modules the other way round.
    const require = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
    const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    files = [path.join(dir, 'DejaVuSans.ttf'), path.join(dir, 'DejaVuSans-Bold.ttf')];
  }
  return files;
}
