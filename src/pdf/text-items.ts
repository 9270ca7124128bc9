/** Positioned text, as both readers (content-text.ts and pdfjs in read-pdf-text.ts) give it. */
export interface TextItem {
  text: string;
  x0: number;
  x1: number;
  /** Top and bottom of the glyph box, from the top of the page. */
  top: number;
  bottom: number;
}

export interface PdfPage {
  number: number;
  width: number;
  height: number;
  items: TextItem[];
}

export interface PdfText {
  pageCount: number;
  pages: PdfPage[];
  /** Which reader read it: the lean one (content-text.ts), or pdfjs, when the lean one declined the document. */
  reader: 'lean' | 'pdfjs';
}
