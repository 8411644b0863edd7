import { escapeXml } from './svg';
import { pngDataUri } from './png';

/** Everything a run report shows; every part but `title` may be left out. */
export interface ReportParts {
  title: string;
  /** Shown as a key/value table (nested values as JSON). */
  config?: Record<string, unknown>;
  /** The model summary table (monospace). */
  modelSummary?: string;
  /** Final figures, e.g. `{ 'test accuracy': '98.9%' }`. */
  metrics?: Record<string, string>;
  /**
   * Figures in order, each a PNG (inlined as a data: URI) shown at its pixel width divided by
   * `scale` (default 2, the PNG scale of this package), so it is sharp on high-density screens.
   */
  figures?: { title: string; png: Uint8Array; caption?: string; scale?: number }[];
  /** Notes such as “no model in the run directory”. */
  notes?: string[];
}

/**
 * One self-contained HTML page (no scripts, no network: images are inlined), readable on
 * screen and in print.
 */
export function htmlReport(parts: ReportParts): string {
  const e = escapeXml;
  const section = (title: string, body: string) => `<section><h2>${e(title)}</h2>\n${body}\n</section>`;
  const kv = (obj: Record<string, unknown>) =>
    `<table>${Object.entries(obj)
      .map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(typeof v === 'string' ? v : JSON.stringify(v))}</td></tr>`)
      .join('')}</table>`;
  const body: string[] = [`<h1>${e(parts.title)}</h1>`];
  if (parts.notes?.length) body.push(`<ul class="notes">${parts.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>`);
  if (parts.metrics) body.push(section('Final metrics', kv(parts.metrics)));
  if (parts.config) body.push(section('Configuration', kv(parts.config)));
  if (parts.modelSummary) body.push(section('Model', `<pre>${e(parts.modelSummary)}</pre>`));
  for (const f of parts.figures ?? []) {
    const caption = f.caption ? `<figcaption>${e(f.caption)}</figcaption>` : '';
    const width = Math.round(pngWidth(f.png) / (f.scale ?? 2));
    const img = `<img src="${pngDataUri(f.png)}" width="${width}" alt="${e(f.title)}">`;
    body.push(section(f.title, `<figure>${img}${caption}</figure>`));
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(parts.title)}</title>
<style>
body { font-family: 'DejaVu Sans', system-ui, sans-serif; color: #222; max-width: 1100px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 0.2em 1em 0.2em 0; vertical-align: top; }
th { font-weight: normal; color: #555; } pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
img { max-width: 100%; height: auto; } figure { margin: 0; } figcaption { color: #555; font-size: 0.9em; }
.notes { color: #8a4b00; } section { break-inside: avoid; }
</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

/** The width in the IHDR chunk of a PNG (bytes 16..19, big-endian). */
function pngWidth(png: Uint8Array): number {
  return new DataView(png.buffer, png.byteOffset, png.byteLength).getUint32(16);
}
