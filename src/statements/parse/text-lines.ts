/**
 * Groups a page's text items into visual lines (items whose vertical centres are close),
 * left to right. Statement tables are read line by line from these.
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

export function pageLines(page: PdfPage): TextLine[] {
  const items = [...page.items].sort((a, b) => a.top + a.bottom - (b.top + b.bottom) || a.x0 - b.x0);
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
