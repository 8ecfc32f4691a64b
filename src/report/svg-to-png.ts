import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

/** Where font files are looked for; resvg ships no fonts, and text without one is silently dropped. */
const fontDirs = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/truetype/liberation', '/usr/share/fonts/TTF', '/System/Library/Fonts/Supplemental', 'C:\\Windows\\Fonts'];
const wanted = /^(DejaVuSans(-Bold)?|LiberationSans-(Regular|Bold)|Arial( Bold)?)\.ttf$/i;

let fontFiles: string[] | undefined;

/** The sans-serif fonts the charts name, as found on this machine. */
export function chartFontFiles(): string[] {
  fontFiles ??= fontDirs.filter((dir) => existsSync(dir)).flatMap((dir) => readdirSync(dir).filter((name) => wanted.test(name)).map((name) => join(dir, name)));
  return fontFiles;
}

export interface PngOptions {
  /** Device pixels per SVG pixel; 2 keeps text sharp on high-density screens. */
  scale?: number;
}

/** Rasterizes an SVG with the machine's fonts (system fonts as a fallback when none of the named ones exist). */
export function svgToPng(svg: string, options: PngOptions = {}): { png: Buffer; width: number; height: number } {
  const files = chartFontFiles();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: '#ffffff',
    font: {
      loadSystemFonts: files.length === 0,
      fontFiles: files,
      defaultFontFamily: files.some((f) => f.includes('DejaVu')) ? 'DejaVu Sans' : 'Liberation Sans',
      sansSerifFamily: files.some((f) => f.includes('DejaVu')) ? 'DejaVu Sans' : 'Liberation Sans',
    },
  });
  const image = resvg.render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
