/**
 * What a PDF says about its own making: the document information dictionary (Producer,
 * Creator, CreationDate, ModDate, decrypted when the file is encrypted), and how many times the
 * file was saved (its revisions: each save by incremental update appends a cross-reference
 * section and an `%%EOF`).
 *
 * The revision count reads the raw bytes, not the object reader, so that a file the object
 * reader declines is still counted.
 */
import type { StreamDecryptor } from '../pdf/decrypt.ts';
import { Dict, PdfFile, Ref, Stream, type PdfValue } from '../pdf/objects.ts';

export interface DocumentInfo {
  producer: string | null;
  creator: string | null;
  /** As printed (`D:20260101000000Z`). */
  creationDate: string | null;
  modDate: string | null;
  /** The same facts from the catalogue's XMP metadata stream, where it has them (editing tools often update only this). */
  xmp?: { producer: string | null; creatorTool: string | null; createDate: string | null; modifyDate: string | null };
}

/** The information dictionary's fields; null where absent or unreadable. */
export function readDocumentInfo(file: PdfFile, decryptor: StreamDecryptor | null): DocumentInfo {
  const info: DocumentInfo = { producer: null, creator: null, creationDate: null, modDate: null };
  const infoRef = file.trailer.get('Info');
  let dict: PdfValue | undefined;
  try {
    dict = file.resolve(infoRef);
  } catch {
    return info;
  }
  if (!(dict instanceof Dict)) return info;
  const field = (key: string): string | null => {
    try {
      const raw = dict.get(key);
      const value = file.resolve(raw);
      if (typeof value !== 'string') return null;
      // Strings are encrypted with the key of the object they are in.
      const owner = raw instanceof Ref ? raw : infoRef instanceof Ref ? infoRef : null;
      const bytes = Buffer.from(value, 'latin1');
      if (!decryptor || !owner) return textString(bytes).trim() || null;
      // A string in an object stream was decrypted with its stream and must not be again; the
      // object reader does not say where an object was, so the reading that is text wins.
      let decrypted: string | null = null;
      try {
        decrypted = textString(Buffer.from(decryptor(bytes, owner.num, owner.gen))).trim();
      } catch {
        // Not encrypted data: the string as it is.
      }
      const plain = textString(bytes).trim();
      const chosen = decrypted !== null && looksLikeText(decrypted) ? decrypted : looksLikeText(plain) ? plain : null;
      return chosen || null;
    } catch {
      return null;
    }
  };
  info.producer = field('Producer');
  info.creator = field('Creator');
  info.creationDate = field('CreationDate');
  info.modDate = field('ModDate');
  return info;
}

/** XMP packets larger than this are not searched (a statement's is a few kilobytes). */
const MAX_XMP_BYTES = 1024 * 1024;

/** The XMP metadata stream's producer, creator tool and dates, or undefined without one. */
export function readXmp(file: PdfFile): DocumentInfo['xmp'] {
  const root = file.get(file.trailer, 'Root');
  const stream = root instanceof Dict ? file.get(root, 'Metadata') : undefined;
  if (!(stream instanceof Stream) || stream.raw.length > MAX_XMP_BYTES) return undefined;
  const xml = Buffer.from(file.decodeStream(stream).subarray(0, MAX_XMP_BYTES)).toString('utf8');
  const value = (tag: string): string | null => {
    const element = new RegExp(`<${tag}>\\s*(?:<rdf:Alt>\\s*<rdf:li[^>]*>)?([^<]{1,512})<`).exec(xml);
    const attribute = new RegExp(`${tag}\\s*=\\s*"([^"]{1,512})"`).exec(xml);
    const v = (element?.[1] ?? attribute?.[1])?.trim();
    return v ? v.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"') : null;
  };
  return { producer: value('pdf:Producer'), creatorTool: value('xmp:CreatorTool'), createDate: value('xmp:CreateDate'), modifyDate: value('xmp:ModifyDate') };
}

/** An XMP date (ISO 8601, the time and zone optional) as epoch milliseconds, or null. */
export function xmpDateMillis(value: string): number | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.exec(value.trim());
  if (!m) return null;
  const zone = m[7] ?? 'Z';
  const iso = `${m[1]}-${m[2] ?? '01'}-${m[3] ?? '01'}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${zone}`;
  const millis = Date.parse(iso);
  return Number.isNaN(millis) ? null : millis;
}

/** Mostly printable characters: a real Producer or date, not decrypted noise. */
function looksLikeText(s: string): boolean {
  if (s === '') return true;
  const printable = s.match(/[\p{L}\p{N}\p{P}\p{S}\p{Zs}]/gu)?.length ?? 0;
  return printable >= 0.9 * [...s].length;
}

/** A PDF text string: UTF-16BE or UTF-8 with a byte order mark, else PDFDocEncoding (read as Latin-1). */
function textString(bytes: Buffer): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  return bytes.toString('latin1').replace(/\0/g, '');
}

/** A PDF date (`D:YYYYMMDDHHmmSSOHH'mm'`, everything after the year optional) as epoch milliseconds, or null. */
export function pdfDateMillis(value: string): number | null {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*([Zz+-])?\s*(\d{2})?'?(\d{2})?'?/.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2] ?? '01', m[3] ?? '01', m[4] ?? '00', m[5] ?? '00', m[6] ?? '00'].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  let millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const sign = m[7];
  if (sign === '+' || sign === '-') {
    const offset = (Number(m[8] ?? 0) * 60 + Number(m[9] ?? 0)) * 60_000;
    millis += sign === '+' ? -offset : offset;
  }
  return millis;
}

