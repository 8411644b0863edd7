import { inkRaster } from './colormap';
import { VizError } from './errors';
import { type PngOptions, type Rendered, svgToPng } from './render';
import { svgDocument, svgImage, svgText, textWidth } from './svg';

/**
 * Images to draw: `images` holds `count` images of `height × width` 8-bit pixels, one after
 * another, row-major (the layout of `@cnn/datasets` `ImageSet.images`, 0 = background).
 */
export interface DigitSource {
  images: Uint8Array;
  height: number;
  width: number;
}

/** Options of {@link digitGridSvg}. */
export interface DigitGridOptions {
  /** Which images, by index (default the first `count`). */
  indices?: ArrayLike<number>;
  /** How many of the first images when `indices` is not given (default 40, as tutorial 004). */
  count?: number;
  /** Cells per row (default 10). */
  columns?: number;
  /** True classes, indexed like the images; drawn above each cell. */
  labels?: ArrayLike<number>;
  /** Predicted classes, indexed like the images: a cell whose prediction differs from its label is framed in red. */
  predictions?: ArrayLike<number>;
  /** Extra lines under each cell, one entry per drawn cell (e.g. top-3 probabilities). */
  captions?: string[][];
  /** Names of the classes (default the class numbers). */
  classNames?: readonly string[];
  /** Screen pixels per image pixel (default 3; whole numbers keep the pixels exact). */
  scale?: number;
  title?: string;
}

/** Where a grid put its cells: the image area of each cell, in SVG units (= PNG pixels at scale 1). */
export interface GridLayout {
  width: number;
  height: number;
  cells: { index: number; x: number; y: number }[];
}

const GAP = 10;
const MARGIN = 12;
const LINE = 14;
const MISTAKE = '#c62828';

/**
 * Lays out images in a grid as an SVG (dark ink on white: pixel value v is drawn as 255 - v),
 * each with its label, its prediction when it is wrong (`7 → 1`, framed in red) and optional
 * caption lines.
 *
 * Shape: each cell is `width·scale × height·scale`; `columns` cells per row.
 * Example: `digitGridSvg(mnist.train, { labels: mnist.train.labels, count: 40 })` (tutorial 004).
 */
export function digitGridSvg(source: DigitSource, options: DigitGridOptions = {}): { svg: string; layout: GridLayout } {
  const { height: h, width: w } = source;
  const total = Math.floor(source.images.length / (h * w));
  const indices = Array.from(options.indices ?? range(Math.min(options.count ?? 40, total)));
  const columns = options.columns ?? 10;
  const scale = options.scale ?? 3;
  if (!(Number.isInteger(columns) && columns > 0))
    throw new VizError('bad-input', `columns must be > 0, got ${columns}`);
  if (!(Number.isInteger(scale) && scale > 0))
    throw new VizError('bad-input', `scale must be a whole number > 0, got ${scale}`);
  if (indices.length === 0) throw new VizError('bad-input', 'digit grid: no images to draw');
  for (const i of indices) {
    if (!(Number.isInteger(i) && i >= 0 && i < total)) {
      throw new VizError('bad-input', `digit grid: image index ${i} is outside 0..${total - 1}`);
    }
  }
  if (options.captions && options.captions.length !== indices.length) {
    throw new VizError('bad-input', `digit grid: ${options.captions.length} captions for ${indices.length} images`);
  }
  const name = (c: number) => options.classNames?.[c] ?? String(c);
  const captionLines = Math.max(0, ...(options.captions ?? []).map((c) => c.length));
  const head = (options.labels ? LINE + 4 : 0) + 2;
  const longest = Math.max(0, ...(options.captions ?? []).flat().map((line) => textWidth(line, 11)));
  const cellW = Math.max(w * scale, 56, longest + 4);
  const cellH = head + h * scale + captionLines * LINE + (captionLines ? 4 : 0);
  const top = MARGIN + (options.title ? 22 : 0);
  const rows = Math.ceil(indices.length / columns);
  const titleWidth = options.title ? textWidth(options.title, 15, 'bold') : 0;
  const width = MARGIN * 2 + Math.max(titleWidth, Math.min(columns, indices.length) * (cellW + GAP) - GAP);
  const height = top + rows * (cellH + GAP) - GAP + MARGIN;
  const body: string[] = [];
  if (options.title) body.push(svgText(options.title, MARGIN, MARGIN + 14, { size: 15, weight: 'bold' }));
  const cells: GridLayout['cells'] = [];
  indices.forEach((index, k) => {
    const cx = MARGIN + (k % columns) * (cellW + GAP);
    const cy = top + Math.floor(k / columns) * (cellH + GAP);
    const x = cx + Math.floor((cellW - w * scale) / 2);
    const y = cy + head;
    const label = options.labels?.[index];
    const predicted = options.predictions?.[index];
    const wrong = label !== undefined && predicted !== undefined && predicted !== label;
    if (label !== undefined) {
      const text = wrong ? `${name(label)} → ${name(predicted!)}` : name(label);
      body.push(
        svgText(text, cx + cellW / 2, cy + LINE, {
          anchor: 'middle',
          size: 13,
          weight: wrong ? 'bold' : 'normal',
          fill: wrong ? MISTAKE : '#222',
        }),
      );
    }
    body.push(svgImage(inkRaster(source.images.subarray(index * h * w, (index + 1) * h * w), h, w), x, y, scale));
    body.push(
      `<rect x="${x - 0.5}" y="${y - 0.5}" width="${w * scale + 1}" height="${h * scale + 1}" fill="none" stroke="${wrong ? MISTAKE : '#ccc'}" stroke-width="${wrong ? 3 : 1}"/>`,
    );
    options.captions?.[k]?.forEach((line, j) => {
      body.push(
        svgText(line, cx + cellW / 2, y + h * scale + 4 + (j + 1) * LINE - 2, {
          anchor: 'middle',
          size: 11,
          fill: '#444',
        }),
      );
    });
    cells.push({ index, x, y });
  });
  return { svg: svgDocument(width, height, body), layout: { width, height, cells } };
}

/** {@link digitGridSvg} rendered to SVG and PNG. */
export function renderDigitGrid(source: DigitSource, options: DigitGridOptions = {}, png: PngOptions = {}): Rendered {
  const { svg } = digitGridSvg(source, options);
  return { svg, png: svgToPng(svg, png) };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
