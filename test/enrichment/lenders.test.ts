import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lenderIn, lenderNamed } from '../../src/enrichment/lenders.ts';
import { loadNarrationRules } from '../../src/enrichment/narration-rules.ts';

const rules = loadNarrationRules();

test('a lender is found by its names as whole words, whatever the case', () => {
  assert.equal(lenderNamed('ACH D- BAJAJ FINANCE LTD-P400PLN0123456', rules), 'Bajaj Finance');
  assert.equal(lenderNamed('nach/hdb financial services/123', rules), 'HDB Financial Services');
  assert.equal(lenderNamed('ECS TATA  CAPITAL FINANCIAL 55', rules), 'Tata Capital');
  assert.equal(lenderNamed('NACH_DR_HDBFS_LN0098123'.replace(/_/g, ' '), rules), 'HDB Financial Services');
  assert.equal(lenderIn('NEFT CR-HDFC BANK LTD-LOAN', rules)?.kind, 'bank');
  assert.equal(lenderIn('MUTHOOT FINANCE GOLD LOAN', rules)?.kind, 'nbfc');
});

test('parts of other words are not lenders', () => {
  assert.equal(lenderNamed('UPI/DR/123/NAVIN KUMAR/SBIN', rules), null);
  assert.equal(lenderNamed('POS SHRIRAMPUR MEDICALS', rules), null);
  assert.equal(lenderNamed('SBI LIFE INSURANCE PREMIUM', rules), null);
  assert.equal(lenderNamed('', rules), null);
});
