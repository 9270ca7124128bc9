/** Hand-built PDFs for the reader's tests: numbered objects written out with a cross-reference table or stream. */
import { deflateSync } from 'node:zlib';

export type Body = string | { dict: string; data: Buffer | string };

/**
 * A PDF from numbered objects (1 is the catalog); `compressed` puts the non-stream objects in an
 * object stream with a cross-reference stream; `xref: false` leaves out the cross-reference table
 * and `startxref`, so that only a reader that repairs files (pdfjs) opens it.
 */
export function buildPdf(objects: Map<number, Body>, options: { compressed?: boolean; xref?: boolean } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets = new Map<number, number>();
  const inStream = new Map<number, number>();
  const add = (s: Buffer | string) => {
    const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
    parts.push(b);
    length += b.length;
  };
  const writeObject = (num: number, body: Body) => {
    offsets.set(num, length);
    if (typeof body === 'string') {
      add(`${num} 0 obj\n${body}\nendobj\n`);
    } else {
      const data = typeof body.data === 'string' ? Buffer.from(body.data, 'latin1') : body.data;
      add(`${num} 0 obj\n<< ${body.dict} /Length ${data.length} >>\nstream\n`);
      add(data);
      add('\nendstream\nendobj\n');
    }
  };
  const size = Math.max(...objects.keys()) + 3;
  if (options.xref === false) {
    for (const [num, body] of objects) writeObject(num, body);
    add(`trailer\n<< /Size ${size} /Root 1 0 R >>\n%%EOF\n`);
    return Buffer.concat(parts);
  }
  if (!options.compressed) {
    for (const [num, body] of objects) writeObject(num, body);
    const xrefAt = length;
    let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
    for (let n = 1; n < size; n++) {
      const at = offsets.get(n);
      xref += at === undefined ? '0000000000 65535 f \n' : `${String(at).padStart(10, '0')} 00000 n \n`;
    }
    add(`${xref}trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`);
    return Buffer.concat(parts);
  }
  const objStmNum = size - 2;
  const xrefNum = size - 1;
  let header = '';
  let body = '';
  let index = 0;
  for (const [num, b] of objects) {
    if (typeof b === 'string') {
      header += `${num} ${body.length} `;
      body += `${b}\n`;
      inStream.set(num, index++);
    } else {
      writeObject(num, b);
    }
  }
  const objStm = Buffer.from(header + body, 'latin1');
  writeObject(objStmNum, { dict: `/Type /ObjStm /N ${index} /First ${header.length} /Filter /FlateDecode`, data: deflateSync(objStm) });
  const rows: number[] = [];
  for (let n = 0; n < size; n++) {
    if (n === xrefNum) rows.push(1, (length >> 8) & 255, length & 255, 0);
    else if (inStream.has(n)) rows.push(2, 0, objStmNum, inStream.get(n)!);
    else if (offsets.has(n)) rows.push(1, (offsets.get(n)! >> 8) & 255, offsets.get(n)! & 255, 0);
    else rows.push(0, 0, 0, 0);
  }
  // PNG "Up" predictor rows, as producers usually write cross-reference streams.
  const predicted: number[] = [];
  for (let r = 0; r < size; r++) {
    predicted.push(2);
    for (let c = 0; c < 4; c++) predicted.push((rows[r * 4 + c]! - (r > 0 ? rows[(r - 1) * 4 + c]! : 0) + 256) & 255);
  }
  const xrefAt = length;
  writeObject(xrefNum, {
    dict: `/Type /XRef /Size ${size} /W [1 2 1] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >>`,
    data: deflateSync(Buffer.from(predicted)),
  });
  add(`startxref\n${xrefAt}\n%%EOF\n`);
  return Buffer.concat(parts);
}

/**
 * A one-page PDF (A4) whose content stream is `data`, stored with the stream dictionary entries
 * `streamDict` (say `/Filter /FlateDecode`, with `data` already encoded); the page's `resources`
 * name Helvetica (object 5) as /F1 unless given, and `extra` objects are added.
 */
export function onePagePdf(data: Buffer | string, streamDict = '', resources = '/Font << /F1 5 0 R >>', extra: [number, Body][] = []): Buffer {
  return buildPdf(
    new Map<number, Body>([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
      [3, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << ${resources} >> /Contents 4 0 R >>`],
      [4, { dict: streamDict, data }],
      [5, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'],
      ...extra,
    ]),
  );
}
