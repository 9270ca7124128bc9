/**
 * Groups a page's text items into visual lines (items whose vertical centres are close),
 * left to right. Statement tables are read line by line from these. Watermarks (text far taller
 * than the page's own) are left out: laid over the table, they would join its lines.
 */
import type { PdfPage, TextItem } from '../../pdf/read-pdf-text.ts';

export interface TextLine {
  page: number;
  top: number;
  bottom: number;
  items: TextItem[];
  /** The line's text, items joined with single spaces. */
  text: string;
}

/** Text this many times the page's usual height is a watermark ("SAMPLE", "CONFIDENTIAL" across the table), not a line of it. */
const WATERMARK_HEIGHT = 4;

/** The median height of a page's text items. */
function usualHeight(items: PdfPage['items']): number {
  const heights = items.map((i) => i.bottom - i.top).sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 2)] ?? 0;
}

export function pageLines(page: PdfPage): TextLine[] {
  const limit = usualHeight(page.items) * WATERMARK_HEIGHT;
  const items = page.items.filter((i) => i.bottom - i.top <= limit).sort((a, b) => a.top + a.bottom - (b.top + b.bottom) || a.x0 - b.x0);
  const lines: TextLine[] = [];
  for (const item of items) {
    const centre = (item.top + item.bottom) / 2;
    const height = item.bottom - item.top;
    const line = lines.at(-1);
    if (line && Math.abs((line.top + line.bottom) / 2 - centre) <= Math.max(2, height * 0.35)) {
      line.items.push(item);
      line.top = Math.min(line.top, item.top);
      line.bottom = Math.max(line.bottom, item.bottom);
    } else {
      lines.push({ page: page.number, top: item.top, bottom: item.bottom, items: [item], text: '' });
    }
  }
  for (const line of lines) {
    line.items.sort((a, b) => a.x0 - b.x0);
    line.text = line.items.map((i) => i.text.trim()).join(' ');
  }
  return lines;
}
