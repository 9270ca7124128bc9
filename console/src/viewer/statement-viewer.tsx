/**
 * The statement viewer: a modal dialog that shows the PDF page a transaction (or a fraud
 * finding's evidence) was read from, drawn by pdf.js, with the row's box outlined and labelled,
 * and the previous and next item one key away (J / K, the arrow keys, or the buttons). Escape
 * closes it. pdf.js itself is loaded the first time a viewer opens (pdf-documents.ts).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../api.ts';
import { loadEngine, statementDocument } from './pdf-documents.ts';
import type { PDFDocumentProxy, RenderedPage } from './pdf-engine.ts';
import type { BBox } from './transactions-data.ts';

export interface ViewerTarget {
  statementId: string | null;
  page: number | null;
  bbox: BBox | null;
  /** Written on the outlined box, e.g. "Row 12". */
  boxLabel: string;
}

interface ViewerProps {
  sessionId: string;
  /** "Transaction 12 of 340": the dialog's name. */
  heading: string;
  /** What a screen reader is told on moving to this item. */
  announce: string;
  target: ViewerTarget;
  /** Why there is no page to show when `target` has none (Account Aggregator data). */
  noPage: string;
  details: ComponentChildren;
  statementName: (statementId: string) => string | null;
  itemName: string;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  onClose: () => void;
}

type DocState = { key: string; kind: 'loading' } | { key: string; kind: 'ready'; doc: PDFDocumentProxy } | { key: string; kind: 'error'; message: string };

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;
const MIN_ZOOM = ZOOMS[0];
const MAX_ZOOM = ZOOMS[ZOOMS.length - 1]!;
/** The page area's padding, each side (styles.css, .viewer-area). */
const AREA_PADDING = 24;

