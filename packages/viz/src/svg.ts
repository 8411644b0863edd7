import { FONT_FAMILY } from './font';
import { encodePng, pngDataUri, type Raster } from './png';

/** Escapes text for SVG/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * An SVG `<image>` showing `raster` at (x, y), each pixel drawn as a `scale × scale` square with
 * no smoothing (so a PNG rendering at 1× repeats the source pixels exactly).
 */
export function svgImage(raster: Raster, x: number, y: number, scale: number): string {
  const href = pngDataUri(encodePng(raster));
  return `<image x="${x}" y="${y}" width="${raster.width * scale}" height="${raster.height * scale}" image-rendering="optimizeSpeed" preserveAspectRatio="none" href="${href}"/>`;
}

/** Options of {@link svgText}. */
export interface TextOptions {
  size?: number;
  anchor?: 'start' | 'middle' | 'end';
  weight?: 'normal' | 'bold';
  fill?: string;
}

/** A line of text in the bundled font; (x, y) is the baseline point. */
export function svgText(text: string, x: number, y: number, options: TextOptions = {}): string {
  const { size = 12, anchor = 'start', weight = 'normal', fill = '#222' } = options;
  return `<text x="${x}" y="${y}" font-family="${FONT_FAMILY}" font-size="${size}" text-anchor="${anchor}" font-weight="${weight}" fill="${fill}">${escapeXml(text)}</text>`;
}

/** About how wide a line of DejaVu Sans is (its glyphs average 0.62 em, bold 0.7 em). */
export function textWidth(text: string, size = 12, weight: 'normal' | 'bold' = 'normal'): number {
  return Math.ceil(text.length * size * (weight === 'bold' ? 0.7 : 0.62));
}

/** Wraps body elements in an `<svg>` of the given size on a white background. */
export function svgDocument(width: number, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}
