/**
 * The analysis on generated activity with planted salary, EMIs, a disbursal, returns, self and
 * sister transfers and rent (src/samples/planted-activity.ts), enriched by the real rules
 * file: every planted row is found exactly, and nothing else is, for several seeds, the four
 * narration styles, salary by NEFT or IMPS, due early or late in the month, one month late.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findBounces } from '../../src/analysis/bounces.ts';
import { findLenderTransactions } from '../../src/analysis/lender-transactions.ts';
import { findRecurring } from '../../src/analysis/recurring.ts';
import { refineEnrichment } from '../../src/analysis/refine-enrichment.ts';
import { findSalary } from '../../src/analysis/salary.ts';
import { findSelfAndSisterTransfers } from '../../src/analysis/self-transfers.ts';
import { enrichTransactions } from '../../src/enrichment/enrich-transaction.ts';
import { loadNarrationRules } from '../../src/enrichment/narration-rules.ts';
import { DEFAULT_PLANTED, plantedActivity, type NarrationBank } from '../../src/samples/planted-activity.ts';

const rules = loadNarrationRules();
const ascending = (a: number, b: number): number => a - b;

for (const seed of [1, 2, 5, 42]) {
  for (const channel of ['neft', 'imps'] as const) {
    test(`planted activity, seed ${seed}, salary by ${channel}: found exactly in every narration style`, () => {
      for (const narrationBank of ['hdfc', 'sbi', 'icici', 'axis'] as NarrationBank[]) {
        const salaryOptions = DEFAULT_PLANTED.salary;
        assert.ok(salaryOptions);
        const { transactions, truth } = plantedActivity({ seed, narrationBank, salary: { ...salaryOptions, channel, dayOfMonth: seed % 2 === 1 ? 3 : 28 } });
        const enriched = enrichTransactions(
          transactions.map((t, seq) => ({ ...t, statementId: 'st', seq, page: 1, bbox: [0, 0, 0, 0] })),
          rules,
        );
        const hash = (i: number): string => enriched[i]?.hash ?? `missing ${i}`;
        const where = `${narrationBank} seed ${seed} ${channel}`;
        assert.ok(truth.salary && truth.rent && truth.sisterCompany);

        const expectedSalary = truth.salary.indexes.map((i, k) => [hash(i), truth.salary?.months[k]]);
        for (const employerNames of [[], ['Zenith Software Solutions']]) {
          const salary = findSalary(enriched, { employerNames });
          assert.deepEqual(salary.credits.map((c) => [c.hash, c.salaryMonth]), expectedSalary, `${where} salary, employer names ${employerNames.length}`);
          assert.equal(salary.confidence, employerNames.length > 0 ? 1 : 0.9, where);
        }
        const self = findSelfAndSisterTransfers(enriched, { holderNames: [truth.holderName], companies: [truth.sisterCompany] });
        assert.deepEqual(self, [...truth.selfTransfers, ...truth.sisterTransfers].sort(ascending).map(hash), `${where} self and sister`);
        assert.deepEqual(findSelfAndSisterTransfers(enriched, { holderNames: [truth.holderName], companies: [] }), truth.selfTransfers.map(hash), `${where} self`);

        const lender = findLenderTransactions(enriched, findRecurring(enriched));
        assert.deepEqual(lender, [...truth.emis.flatMap((e) => e.indexes), ...truth.disbursals.map((d) => d.index)].sort(ascending).map(hash), `${where} lender`);

        const salary = findSalary(enriched, { employerNames: [] });
        const refined = refineEnrichment(enriched, { salaryHashes: new Set(salary.credits.map((c) => c.hash)), lenderHashes: new Set(lender), selfAndSisterHashes: new Set(self) });
        const recurring = findRecurring(refined);
        const expectedSets = [truth.rent.indexes, truth.salary.indexes, ...truth.emis.map((e) => e.indexes)].map((indexes) => indexes.map(hash));
        const sets = [...recurring.debit, ...recurring.credit].map((s) => s.hashes);
        assert.deepEqual(new Set(sets), new Set(expectedSets), `${where} recurring`);

        const bounces = findBounces(refined);
        assert.deepEqual(bounces.hashes, truth.bounces.flatMap((b) => [b.returnIndex, b.chargeIndex]).sort(ascending).map(hash), `${where} bounces`);
        assert.deepEqual(
          bounces.links,
          [...truth.bounces].sort((a, b) => a.returnIndex - b.returnIndex).map((b) => ({ bounceHash: hash(b.returnIndex), bouncedHash: hash(b.bouncedIndex), chargeHash: hash(b.chargeIndex) })),
          `${where} bounce links`,
        );
      }
    });
  }
}