export function StatementViewer(props: ViewerProps) {
  const { sessionId, target } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const area = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const headingId = useId();
  const [doc, setDoc] = useState<DocState | null>(null);
  const [drawing, setDrawing] = useState<{ key: string; page: RenderedPage } | null>(null);
  const [drawError, setDrawError] = useState<string | null>(null);
  const [areaWidth, setAreaWidth] = useState(0);
  const [zoom, setZoom] = useState<number>(1);
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(props);
  latest.current = props;

  const docKey = target.statementId ? `${sessionId}/${target.statementId}` : null;
  const pageKey = docKey && target.page ? `${docKey}#${target.page}` : null;

  // Open as a modal (the page behind is inert); Escape asks the page to close it; focus goes back.
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!el.open) el.showModal();
    el.focus();
    const onCancel = (event: Event) => {
      event.preventDefault();
      latest.current.onClose();
    };
    el.addEventListener('cancel', onCancel);
    return () => {
      el.removeEventListener('cancel', onCancel);
      if (el.open) el.close();
      if (opener?.isConnected) opener.focus({ preventScroll: true });
    };
  }, []);

  // The page area's width: the page is drawn to fit it (times the zoom).
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    const measure = () => setAreaWidth(Math.max(200, Math.round((el.clientWidth - 2 * AREA_PADDING) / 8) * 8));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // The statement: fetched and parsed once (pdf-documents.ts keeps it).
  useEffect(() => {
    if (!docKey || !target.statementId) return;
    let live = true;
    setDoc({ key: docKey, kind: 'loading' });
    statementDocument(sessionId, target.statementId).then(
      (d) => live && setDoc({ key: docKey, kind: 'ready', doc: d }),
      (e: unknown) => live && setDoc({ key: docKey, kind: 'error', message: messageOf(e) }),
    );
    return () => {
      live = false;
    };
  }, [docKey, attempt]);

  // The page, drawn off-screen and swapped in when ready: the last page stays meanwhile.
  const ready = doc?.kind === 'ready' && doc.key === docKey ? doc.doc : null;
  useEffect(() => {
    if (!ready || !pageKey || !target.page || areaWidth === 0) return;
    let cancel = () => {};
    let live = true;
    setDrawError(null);
    const pageNumber = Math.min(Math.max(1, target.page), ready.numPages);
    void (async () => {
      try {
        const engine = await loadEngine();
        const size = await engine.pageSize(ready, pageNumber);
        if (!live) return;
        const job = engine.renderPage(ready, pageNumber, (areaWidth / size.width) * zoom);
        cancel = job.cancel;
        const page = await job.promise;
        if (!live) return;
        host.current?.replaceChildren(page.element);
        setDrawing({ key: pageKey, page });
      } catch (e) {
        if (live) setDrawError(messageOf(e));
      }
    })();
    return () => {
      live = false;
      cancel();
    };
  }, [ready, pageKey, areaWidth, zoom]);

  const shown = drawing && drawing.key === pageKey ? drawing.page : null;
  const rect = shown && target.bbox ? shown.rectOf(target.bbox) : null;

  // Keep the outlined box in view: centred when it is out of view, left alone when it shows.
  useLayoutEffect(() => {
    const el = area.current;
    if (!el || !rect) return;
    const margin = 48;
    const top = rect.top + AREA_PADDING;
    const bottom = top + rect.height;
    if (top - margin < el.scrollTop || bottom + margin > el.scrollTop + el.clientHeight) {
      el.scrollTop = Math.max(0, top - (el.clientHeight - rect.height) / 2);
    }
    const left = rect.left + AREA_PADDING;
    if (left < el.scrollLeft || left + Math.min(rect.width, el.clientWidth) > el.scrollLeft + el.clientWidth) el.scrollLeft = Math.max(0, left - margin);
  }, [rect?.top, rect?.left, rect?.width, rect?.height, shown]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement;
    if (target.closest('input, select, textarea')) return;
    const inArea = area.current?.contains(target) ?? false;
    const key = event.key;
    const p = latest.current;
    if (key === 'j' || key === 'ArrowRight' || (key === 'ArrowDown' && !inArea)) {
      event.preventDefault();
      if (p.hasNext) p.onNext();
    } else if (key === 'k' || key === 'ArrowLeft' || (key === 'ArrowUp' && !inArea)) {
      event.preventDefault();
      if (p.hasPrevious) p.onPrevious();
    } else if (key === '+' || key === '=') {
      event.preventDefault();
      setZoom((z) => ZOOMS.find((x) => x > z) ?? z);
    } else if (key === '-') {
      event.preventDefault();
      setZoom((z) => [...ZOOMS].reverse().find((x) => x < z) ?? z);
    } else if (key === '0') {
      event.preventDefault();
      setZoom(1);
    }
  };

  const pages = ready?.numPages ?? null;
  const fileName = target.statementId ? props.statementName(target.statementId) : null;
  const loading = !!pageKey && !shown && !drawError && doc?.kind !== 'error';

  return (
    <dialog ref={dialog} class="viewer" aria-labelledby={headingId} tabIndex={-1} onKeyDown={onKeyDown}>
      <div class="viewer-bar">
        <div class="viewer-title">
          <h2 id={headingId}>{props.heading}</h2>
          <p class="viewer-sub">
            {fileName ?? (target.statementId ? 'Statement' : 'No statement')}
            {target.page ? ` · page ${target.page}${pages ? ` of ${pages}` : ''}` : ''}
          </p>
        </div>
        <div class="viewer-nav" role="group" aria-label={`Move between ${props.itemName}s`}>
          <button type="button" class="button button-secondary" aria-disabled={!props.hasPrevious} aria-keyshortcuts="K ArrowLeft ArrowUp" onClick={() => props.hasPrevious && props.onPrevious()}>
            <span aria-hidden="true">←</span> Previous
          </button>
          <button type="button" class="button button-secondary" aria-disabled={!props.hasNext} aria-keyshortcuts="J ArrowRight ArrowDown" onClick={() => props.hasNext && props.onNext()}>
            Next <span aria-hidden="true">→</span>
          </button>
        </div>
        <div class="viewer-zoom" role="group" aria-label="Zoom">
          <button type="button" class="button button-ghost viewer-icon-button" aria-label="Zoom out" aria-keyshortcuts="-" aria-disabled={zoom <= MIN_ZOOM} onClick={() => setZoom((z) => [...ZOOMS].reverse().find((x) => x < z) ?? z)}>
            −
          </button>
          <span class="viewer-zoom-value" aria-live="polite" title="Zoom, relative to the page's width fitting the viewer">
            {Math.round(zoom * 100)}%
          </span>
          <button type="button" class="button button-ghost viewer-icon-button" aria-label="Zoom in" aria-keyshortcuts="+" aria-disabled={zoom >= MAX_ZOOM} onClick={() => setZoom((z) => ZOOMS.find((x) => x > z) ?? z)}>
            +
          </button>
          <button type="button" class="button button-ghost" aria-keyshortcuts="0" onClick={() => setZoom(1)}>
            Fit width
          </button>
        </div>
        <button type="button" class="button button-secondary viewer-close" aria-keyshortcuts="Escape" onClick={() => props.onClose()}>
          <span aria-hidden="true">✕</span> Close
        </button>
      </div>
      <div class="viewer-body">
        <div ref={area} class="viewer-area" tabIndex={0} role="region" aria-label={target.page ? `Statement page ${target.page}${pages ? ` of ${pages}` : ''}` : 'Statement page'} aria-busy={loading}>
          {!pageKey ? (
            <p class="viewer-message">{props.noPage}</p>
          ) : doc?.kind === 'error' && doc.key === docKey ? (
            <div class="viewer-message notice notice-error" role="alert">
              <div>
                <p class="notice-title">The statement could not be shown</p>
                <p>{doc.message}</p>
              </div>
              <button type="button" class="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
                Try again
              </button>
            </div>
          ) : drawError ? (
            <div class="viewer-message notice notice-error" role="alert">
              <div>
                <p class="notice-title">The page could not be drawn</p>
                <p>{drawError}</p>
              </div>
            </div>
          ) : null}
          <div class={`viewer-sheet${shown ? '' : ' is-pending'}`} hidden={!pageKey || !drawing} style={drawing ? { width: `${drawing.page.width}px`, height: `${drawing.page.height}px` } : undefined}>
            <div ref={host} class="viewer-host" />
            {rect && (
              <div
                ref={box}
                class="viewer-box"
                data-testid="viewer-box"
                data-scale={String(shown!.scale)}
                style={{ left: `${rect.left}px`, top: `${rect.top}px`, width: `${rect.width}px`, height: `${rect.height}px` }}
              >
                <span class={`viewer-box-label${rect.top < 26 ? ' is-below' : ''}`}>{target.boxLabel}</span>
              </div>
            )}
          </div>
          {loading && (
            <div class="viewer-loading">
              <span class="spinner" aria-hidden="true" />
              <span>{doc?.kind === 'ready' ? `Drawing page ${target.page}…` : 'Loading the statement…'}</span>
            </div>
          )}
        </div>
        <aside class="viewer-details" aria-label="Details">
          {props.details}
          <p class="viewer-keys">
            <kbd>J</kbd> or <kbd>→</kbd> next, <kbd>K</kbd> or <kbd>←</kbd> previous, <kbd>+</kbd> <kbd>−</kbd> zoom, <kbd>Esc</kbd> close
          </p>
        </aside>
      </div>
      <p class="sr-only" role="status">
        {props.announce}
      </p>
    </dialog>
  );
}
