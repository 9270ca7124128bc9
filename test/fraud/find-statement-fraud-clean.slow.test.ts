/** Clean generated statements raise no fraud finding: every sample layout, and the producer matrix's quick producers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findStatementFraud } from '../../src/fraud/find-statement-fraud.ts';
import { PRODUCERS } from '../../src/samples/producers/producer-matrix.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { LAYOUTS } from '../../src/samples/statement-layouts.ts';
import { parseStatement } from '../../src/statements/parse/parse-statement.ts';
import { banks, statement } from '../statements/statement-fixtures.ts';

const options = { statementId: 'statement-1', knownProducers: [] };

test('clean generated statements of every layout raise nothing', async () => {
  for (const layout of Object.keys(LAYOUTS)) {
    const pdf = await renderStatementPdf(statement(layout, { count: 30, seed: 3 }));
    assert.deepEqual(findStatementFraud(pdf, await parseStatement(pdf, banks), options), [], layout);
  }
});

// The slow producers (Chromium, LibreOffice, matplotlib, reportlab) were checked by hand: nothing either (docs/insights.md, "Fraud findings").
test("the producer matrix's quick producers (pdfkit, Ghostscript, qpdf's object streams, linearisation and encryption) raise nothing", async () => {
  const wanted = ['pdfkit', 'ghostscript', 'qpdf-object-streams', 'qpdf-linearized', 'qpdf-aes-256'];
  const s = statement('kotak', { count: 45, seed: 5 });
  for (const producer of PRODUCERS.filter((p) => wanted.includes(p.name))) {
    const [pdf] = await producer.pdfs([s]);
    const parsed = await parseStatement(pdf!, banks, { password: producer.password });
    assert.deepEqual(findStatementFraud(pdf!, parsed, { ...options, password: producer.password }), [], producer.name);
  }
});
