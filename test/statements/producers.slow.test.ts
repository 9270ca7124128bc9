/**
 * The producer matrix (issue 10): the same seeded statements rendered by every PDF producer the
 * generator has (src/samples/producers/), and the parser must give exactly the generated rows
 * for each, with the balances, the period and the bank. Each file's reader (lean or pdfjs) is
 * printed as a diagnostic. Producers whose program is not installed are skipped, naming the
 * Debian package (.ci/run installs them all).
 *
 * A case the parser cannot read exactly yet may be listed in KNOWN_FAILURES: it then runs as a
 * `todo` naming the failure. To look at one of the files:
 *   node --import tsx bench/producer-matrix.ts --layout sbi --producers libreoffice --out /tmp/producer-matrix
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRODUCERS, readerOf, type Producer } from '../../src/samples/producers/producer-matrix.ts';
import { ProducerMissing } from '../../src/samples/producers/run-tool.ts';
import { parseStatement } from '../../src/statements/parse/parse-statement.ts';
import { assertRows, banks, FROM, statement, TO } from './statement-fixtures.ts';

const LAYOUT_IDS = ['hdfc', 'sbi', 'kotak', 'axis', 'icici'];
// About 50 rows each: two or three pages, and every kind of row (wrapped narrations, cheques, summary lines).
const statements = LAYOUT_IDS.map((layout) => statement(layout, { seed: 7, count: 48 }));

/**
 * `producer/layout` → what the parser gets wrong on that file today; empty since the parser reads
 * every file exactly (a row split across a page break, cells centred in taller rows, header
 * labels joined by an unkerned or wider font were the last, all fixed in issue 10).
 */
const KNOWN_FAILURES: Record<string, string> = {};

/** Every producer starts at once (LibreOffice's slow start-up overlaps the others); each test awaits its own. */
const rendered = new Map<string, Promise<Buffer[]>>(PRODUCERS.map((p) => [p.name, renderQuietly(p)]));
function renderQuietly(producer: Producer): Promise<Buffer[]> {
  const pdfs = producer.pdfs(statements);
  pdfs.catch(() => {}); // Reported by the producer's test.
  return pdfs;
}

for (const producer of PRODUCERS) {
  test(`${producer.name}: every layout's rows come back exactly`, { timeout: 300_000 }, async (t) => {
    let pdfs: Buffer[];
    try {
      pdfs = await rendered.get(producer.name)!;
    } catch (error) {
      if (error instanceof ProducerMissing) return t.skip(error.message);
      throw error;
    }
    for (const [i, s] of statements.entries()) {
      const pdf = pdfs[i]!;
      const todo = KNOWN_FAILURES[`${producer.name}/${s.layout}`];
      await t.test(`${producer.name}/${s.layout}`, todo ? { todo } : {}, async (t) => {
        t.diagnostic(`reader: ${await readerOf(pdf, producer.password)}`);
        const parsed = await parseStatement(pdf, banks, { password: producer.password });
        assert.ok(parsed.pageCount >= 2, `${parsed.pageCount} pages`);
        assertRows(s.layout, parsed, s.transactions);
        assert.equal(parsed.openingBalancePaise, s.openingBalancePaise, 'opening balance');
        assert.equal(parsed.closingBalancePaise, s.transactions.at(-1)!.balancePaise, 'closing balance');
        assert.deepEqual(parsed.reconciliation, { reconciled: true, firstBreak: null });
        assert.deepEqual(parsed.period, { from: FROM, to: TO });
        assert.equal(parsed.detectedBank, s.layout);
        assert.equal(parsed.identity.accountNumber, s.account.accountNumber);
      });
    }
  });
}
