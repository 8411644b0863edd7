/** Text rendering for terminals: tables, bars, ASCII digits and a one-line chart. */

/** Darkest last: one character per brightness band of a pixel (0..255). */
export const ASCII_RAMP = ' .:-=+*#%@';

/** Formats 60000 as `60 000`. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** A horizontal bar of `value / max * width` cells using eighth blocks for the fraction. */
export function bar(value: number, max: number, width: number): string {
  if (max <= 0) return '';
  const eighths = Math.round((value / max) * width * 8);
  const partial = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8]!;
  return '█'.repeat(Math.floor(eighths / 8)) + partial;
}

/**
 * Renders one image as ASCII, one character per pixel across and per two pixel rows down
 * (terminal cells are about twice as tall as wide), averaging each vertical pair.
 */
export function asciiImage(pixels: Uint8Array, height: number, width: number, ramp = ASCII_RAMP): string[] {
  const lines: string[] = [];
  for (let row = 0; row < height; row += 2) {
    let line = '';
    for (let col = 0; col < width; col++) {
      const top = pixels[row * width + col]!;
      const bottom = row + 1 < height ? pixels[(row + 1) * width + col]! : top;
      const level = Math.min(ramp.length - 1, Math.floor(((top + bottom) / 2 / 256) * ramp.length));
      line += ramp[level];
    }
    lines.push(line);
  }
  return lines;
}

/** Lays out blocks of equal-width lines side by side, as many per row as fit in `columns`. */
export function sideBySide(blocks: { title: string; lines: string[] }[], columns: number, gap = 3): string[] {
  if (blocks.length === 0) return [];
  const blockWidth = Math.max(...blocks.map((b) => Math.max(b.title.length, ...b.lines.map((l) => l.length))));
  const perRow = Math.max(1, Math.floor((columns + gap) / (blockWidth + gap)));
  const out: string[] = [];
  for (let start = 0; start < blocks.length; start += perRow) {
    const row = blocks.slice(start, start + perRow);
    const height = Math.max(...row.map((b) => b.lines.length));
    const join = (parts: string[]) =>
      parts
        .map((p) => p.padEnd(blockWidth))
        .join(' '.repeat(gap))
        .trimEnd();
    out.push(join(row.map((b) => b.title)));
    for (let i = 0; i < height; i++) out.push(join(row.map((b) => b.lines[i] ?? '')));
    out.push('');
  }
  return out;
}

/** The width of each column: its longest cell. */
function columnWidths(rows: string[][]): number[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return widths;
}

function alignCells(row: string[], widths: number[], right: ReadonlySet<number>): string[] {
  return row.map((cell, i) => (right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)));
}

/** A left-aligned text table; columns listed in `right` are right-aligned. */
export function table(rows: string[][], right: ReadonlySet<number> = new Set()): string[] {
  const widths = columnWidths(rows);
  return rows.map((row) => alignCells(row, widths, right).join('  ').trimEnd());
}

/**
 * The same table as Markdown (first row the header), aligned so that it also reads well as
 * plain text; columns in `right` get a right-aligned rule (`---:`).
 */
export function markdownTable(rows: string[][], right: ReadonlySet<number> = new Set()): string[] {
  if (rows.length === 0) return [];
  const widths = columnWidths(rows).map((w) => Math.max(w, 3));
  const line = (row: string[]) => `| ${alignCells(row, widths, right).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  const [header, ...body] = rows;
  return [line(header!), rule, ...body.map(line)];
}

/**
 * Removes the blank margin shared by all blocks: rows at the top and bottom and columns at the
 * left and right that are spaces in every block (MNIST digits sit in a 4-pixel empty frame).
 */
export function trimCommonMargin(blocks: string[][]): string[][] {
  const all = blocks.flat();
  if (all.length === 0) return blocks;
  const height = Math.max(...blocks.map((b) => b.length));
  const rowBlank = (i: number) => blocks.every((b) => (b[i] ?? '').trim() === '');
  let top = 0;
  while (top < height && rowBlank(top)) top++;
  let bottom = height;
  while (bottom > top && rowBlank(bottom - 1)) bottom--;
  const width = Math.max(...all.map((l) => l.length));
  const leading = Math.min(...all.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length), width);
  const used = Math.max(0, ...all.map((l) => l.trimEnd().length));
  return blocks.map((b) => b.slice(top, bottom).map((l) => l.padEnd(width).slice(leading, used)));
}

const SPARKS = '▁▂▃▄▅▆▇█';

/**
 * A one-line chart of `values` in `width` cells (the mean of each run of values per cell),
 * lowest value ▁, highest █; non-finite values are skipped and an empty cell is a space.
 * Example: `sparkline([3, 2, 1], 3)` is `'█▄▁'`.
 */
export function sparkline(values: ArrayLike<number>, width = 40): string {
  const finite = Array.from(values).filter(Number.isFinite);
  if (finite.length === 0 || width < 1) return '';
  const cells = Math.min(width, values.length);
  const means: number[] = [];
  for (let c = 0; c < cells; c++) {
    const from = Math.floor((c * values.length) / cells);
    const to = Math.max(from + 1, Math.floor(((c + 1) * values.length) / cells));
    let sum = 0;
    let n = 0;
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) {
        sum += v;
        n += 1;
      }
    }
    means.push(n ? sum / n : Number.NaN);
  }
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return means
    .map((m) =>
      Number.isFinite(m) ? SPARKS[hi > lo ? Math.round(((m - lo) / (hi - lo)) * (SPARKS.length - 1)) : 0] : ' ',
    )
    .join('');
}

/**
 * Some digits as ASCII side by side, each under its title, wrapped to `columns` characters.
 *
 * Args: `images` holds 8-bit `height × width` images one after another (an `ImageSet`'s
 * layout); `items` picks them by index. Example: `digitPreview(test, [{ index: 8, title: '5 → 6' }], 80)`.
 */
export function digitPreview(
  source: { images: Uint8Array; height: number; width: number },
  items: { index: number; title: string }[],
  columns = 80,
): string[] {
  const { height, width } = source;
  const size = height * width;
  const images = trimCommonMargin(
    items.map(({ index }) => asciiImage(source.images.subarray(index * size, (index + 1) * size), height, width)),
  );
  return sideBySide(
    images.map((lines, i) => ({ title: items[i]!.title, lines })),
    columns,
  );
}
