/**
 * Fraud findings on tampered statements: each tampering built here from a generated statement
 * (an amount edited in an incremental update, a number drawn over a white box, a file re-saved
 * by another producer, a modification date, an odd font in the amount column, an edited
 * balance, edited dates) is caught and explained, with its evidence; clean statements of every
 * layout raise nothing, and odd or hostile files never make it throw.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { FraudFinding } from '../../src/domain/insights.ts';
import type { ParsedStatement } from '../../src/domain/statement.ts';
import { transactionHash } from '../../src/enrichment/transaction-hash.ts';
import { findStatementFraud } from '../../src/fraud/find-statement-fraud.ts';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { LAYOUTS } from '../../src/samples/statement-layouts.ts';
import { parseStatement } from '../../src/statements/parse/parse-statement.ts';
import { banks, statement } from '../statements/statement-fixtures.ts';
import { appendRevision, findCell, pageContent, redistil, replaceCell, resave, streamBody, withInfo, withText } from './tamper.ts';

const ID = 'statement-1';
const hdfc = LAYOUTS.hdfc!;

function fraud(pdf: Buffer, parsed: ParsedStatement, knownProducers: string[] = [], password?: string): FraudFinding[] {
  return findStatementFraud(pdf, parsed, { statementId: ID, knownProducers, password });
}

function only(findings: FraudFinding[], type: string): FraudFinding[] {
  return findings.filter((f) => f.fraudType === type);
}

describe('findStatementFraud', () => {
  let clean: Buffer;
  let parsed: ParsedStatement;

  before(async () => {
    clean = await renderStatementPdf(statement('hdfc', { count: 40 }));
    parsed = await parseStatement(clean, banks);
  });

  test('clean generated statements raise nothing (every layout and producer: find-statement-fraud-clean.slow.test.ts)', async () => {
    assert.deepEqual(fraud(clean, parsed), []);
    assert.deepEqual(fraud(clean, parsed, ['Passbook sample generator']), []);
    // Encrypted, opened with its password.
    const encrypted = await renderStatementPdf(statement('axis', { count: 30 }), { password: 'secret' });
    assert.deepEqual(fraud(encrypted, await parseStatement(encrypted, banks, { password: 'secret' }), ['Passbook sample generator'], 'secret'), []);
  });

  test('a revision that only adds a digital signature is not an edit', () => {
    const signature = '<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 100 200 300] /Contents <00> >>';
    const size = Number(/\/Size (\d+)/.exec(clean.toString('latin1'))![1]);
    assert.deepEqual(fraud(appendRevision(clean, new Map([[size, signature]])), parsed), []);
    const [update] = fraud(appendRevision(appendRevision(clean, new Map([[size, signature]])), new Map([[size + 1, '<< /Edited true >>']])), parsed);
    assert.match(update?.reason ?? '', /^The file has 3 revisions: after it was first written it was saved again 1 time by incremental update \(1 more only adds a digital signature\).* The later saves rewrote 1 other object\.$/);
  });

  test('an amount edited in an incremental update: the revision and the balance break', async () => {
    const row = parsed.transactions[1]!;
    const content = pageContent(clean, row.page);
    const cell = findCell(content, hdfc.amount(row.amountPaise), row.bbox);
    const edited = hdfc.amount(row.amountPaise + 9_000_00);
    const tampered = appendRevision(clean, new Map([[content.num, streamBody(replaceCell(content, cell, withText(cell, edited)))]]));
    const reparsed = await parseStatement(tampered, banks);
    assert.equal(reparsed.transactions[1]!.amountPaise, row.amountPaise + 9_000_00, 'the reader shows the last revision');
    const findings = fraud(tampered, reparsed);

    const [update] = only(findings, 'incremental_update');
    assert.ok(update);
    assert.equal(update.fraudCategory, 'metadata');
    assert.match(update.reason, /^The file has 2 revisions: after it was first written it was saved again 1 time by incremental update, /);
    assert.ok(update.reason.endsWith(`The later saves rewrote the content of page 1 (object ${content.num}).`), update.reason);
    assert.deepEqual(update.evidence, [{ kind: 'metadata', statementId: ID, field: 'revisions', value: '2' }]);

    const [broken] = only(findings, 'inconsistent_transaction');
    assert.ok(broken);
    assert.equal(broken.fraudCategory, 'accounting');
    assert.equal(broken.transactionHash, transactionHash(ID, 2));
    assert.match(broken.reason, /from row 1 \(01\/05\/2026, page 1\) to row 2 \(01\/05\/2026, page 1\)/);
    assert.match(broken.reason, new RegExp(`debit of ₹${edited.replace('.', '\\.')}`));
    assert.deepEqual(
      broken.evidence.map((e) => (e.kind === 'box' ? [e.page, e.bbox, e.transactionHash] : null)),
      [
        [1, parsed.transactions[0]!.bbox, transactionHash(ID, 1)],
        [1, row.bbox, transactionHash(ID, 2)],
      ],
    );
    assert.equal(findings.length, 2, JSON.stringify(findings.map((f) => f.fraudType)));
  });

  test('a number drawn over a white box, in a file re-saved as one revision', async () => {
    const index = 4;
    const row = parsed.transactions[index]!;
    const content = pageContent(clean, row.page);
    const amount = hdfc.balance(row.balancePaise!);
    const cell = findCell(content, amount, row.bbox);
    // The cover: the cell's text box and a point around it, in PDF coordinates.
    const [x, y, w, h] = [cell.x - 1, cell.y - 3, 50, 10];
    const forged = hdfc.balance(row.balancePaise! + 1_00_000_00);
    const overlay = `q\n1 0 0 -1 0 ${content.height} cm\n1 1 1 rg\n${x} ${y} ${w} ${h} re\nf\nBT\n/F1 7.5 Tf\n1 0 0 1 ${cell.x - 5} ${cell.y} Tm\n(${forged}) Tj\nET\nQ\n`;
    const tampered = resave(appendRevision(clean, new Map([[content.num, streamBody(content.text + overlay)]])));
    const findings = fraud(tampered, parsed);

    assert.deepEqual(only(findings, 'incremental_update'), [], 're-saved: one revision');
    const [over] = only(findings, 'overwritten_text');
    assert.ok(over, JSON.stringify(findings));
    assert.equal(over.fraudCategory, 'metadata');
    assert.equal(over.transactionHash, transactionHash(ID, index + 1));
    const top = Math.round((content.height - y - h) * 100) / 100;
    const bottom = Math.round((content.height - y) * 100) / 100;
    assert.deepEqual(over.evidence[0], { kind: 'box', statementId: ID, page: row.page, bbox: [x, top, x + w, bottom], transactionHash: transactionHash(ID, index + 1) });
    assert.deepEqual(over.evidence[1], { kind: 'box', statementId: ID, page: row.page, bbox: row.bbox, transactionHash: transactionHash(ID, index + 1) });
    assert.match(over.reason, new RegExp(`page ${row.page} a white box`));
    assert.ok(over.reason.includes(`"${amount}", printed before it, and "${forged}" is drawn on top of it, in row 5`), over.reason);
  });

  test('a file re-saved by an editing tool, or by a producer the bank does not use', async () => {
    const ilovepdf = resave(withInfo(clean, { Producer: 'iLovePDF' }));
    const findings = fraud(ilovepdf, parsed);
    assert.deepEqual(
      findings.map((f) => [f.fraudType, f.fraudCategory, f.transactionHash]),
      [['author_fraud', 'metadata', null]],
    );
    assert.match(findings[0]!.reason, /Producer is "iLovePDF": iLovePDF is a PDF editing tool, so the file was opened and saved by it after the bank made it\./);
    assert.deepEqual(findings[0]!.evidence, [{ kind: 'metadata', statementId: ID, field: 'Producer', value: 'iLovePDF' }]);

    // Ghostscript is no editing tool, but not what this bank's statements are made with.
    const distilled = redistil(clean);
    assert.deepEqual(fraud(distilled, parsed), []);
    const [author] = fraud(distilled, parsed, ['Passbook sample generator']);
    assert.equal(author?.fraudType, 'author_fraud');
    assert.match(author.reason, /Producer is "GPL Ghostscript[^"]*", which is not software this bank's statements are made with \(Passbook sample generator\)/);
    assert.equal(author.evidence[0]?.kind === 'metadata' && author.evidence[0].field, 'Producer');

    // Encrypted after the edit: the Producer is read with the password.
    const encrypted = resave(withInfo(clean, { Producer: 'Sejda Desktop 7.6' }), ['--encrypt', 'user', 'owner', '256', '--']);
    const [sejda] = fraud(encrypted, parsed, [], 'user');
    assert.match(sejda?.reason ?? '', /"Sejda Desktop 7\.6": Sejda is a PDF editing tool/);
    // And with the information dictionary inside an (encrypted) object stream.
    const packed = resave(withInfo(clean, { Producer: 'Sejda Desktop 7.6' }), ['--object-streams=generate', '--encrypt', 'user', 'owner', '256', '--']);
    assert.match(fraud(packed, parsed, [], 'user')[0]?.reason ?? '', /"Sejda Desktop 7\.6": Sejda is a PDF editing tool/);
  });

  test('an editing tool and a later modification named only in the XMP metadata', () => {
    const xmp =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
      '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="2026-01-01T00:00:00Z">' +
      '<xmp:CreatorTool>PDFescape Online</xmp:CreatorTool><xmp:ModifyDate>2026-01-03T09:15:00+05:30</xmp:ModifyDate>' +
      '</rdf:Description></rdf:RDF></x:xmpmeta>';
    const text = clean.toString('latin1');
    const root = /\/Root (\d+) 0 R/.exec(text)![1];
    const pages = /\/Type \/Catalog\s*\/Pages (\d+ 0 R)/.exec(text)![1];
    const size = Number(/\/Size (\d+)/.exec(text)![1]);
    const catalog = `<< /Type /Catalog /Pages ${pages} /Metadata ${size} 0 R >>`;
    const tampered = resave(
      appendRevision(
        clean,
        new Map([
          [Number(root), catalog],
          [size, streamBody(xmp)],
        ]),
      ),
    );
    const findings = fraud(tampered, parsed);
    assert.deepEqual(
      findings.map((f) => [f.fraudType, f.evidence[0]?.kind === 'metadata' && f.evidence[0].field]),
      [
        ['author_fraud', 'XMP xmp:CreatorTool'],
        ['date_fraud', 'XMP xmp:ModifyDate'],
      ],
    );
    assert.match(findings[0]!.reason, /XMP xmp:CreatorTool is "PDFescape Online": PDFescape is a PDF editing tool/);
    assert.match(findings[1]!.reason, /modified on 2026-01-03 03:45 UTC, 52 hours after it was created \(2026-01-01 00:00 UTC\)/);
  });

  test('a modification date after the creation date', () => {
    const tampered = resave(withInfo(clean, { ModDate: "D:20260305103000+05'30'" }));
    const findings = fraud(tampered, parsed);
    assert.deepEqual(
      findings.map((f) => f.fraudType),
      ['date_fraud'],
    );
    assert.equal(findings[0]!.reason, 'The PDF was modified on 2026-03-05 05:00 UTC, 63 days after it was created (2026-01-01 00:00 UTC): a statement is not changed after the bank issues it.');
    assert.deepEqual(findings[0]!.evidence, [
      { kind: 'metadata', statementId: ID, field: 'ModDate', value: "D:20260305103000+05'30'" },
      { kind: 'metadata', statementId: ID, field: 'CreationDate', value: 'D:20260101000000Z' },
    ]);
    // The same save: no finding.
    assert.deepEqual(fraud(resave(withInfo(clean, { ModDate: 'D:20260101000030Z' })), parsed), []);
  });

  test('an amount in another font and size than its column', async () => {
    const index = 6;
    const row = parsed.transactions[index]!;
    const content = pageContent(clean, row.page);
    const text = hdfc.amount(row.amountPaise);
    const cell = findCell(content, text, row.bbox);
    const tampered = resave(appendRevision(clean, new Map([[content.num, streamBody(replaceCell(content, cell, cell.block.replace(/\/F1 7\.5 Tf/, '/F2 8 Tf')))]])));
    const reparsed = await parseStatement(tampered, banks);
    const findings = fraud(tampered, reparsed);
    assert.deepEqual(
      findings.map((f) => f.fraudType),
      ['font_mismatch'],
    );
    // The larger text makes the row a little taller.
    const box = reparsed.transactions[index]!.bbox;
    const [odd] = findings;
    assert.equal(odd!.transactionHash, transactionHash(ID, index + 1));
    assert.match(odd!.reason, new RegExp(`In row 7 \\(\\d\\d/\\d\\d/2026, page 1\\) "${text.replace('.', '\\.')}" is set in Helvetica-Bold 8\\.0 pt, but \\d+ of the \\d+ amounts in its column are set in Helvetica 7\\.5 pt\\.`));
    assert.deepEqual(odd!.evidence[0], { kind: 'box', statementId: ID, page: row.page, bbox: box, transactionHash: transactionHash(ID, index + 1) });
    const cellBox = odd!.evidence[1]!;
    assert.ok(cellBox.kind === 'box' && cellBox.bbox[0] >= box[0] && cellBox.bbox[2] <= box[2] + 1 && cellBox.bbox[1] >= box[1] - 1 && cellBox.bbox[3] <= box[3] + 1, JSON.stringify(cellBox));
  });

  test('an edited balance breaks the chain into it and out of it, naming both rows each time', async () => {
    const index = 9;
    const row = parsed.transactions[index]!;
    const content = pageContent(clean, row.page);
    const cell = findCell(content, hdfc.balance(row.balancePaise!), row.bbox);
    const tampered = resave(appendRevision(clean, new Map([[content.num, streamBody(replaceCell(content, cell, withText(cell, hdfc.balance(row.balancePaise! + 500_00))))]])));
    const reparsed = await parseStatement(tampered, banks);
    assert.equal(reparsed.reconciliation.firstBreak?.index, index);
    const breaks = only(fraud(tampered, reparsed), 'inconsistent_transaction');
    assert.deepEqual(
      breaks.map((f) => f.transactionHash),
      [transactionHash(ID, index + 1), transactionHash(ID, index + 2)],
    );
    assert.match(breaks[0]!.reason, /from row 9 \(.*\) to row 10 \(.*\)/);
    assert.match(breaks[1]!.reason, /from row 10 \(.*\) to row 11 \(.*\)/);
    assert.ok(breaks[0]!.reason.includes(`but ₹${hdfc.balance(row.balancePaise! + 500_00)} is printed`), breaks[0]!.reason);
    assert.deepEqual(
      breaks[1]!.evidence.map((e) => e.kind === 'box' && e.transactionHash),
      [transactionHash(ID, index + 1), transactionHash(ID, index + 2)],
    );
  });

  test('a printed total that the rows do not add up to', async () => {
    // Axis prints TRANSACTION TOTAL under its table; the rows are left alone, the total edited.
    const axis = LAYOUTS.axis!;
    const pdf = await renderStatementPdf(statement('axis', { count: 40 }));
    const honest = await parseStatement(pdf, banks);
    const totals = honest.printedTotals!;
    assert.ok(totals, 'the total line is read');
    assert.deepEqual(only(fraud(pdf, honest), 'totals_mismatch'), [], 'the honest total adds up');
    const content = pageContent(pdf, totals.page);
    const cell = findCell(content, axis.amount(totals.creditPaise), totals.bbox);
    const tampered = resave(appendRevision(pdf, new Map([[content.num, streamBody(replaceCell(content, cell, withText(cell, axis.amount(totals.creditPaise + 10_000_00))))]])));
    const reparsed = await parseStatement(tampered, banks);
    assert.equal(reparsed.printedTotals?.creditPaise, totals.creditPaise + 10_000_00);
    const [finding, ...more] = only(fraud(tampered, reparsed), 'totals_mismatch');
    assert.equal(more.length, 0);
    assert.equal(finding!.fraudCategory, 'accounting');
    assert.ok(finding!.reason.includes(`credits ₹${axis.amount(totals.creditPaise + 10_000_00)}`), finding!.reason);
    assert.ok(finding!.reason.includes(`add up to ₹${axis.amount(totals.creditPaise)}`), finding!.reason);
    assert.ok(!finding!.reason.includes('debits'), 'the debits add up: not named');
    assert.deepEqual(finding!.evidence, [{ kind: 'box', statementId: ID, page: totals.page, bbox: totals.bbox, transactionHash: null }]);
  });

  test('dates outside the period and out of order', async () => {
    const last = parsed.transactions.length - 1;
    const late = parsed.transactions[last]!;
    const middle = parsed.transactions[12]!;
    let pdf = clean;
    for (const [row, date] of [
      [late, '2026-11-15'],
      [middle, '2026-05-01'],
    ] as const) {
      const content = pageContent(pdf, row.page);
      const cell = findCell(content, hdfc.date(row.date), row.bbox);
      pdf = appendRevision(pdf, new Map([[content.num, streamBody(replaceCell(content, cell, withText(cell, hdfc.date(date as CalendarDate))))]]));
    }
    const tampered = resave(pdf);
    const findings = fraud(tampered, await parseStatement(tampered, banks));
    assert.deepEqual(
      findings.map((f) => [f.fraudType, f.fraudCategory, f.transactionHash]),
      [
        ['transaction_outside_period', 'date', transactionHash(ID, last + 1)],
        ['transaction_out_of_order', 'date', transactionHash(ID, 13)],
      ],
    );
    assert.match(findings[0]!.reason, new RegExp(`^Row ${last + 1} \\(15/11/2026, page \\d\\) is dated 15/11/2026, after the statement's period \\(01/05/2026 to 31/10/2026\\)\\.$`));
    assert.match(findings[1]!.reason, /^Row 13 \(01\/05\/2026, page 1\) is dated 01\/05\/2026, before row 12 \(\d\d\/\d\d\/2026, page 1\) printed above it, in a table otherwise in date order\.$/);
    assert.deepEqual(
      findings[1]!.evidence.map((e) => e.kind === 'box' && [e.page, e.bbox]),
      [
        [parsed.transactions[11]!.page, parsed.transactions[11]!.bbox],
        [middle.page, middle.bbox],
      ],
    );
  });

  test('a day that does not exist (the parser never reads one: checked on a statement built here)', () => {
    const rows = parsed.transactions.map((t, i) => (i === 3 ? { ...t, date: '2026-02-31' as CalendarDate } : t));
    const findings = findStatementFraud(clean, { ...parsed, transactions: rows }, { statementId: ID, knownProducers: [] });
    const [impossible] = only(findings, 'impossible_date');
    assert.equal(impossible?.reason, 'Row 4 (page 1) is dated 2026-02-31, a day that does not exist.');
    assert.equal(impossible.transactionHash, transactionHash(ID, 4));
  });

  test('odd and hostile files never make it throw', () => {
    const odd = [
      Buffer.alloc(0),
      Buffer.from('not a pdf at all'),
      clean.subarray(0, clean.length / 2),
      Buffer.from(clean.toString('latin1').replace(/startxref\s+\d+/, 'startxref\n999999999'), 'latin1'),
      Buffer.from('%PDF-1.4\n1 0 obj << /Producer (iLovePDF) >> endobj\ntrailer << /Info 1 0 R >>\n%%EOF\n'),
    ];
    for (const pdf of odd) assert.doesNotThrow(() => fraud(pdf, parsed));
    // A broken file still gives what its bytes tell: the producer, scanned for.
    assert.deepEqual(
      fraud(odd[4]!, parsed).map((f) => f.fraudType),
      ['author_fraud'],
    );
    // The wrong password: the metadata and page checks cannot be made; the rows still are.
    assert.doesNotThrow(() => fraud(clean, parsed, [], 'wrong'));
  });
});
