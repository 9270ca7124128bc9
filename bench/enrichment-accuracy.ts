/**
 * bench/enrichment-accuracy: how well and how fast the narration rules explain transactions.
 *
 *   node --import tsx bench/enrichment-accuracy.ts
 *
 * Scores the rules on the labelled set (test/fixtures/narrations/labelled.jsonl, generated) and
 * on the hand-written holdout set (holdout.jsonl): accuracy, salary / EMI / bounce detection,
 * and precision and recall per channel and per description value. Then times enriching 16,000
 * narrations (the labelled narrations repeated, as one 500-page account), median of 5 runs after
 * a warm-up, each run starting from a collected heap (so that a run does not pay for collecting
 * the previous run's results). Prints Markdown for docs/insights.md ("Transaction enrichment", Accuracy).
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { enrichTransactions } from '../src/enrichment/enrich-transaction.ts';
import { enrichmentVersion, loadNarrationRules } from '../src/enrichment/narration-rules.ts';
import { asTransaction, readLabelled, score, type ClassScore, type Score } from '../test/fixtures/narrations/evaluate.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);

const loadStart = performance.now();
const rules = loadNarrationRules();
const loadMs = performance.now() - loadStart;

function classTable(title: string, labelled: ClassScore[], holdout: ClassScore[]): string {
  const values = [...new Set([...labelled, ...holdout].map((c) => c.value))].sort();
  const find = (xs: ClassScore[], v: string) => xs.find((c) => c.value === v);
  const rows = values.map((v) => {
    const l = find(labelled, v);
    const h = find(holdout, v);
    return `| ${v} | ${l?.support ?? 0} | ${pct(l?.precision ?? null)} | ${pct(l?.recall ?? null)} | ${h?.support ?? 0} | ${pct(h?.precision ?? null)} | ${pct(h?.recall ?? null)} |`;
  });
  return [`| ${title} | labelled n | precision | recall | holdout n | precision | recall |`, '|---|---:|---:|---:|---:|---:|---:|', ...rows].join('\n');
}

function summary(name: string, s: Score): string {
  return `| ${name} | ${s.total} | ${pct(s.channelAccuracy)} | ${pct(s.descriptionAccuracy)} | ${pct(s.nameAccuracy)} | ${pct(s.salary.recall)} / ${pct(s.salary.precision)} | ${pct(s.emi.recall)} / ${pct(s.emi.precision)} | ${pct(s.bounce.recall)} / ${pct(s.bounce.precision)} |`;
}

const labelledLines = readLabelled('labelled.jsonl');
const labelled = score(labelledLines, rules);
const holdout = score(readLabelled('holdout.jsonl'), rules);

const N = 16_000;
const account = Array.from({ length: N }, (_, i) => asTransaction(labelledLines[i % labelledLines.length]!, i));
enrichTransactions(account, rules); // warm-up: JIT and the bank catalogue's first load
const times: number[] = [];
for (let run = 0; run < 5; run++) {
  collectGarbage();
  const start = performance.now();
  enrichTransactions(account, rules);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const median = times[2]!;

console.log(`Rules version \`${enrichmentVersion(rules)}\`, ${rules.rules.length} rules, ${rules.merchants.categoryOf.size} merchant words, ${rules.lenders.lenderOf.size} lender names.\n`);
console.log('| set | narrations | channel accuracy | description accuracy | person name exact | salary recall / precision | EMI recall / precision | bounce recall / precision |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
console.log(summary('labelled (generated, 13 banks)', labelled));
console.log(summary('holdout (hand-written)', holdout));
console.log('');
console.log(classTable('channel', labelled.channels, holdout.channels));
console.log('');
console.log(classTable('description', labelled.descriptions, holdout.descriptions));
console.log('');
console.log('');
console.log('The bundled rules, in the order they are tried:\n');
console.log('| # | rule id | side | channel | description | merchant_category | category |');
console.log('|---:|---|---|---|---|---|---|');
rules.rules.forEach((r, i) => console.log(`| ${i + 1} | ${r.id} | ${r.side} | ${r.channel} | ${r.description || '–'} | ${r.merchantCategory || '–'} | ${r.category || '(decided after)'} |`));
console.log('');
console.log(`Speed: ${N.toLocaleString('en-US')} narrations enriched in ${median.toFixed(0)} ms (median of 5; runs ${times.map((t) => t.toFixed(0)).join(', ')} ms); loading and compiling the rules ${loadMs.toFixed(0)} ms.`);
