/**
 * pdf.js, for the statement viewer. Only ever imported lazily (`import('./pdf-engine.ts')` in
 * pdf-documents.ts), so esbuild puts it in a chunk of its own that the first view does not load.
 * Its worker is emitted by scripts/build-console.mjs as a hashed asset of this server, whose URL
 * the build defines as `__PDF_WORKER_URL__`.
 */
import { getDocument, GlobalWorkerOptions, TextLayer, type PageViewport, type PDFDocumentProxy } from 'pdfjs-dist';
import type { BBox } from './transactions-data.ts';

declare const __PDF_WORKER_URL__: string;

GlobalWorkerOptions.workerSrc = __PDF_WORKER_URL__;

export type { PDFDocumentProxy };

/** A parsed PDF, and how to let go of it (its worker-side data). */
export async function openDocument(data: Uint8Array): Promise<{ doc: PDFDocumentProxy; close: () => void }> {
  const task = getDocument({ data, enableXfa: false });
  const doc = await task.promise;
  return { doc, close: () => void task.destroy().catch(() => {}) };
}

/** A page drawn for the screen: its canvas and text layer, and where a box of it falls on them. */
export interface RenderedPage {
  /** The page as drawn (a canvas, the text layer over it): to be put in the viewer's page element. */
  element: HTMLDivElement;
  /** CSS pixels. */
  width: number;
  height: number;
  /** CSS pixels per PDF point. */
  scale: number;
  /** A box of the page (PDF points from its top-left corner) in CSS pixels from the drawing's top-left corner. */
  rectOf: (bbox: BBox) => { left: number; top: number; width: number; height: number };
}

export interface RenderJob {
  promise: Promise<RenderedPage>;
  cancel: () => void;
}

/** The size of page `pageNumber` in PDF points (rotated as it is shown). */
export async function pageSize(doc: PDFDocumentProxy, pageNumber: number): Promise<{ width: number; height: number }> {
  const page = await doc.getPage(pageNumber);
  const { width, height } = page.getViewport({ scale: 1 });
  return { width, height };
}

/**
 * Draws a page at `scale` CSS pixels per point, sharp on the screen it is on (the canvas has
 * devicePixelRatio times as many pixels), with pdf.js's text layer over it so that its text can
 * be selected, copied and read by a screen reader. Drawn off-screen: the caller swaps it in once
 * done, so that the previous page stays until the new one is ready.
 */
export function renderPage(doc: PDFDocumentProxy, pageNumber: number, scale: number): RenderJob {
  let cancelled = false;
  let cancelTask: () => void = () => {};
  const promise = (async () => {
    const page = await doc.getPage(pageNumber);
    if (cancelled) throw new Error('cancelled');
    const viewport = page.getViewport({ scale });
    const ratio = window.devicePixelRatio || 1;
    const element = document.createElement('div');
    element.className = 'viewer-drawing';
    element.style.width = `${viewport.width}px`;
    element.style.height = `${viewport.height}px`;
    const canvas = document.createElement('canvas');
    canvas.className = 'viewer-canvas';
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.width = `${viewport.width}px`;
    canvas.style.height = `${viewport.height}px`;
    // The page's text is in the text layer (for a screen reader); the picture of it is not content.
    canvas.setAttribute('aria-hidden', 'true');
    const text = document.createElement('div');
    text.className = 'textLayer';
    text.style.setProperty('--total-scale-factor', String(viewport.scale));
    element.append(canvas, text);

    const task = page.render({ canvas, viewport, ...(ratio !== 1 ? { transform: [ratio, 0, 0, ratio, 0, 0] } : {}) });
    const layer = new TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport });
    cancelTask = () => {
      task.cancel();
      layer.cancel();
    };
    await Promise.all([task.promise, layer.render()]);
    if (cancelled) throw new Error('cancelled');
    return { element, width: viewport.width, height: viewport.height, scale: viewport.scale, rectOf: (bbox: BBox) => rectOf(viewport, bbox) };
  })();
  return {
    promise,
    cancel: () => {
      cancelled = true;
      cancelTask();
    },
  };
}

/**
 * `[x0, top, x1, bottom]` (points from the page's top-left corner, as the parser gives them) in
 * the viewport's CSS pixels: through the viewport's own transform, so that a page's rotation or
 * an origin other than (0, 0) is taken into account.
 */
function rectOf(viewport: PageViewport, [x0, top, x1, bottom]: BBox) {
  const [xMin, , , yMax] = viewport.viewBox as [number, number, number, number];
  const [ax, ay] = viewport.convertToViewportPoint(xMin + x0, yMax - top) as [number, number];
  const [bx, by] = viewport.convertToViewportPoint(xMin + x1, yMax - bottom) as [number, number];
  return { left: Math.min(ax, bx), top: Math.min(ay, by), width: Math.abs(bx - ax), height: Math.abs(by - ay) };
}
