import type { Raster } from './png';
import { svgDocument, svgImage, svgText, textWidth } from './svg';

/** One titled block of equally sized small images, e.g. one layer's filters or feature maps. */
export interface SheetSection {
  title: string;
  /** Images of one size, drawn in order, `columns` per row. */
  images: Raster[];
  columns: number;
  /** Whole screen pixels per image pixel. */
  scale: number;
  /** Optional small label under each image (e.g. the channel number). */
  labels?: string[];
}

const MARGIN = 12;
const GAP = 4;

/** Stacks sections vertically in one SVG; returns it with its size. */
export function sheetSvg(
  title: string,
  sections: SheetSection[],
  note?: string,
): { svg: string; width: number; height: number } {
  const body: string[] = [svgText(title, MARGIN, MARGIN + 14, { size: 15, weight: 'bold' })];
  let y = MARGIN + 22;
  if (note) {
    body.push(svgText(note, MARGIN, y + 10, { size: 12, fill: '#555' }));
    y += 18;
  }
  let width = Math.max(360, MARGIN * 2 + textWidth(title, 15, 'bold'), MARGIN * 2 + (note ? textWidth(note, 12) : 0));
  for (const s of sections) {
    y += 12;
    body.push(svgText(s.title, MARGIN, y + 4, { size: 13, weight: 'bold' }));
    y += 12;
    width = Math.max(width, MARGIN * 2 + textWidth(s.title, 13, 'bold'));
    const first = s.images[0];
    if (!first) continue;
    const w = first.width * s.scale;
    const h = first.height * s.scale;
    const labelH = s.labels ? 13 : 0;
    s.images.forEach((img, i) => {
      const x = MARGIN + (i % s.columns) * (w + GAP);
      const top = y + Math.floor(i / s.columns) * (h + GAP + labelH);
      body.push(svgImage(img, x, top, s.scale));
      if (s.labels?.[i])
        body.push(svgText(s.labels[i]!, x + w / 2, top + h + 11, { size: 10, anchor: 'middle', fill: '#555' }));
    });
    const rows = Math.ceil(s.images.length / s.columns);
    y += rows * (h + GAP + labelH);
    width = Math.max(width, MARGIN * 2 + Math.min(s.columns, s.images.length) * (w + GAP));
  }
  const height = y + MARGIN;
  return { svg: svgDocument(width, height, body), width, height };
}

/** A whole-number scale that draws a `size`-pixel image about `target` pixels wide (at least 1). */
export function scaleFor(size: number, target: number): number {
  return Math.max(1, Math.round(target / size));
}
