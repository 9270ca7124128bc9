/**
 * Hostile PDFs, built by hand: decompression bombs, stacked and nested filters, a content stream
 * shared by hundreds of pages, deep object nesting, huge and cyclic page trees. Used by
 * test/http/hostile-upload.slow.test.ts and bench/hostile-uploads.ts; each is a few KB to about a
 * megabyte, and each must be refused with a 4xx quickly and cheaply.
 */
import { deflateSync } from 'node:zlib';
import { buildPdf as buildNumberedPdf } from '../pdf/hand-built-pdf.ts';

/** An indirect object: a dictionary or array as PDF text, or a stream (`dict` without /Length, which is added). */
export type PdfObject = string | { dict: string; data: Buffer };

/**
 * A PDF of `objects`, numbered from 1 (the catalog), with a classic cross-reference table;
 * `xref: false` leaves out the table and `startxref`, so that only a reader that repairs files
 * (pdfjs) opens it.
 */
export function buildPdf(objects: PdfObject[], options: { xref?: boolean } = {}): Buffer {
  return buildNumberedPdf(new Map(objects.map((object, i) => [i + 1, object])), options);
}

const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
const TEXT = Buffer.from('BT /F1 12 Tf 72 700 Td (Opening Balance 1,000.00) Tj ET');

/** Zeros that inflate far past any small file's decode budget (32 MB): 64 MB. */
const BOMB_BYTES = 64 * 2 ** 20;

function zeros(): Buffer {
  return Buffer.alloc(BOMB_BYTES);
}

/** Catalog, page tree and font for one page whose content is object 4 (objects 1–5). */
function onePage(content: PdfObject): PdfObject[] {
  return [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    content,
    FONT,
  ];
}

/** A page whose content stream inflates to 64 MB. */
export function flateBomb(): Buffer {
  return buildPdf(onePage({ dict: '/Filter /FlateDecode', data: deflateSync(zeros(), { level: 9 }) }));
}

/** Two Flate filters stacked: about 5 KB on disk (the file that drove a server to 9.8 GB). */
export function stackedFlateBomb(): Buffer {
  return buildPdf(onePage({ dict: '/Filter [/FlateDecode /FlateDecode]', data: deflateSync(deflateSync(zeros(), { level: 9 }), { level: 9 }) }));
}

/**
 * Stacked Flate under ASCIIHex: the page's content is ASCIIHex → Flate → Flate. The lean reader
 * stops it at its decode budget; read with pdfjs, the check before pdfjs does (pdfjs-budget.ts).
 */
export function nestedFilterBomb(): Buffer {
  const inner = deflateSync(deflateSync(zeros(), { level: 9 }), { level: 9 });
  return buildPdf(onePage({ dict: '/Filter [/ASCIIHexDecode /FlateDecode /FlateDecode]', data: Buffer.from(`${inner.toString('hex')}>`) }));
}

/** A Flate bomb as the page's content, in a file without a cross-reference table: only a reader that repairs files (pdfjs) opens it. */
export function brokenXrefBomb(): Buffer {
  return buildPdf(onePage({ dict: '/Filter /FlateDecode', data: deflateSync(zeros(), { level: 9 }) }), { xref: false });
}

/**
 * `pages` pages that all draw one content stream of about 1.2 MB of text operators (stored
 * unfiltered, so that no decode budget sees it): 450 pages read it 450 times.
 */
export function sharedContentPages(pages = 450): Buffer {
  const line = 'BT /F1 9 Tf 40 800 Td (01/05/2026 UPI/PAYMENT/000000 1,000.00 25,000.00) Tj ET\n';
  const content = Buffer.from(line.repeat(Math.ceil(1_200_000 / line.length)));
  const kids = Array.from({ length: pages }, (_, i) => `${i + 5} 0 R`).join(' ');
  const objects: PdfObject[] = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`, FONT, { dict: '', data: content }];
  for (let i = 0; i < pages; i++) objects.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>');
  return buildPdf(objects);
}

/** A page dictionary holding arrays nested `depth` deep, then dictionaries nested `depth` deep. */
export function deepNesting(depth = 100_000): Buffer {
  const arrays = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const dicts = `${'<< /A '.repeat(depth)}1${' >>'.repeat(depth)}`;
  const objects = onePage({ dict: '', data: TEXT });
  objects[2] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Deep ${arrays} /Deeper ${dicts} >>`;
  return buildPdf(objects);
}