export interface Revisions {
  /** Saves the file records: 1 for a file written once. */
  count: number;
  /** Numbers of the objects the saves after the first wrote (as `n g obj` headers in the appended bytes; not those inside object streams). */
  rewritten: number[];
  /** Revisions after the first that add a digital signature or its validation data (signing appends them). */
  signingRevisions: number;
  linearized: boolean;
}

/**
 * How many times the file was saved. Each save ends with `%%EOF`, and each incremental update
 * adds a cross-reference section chained to the one before by /Prev; the larger of the two
 * counts is taken. A linearized file carries one extra section and marker of its own (its
 * first-page cross-reference), which is not a save.
 */
export function countRevisions(bytes: Uint8Array): Revisions {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ends: number[] = [];
  for (let at = text.indexOf('%%EOF'); at >= 0 && ends.length < 10_000; at = text.indexOf('%%EOF', at + 5)) ends.push(at);
  const linearized = text.subarray(0, 1024).toString('latin1').includes('/Linearized');
  const sections = xrefChainLength(text);
  const extra = linearized ? 1 : 0;
  const count = Math.max(1, Math.max(ends.length, sections) - extra);
  // The bytes each later save appended: from the end of the save before it.
  let signingRevisions = 0;
  const rewritten = new Set<number>();
  const saves = ends.slice(extra);
  for (let i = 1; i < saves.length; i++) {
    const appended = text.subarray(saves[i - 1]! + 5, saves[i]).toString('latin1');
    // A signature, or the validation data and time stamps signers add after it (PAdES-LTV).
    if ((appended.includes('/ByteRange') && /\/Type\s*\/Sig\b|\/SubFilter\s*\/(adbe|ETSI)/.test(appended)) || /\/DSS\b|\/Type\s*\/DocTimeStamp\b/.test(appended)) {
      signingRevisions++;
      continue;
    }
    for (const m of appended.matchAll(/(?:^|[\r\n])(\d{1,7})\s+\d{1,5}\s+obj\b/g)) if (rewritten.size < 10_000) rewritten.add(Number(m[1]));
  }
  return { count, rewritten: [...rewritten].sort((a, b) => a - b), signingRevisions: Math.min(signingRevisions, count - 1), linearized };
}

/** How many cross-reference sections the file's last `startxref` chains through /Prev (at most 1,000). */
function xrefChainLength(text: Buffer): number {
  const tail = text.subarray(Math.max(0, text.length - 1024)).toString('latin1');
  const at = tail.lastIndexOf('startxref');
  const m = at >= 0 ? /^startxref\s+(\d+)/.exec(tail.slice(at)) : null;
  if (!m) return 0;
  let offset: number | null = Number(m[1]);
  const seen = new Set<number>();
  while (offset !== null && offset > 0 && offset < text.length && !seen.has(offset) && seen.size < 1000) {
    seen.add(offset);
    // The section's trailer (a table's) or dictionary (a stream's), where /Prev is.
    const window = text.subarray(offset, Math.min(text.length, offset + 64 * 1024)).toString('latin1');
    let dict: string;
    if (window.startsWith('xref')) {
      const trailer = window.indexOf('trailer');
      if (trailer < 0) break;
      const end = window.indexOf('startxref', trailer);
      dict = window.slice(trailer, end < 0 ? undefined : end);
    } else {
      const end = window.indexOf('stream');
      dict = window.slice(0, end < 0 ? 4096 : end);
    }
    const prev = /\/Prev\s+(\d+)/.exec(dict);
    offset = prev ? Number(prev[1]) : null;
  }
  return seen.size;
}

/**
 * What the objects a reader of a statement cares about are, by object number: each page's
 * dictionary and content streams, and the information dictionary. For saying what an
 * incremental update rewrote.
 */
export function objectRoles(file: PdfFile): Map<number, string> {
  const roles = new Map<number, string>();
  const info = file.trailer.get('Info');
  if (info instanceof Ref) roles.set(info.num, 'the document information dictionary');
  const root = file.get(file.trailer, 'Root');
  const top = root instanceof Dict ? root.get('Pages') : undefined;
  let page = 0;
  const seen = new Set<number>();
  const walk = (ref: PdfValue | undefined, depth: number): void => {
    if (depth > 32 || page >= 10_000) return;
    if (ref instanceof Ref) {
      if (seen.has(ref.num)) return;
      seen.add(ref.num);
    }
    const node = file.resolve(ref);
    if (!(node instanceof Dict)) return;
    const kids = file.get(node, 'Kids');
    if (Array.isArray(kids)) {
      for (const kid of kids) walk(kid, depth + 1);
      return;
    }
    page++;
    if (ref instanceof Ref) roles.set(ref.num, `the dictionary of page ${page}`);
    const contents = node.get('Contents');
    const parts = contents instanceof Ref ? [contents, ...asArray(file.resolve(contents))] : asArray(contents);
    for (const part of parts) if (part instanceof Ref && !roles.has(part.num)) roles.set(part.num, `the content of page ${page}`);
  };
  try {
    walk(top, 0);
  } catch {
    // Roles found so far are kept.
  }
  return roles;
}

function asArray(v: PdfValue | undefined): PdfValue[] {
  return Array.isArray(v) ? v : [];
}
