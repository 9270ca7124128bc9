/**
 * The statement PDFs the viewer shows: pdf.js loaded on first use (a chunk of its own, outside
 * the first view's bundle), each statement fetched once from the console API and kept parsed
 * (the last few, per statement), so that moving between rows and pages costs no new download.
 */
import { api, ApiError } from '../api.ts';
import type { PDFDocumentProxy } from './pdf-engine.ts';

export type Engine = typeof import('./pdf-engine.ts');

let engine: Promise<Engine> | null = null;

export function loadEngine(): Promise<Engine> {
  engine ??= import('./pdf-engine.ts').catch((e: unknown) => {
    engine = null;
    throw e instanceof Error && !(e instanceof ApiError) ? new ApiError(0, 'VIEWER_NOT_LOADED', 'The PDF viewer could not be loaded. Check your connection and try again.') : e;
  });
  return engine;
}

/** How many parsed statements are kept. */
const KEEP = 4;
const documents = new Map<string, Promise<{ doc: PDFDocumentProxy; close: () => void }>>();

export function statementDocument(sessionId: string, statementId: string): Promise<PDFDocumentProxy> {
  const key = `${sessionId}/${statementId}`;
  const cached = documents.get(key);
  if (cached) {
    // Most recently used last.
    documents.delete(key);
    documents.set(key, cached);
    return cached.then((d) => d.doc);
  }
  const loading = (async () => {
    const [pdf, bytes] = await Promise.all([loadEngine(), statementBytes(sessionId, statementId)]);
    return pdf.openDocument(bytes);
  })();
  documents.set(key, loading);
  loading.catch(() => {
    if (documents.get(key) === loading) documents.delete(key);
  });
  while (documents.size > KEEP) {
    const oldest = documents.keys().next().value as string;
    const doc = documents.get(oldest)!;
    documents.delete(oldest);
    doc.then((d) => d.close()).catch(() => {});
  }
  return loading.then((d) => d.doc);
}

async function statementBytes(sessionId: string, statementId: string): Promise<Uint8Array> {
  const url = `/console/api/sessions/${encodeURIComponent(sessionId)}/statements/${encodeURIComponent(statementId)}/pdf`;
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/pdf' } });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached. Check your connection and try again.');
  }
  if (res.ok) return new Uint8Array(await res.arrayBuffer());
  let code = `HTTP_${res.status}`;
  let message = `The server answered ${res.status}. Try again in a moment.`;
  try {
    const data = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof data.error?.code === 'string') code = data.error.code;
    if (typeof data.error?.message === 'string') message = data.error.message;
  } catch {
    // Not JSON: the status says it.
  }
  // The sign-in has ended: asking who is signed in (api.ts's helper) sends the user to sign in again.
  if (res.status === 401) await api.me().catch(() => {});
  throw new ApiError(res.status, code, message);
}