/** One page, and a page tree that claims `count` (10^7) pages. */
export function hugePageCount(count = 10_000_000): Buffer {
  const objects = onePage({ dict: '', data: TEXT });
  objects[1] = `<< /Type /Pages /Kids [3 0 R] /Count ${count} >>`;
  return buildPdf(objects);
}

/** A real page tree of `pages` pages (50,000 by default) in nodes of 100, sharing one small content stream. */
export function manyPages(pages = 50_000): Buffer {
  const perNode = 100;
  const nodes = Math.ceil(pages / perNode);
  // 1 catalog, 2 root, 3 font, 4 content, then the intermediate nodes, then the pages.
  const firstNode = 5;
  const firstPage = firstNode + nodes;
  const objects: PdfObject[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${Array.from({ length: nodes }, (_, i) => `${firstNode + i} 0 R`).join(' ')}] /Count ${pages} >>`,
    FONT,
    { dict: '', data: TEXT },
  ];
  for (let n = 0; n < nodes; n++) {
    const kids = Array.from({ length: Math.min(perNode, pages - n * perNode) }, (_, i) => `${firstPage + n * perNode + i} 0 R`);
    objects.push(`<< /Type /Pages /Parent 2 0 R /Kids [${kids.join(' ')}] /Count ${kids.length} >>`);
  }
  for (let p = 0; p < pages; p++) {
    objects.push(`<< /Type /Page /Parent ${firstNode + Math.floor(p / perNode)} 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>`);
  }
  return buildPdf(objects);
}

/** A page tree whose second node lists the root among its kids. */
export function cyclicPageTree(): Buffer {
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 3 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    { dict: '', data: TEXT },
    FONT,
    '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 2 >>',
  ]);
}

/** Every hostile file, by the name the test and the benchmark print. */
export const HOSTILE_PDFS: Record<string, () => Buffer> = {
  'flate bomb': flateBomb,
  'two stacked Flate filters': stackedFlateBomb,
  'nested filters (ASCIIHex, Flate, Flate)': nestedFilterBomb,
  'bomb in a file without xref': brokenXrefBomb,
  'objects nested 100k deep': () => deepNesting(100_000),
  'page tree /Count 10^7': () => hugePageCount(),
  '50,000 pages': () => manyPages(),
  'cyclic page tree': cyclicPageTree,
  // Refused by the lean reader's work budget before any page is read (it once held a worker for the 120 s time limit).
  '450 pages sharing one content stream': () => sharedContentPages(450),
};

/**
 * `pages` pages sharing one content stream of about `bytes` of text-showing operators (Flate,
 * within the decode budget), in a file without a cross-reference table so that pdfjs reads it:
 * pages that take far more memory to read than a statement's.
 */
export function heavyPages(pages = 2, bytes = 12 * 2 ** 20): Buffer {
  const line = 'BT /F1 9 Tf 40 800 Td (01/05/2026 UPI/PAYMENT/000000 1,000.00 25,000.00) Tj ET\n';
  const content = Buffer.from(line.repeat(Math.ceil(bytes / line.length)));
  const kids = Array.from({ length: pages }, (_, i) => `${i + 5} 0 R`).join(' ');
  const objects: PdfObject[] = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`, FONT, { dict: '/Filter /FlateDecode', data: deflateSync(content) }];
  for (let i = 0; i < pages; i++) objects.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>');
  return buildPdf(objects, { xref: false });
}
