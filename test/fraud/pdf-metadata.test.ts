/** Dates and revisions as a PDF records them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countRevisions, pdfDateMillis, xmpDateMillis } from '../../src/fraud/pdf-metadata.ts';

test('PDF dates: the time and zone optional, the zone applied', () => {
  assert.equal(pdfDateMillis('D:20260101000000Z'), Date.UTC(2026, 0, 1));
  assert.equal(pdfDateMillis("D:20260305103000+05'30'"), Date.UTC(2026, 2, 5, 5, 0));
  assert.equal(pdfDateMillis("D:20260305103000-02'00"), Date.UTC(2026, 2, 5, 12, 30));
  assert.equal(pdfDateMillis('D:2026'), Date.UTC(2026, 0, 1));
  assert.equal(pdfDateMillis('20260102'), Date.UTC(2026, 0, 2));
  assert.equal(pdfDateMillis('D:20261301000000Z'), null);
  assert.equal(pdfDateMillis('yesterday'), null);
  assert.equal(xmpDateMillis('2026-01-03T09:15:00+05:30'), Date.UTC(2026, 0, 3, 3, 45));
  assert.equal(xmpDateMillis('2026-01-03'), Date.UTC(2026, 0, 3));
  assert.equal(xmpDateMillis('03/01/2026'), null);
});

test('revisions: saves counted by %%EOF and by the /Prev chain; a linearized file is one save', () => {
  const once = Buffer.from('%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 >>\nstartxref\n9\n%%EOF\n');
  assert.equal(countRevisions(once).count, 1);
  const twice = Buffer.concat([once, Buffer.from(`5 0 obj\n<< >>\nendobj\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 6 /Prev 9 >>\nstartxref\n${once.length + 21}\n%%EOF\n`)]);
  assert.deepEqual(countRevisions(twice), { count: 2, rewritten: [5], signingRevisions: 0, linearized: false });
  const linearized = Buffer.from(once.toString('latin1').replace('%PDF-1.4\n', '%PDF-1.4\n1 0 obj << /Linearized 1 >> endobj\n') + '%%EOF\n');
  assert.equal(countRevisions(linearized).count, 1);
  assert.equal(countRevisions(Buffer.alloc(0)).count, 1);
});
