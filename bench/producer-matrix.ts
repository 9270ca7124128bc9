/**
 * bench/producer-matrix: one seeded statement rendered by every PDF producer of the matrix
 * (src/samples/producers/), each file parsed: which text reader read it, whether the rows came
 * back exactly (as test/statements/producers.slow.test.ts checks them), and the parse time.
 *
 *   node --import tsx bench/producer-matrix.ts [--layout hdfc] [--count 48] [--seed 7] [--runs 5] [--producers pdfkit,chromium] [--out /tmp/producer-matrix]
 *
 * With --out, every PDF is written there as <producer>-<layout>.pdf (to look at a failure).
 * Parse time is the median of --runs in-process parses, after the parser has warmed up. Needs the
 * producers' programs (chromium, qpdf, ghostscript, python3-reportlab, python3-matplotlib,
 * libreoffice-writer-nogui); a missing one is reported in its row. Prints a Markdown table;
 * paste it into docs/statements.md ("Producers").
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pdfkitPdf } from '../src/samples/producers/pdfkit.ts';
import { PRODUCERS, readerOf } from '../src/samples/producers/producer-matrix.ts';
import { parseStatement } from '../src/statements/parse/parse-statement.ts';
import { assertRows, banks, statement } from '../test/statements/statement-fixtures.ts';
import { otherCpu } from './parse.ts';

const { values } = parseArgs({
  options: {
    layout: { type: 'string', default: 'hdfc' },
    count: { type: 'string', default: '48' },
    seed: { type: 'string', default: '7' },
    runs: { type: 'string', default: '5' },
    producers: { type: 'string' },
    out: { type: 'string' },
  },
});
const layout = values.layout;
const runs = Number(values.runs);
const wanted = values.producers?.split(',');
const producers = wanted ? PRODUCERS.filter((p) => wanted.includes(p.name)) : PRODUCERS;
if (producers.length === 0) throw new Error(`no producer named ${values.producers}; there are ${PRODUCERS.map((p) => p.name).join(', ')}`);
const sample = statement(layout, { seed: Number(values.seed), count: Number(values.count) });
if (values.out) mkdirSync(values.out, { recursive: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const others = otherCpu();
others.start();

// The parser's code is compiled while it runs: parse one file a few times first, so that the first producer's times are not the slower ones.
const warmUp = await pdfkitPdf(sample);
for (let i = 0; i < 10; i++) await parseStatement(warmUp, banks);

const rows: string[] = [];
for (const producer of producers) {
  let pdf: Buffer;
  const renderStart = performance.now();
  try {
    [pdf] = (await producer.pdfs([sample])) as [Buffer];
  } catch (error) {
    rows.push(`| ${producer.name} | ${producer.makes} | – | – | not rendered: ${(error as Error).message.split('\n')[0]} | – | – |`);
    continue;
  }
  const renderMs = performance.now() - renderStart;
  if (values.out) writeFileSync(path.join(values.out, `${producer.name}-${layout}.pdf`), pdf);
  const options = { password: producer.password };
  const reader = await readerOf(pdf, producer.password);
  let exact = 'yes';
  try {
    assertRows(layout, await parseStatement(pdf, banks, options), sample.transactions);
  } catch (error) {
    const e = error as Error & { code?: string };
    exact = `no: ${e.code && e.code !== 'ERR_ASSERTION' ? e.code : e.message.split('\n')[0]}`;
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await parseStatement(pdf, banks, options).catch(() => {});
    times.push(performance.now() - start);
  }
  rows.push(`| ${producer.name} | ${producer.makes} | ${Math.round(pdf.length / 1024)} KB | ${reader} | ${exact} | ${median(times).toFixed(1)} | ${Math.round(renderMs)} |`);
}

const cpu = cpus();
console.log(`Machine: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(`Statement: ${layout}, seed ${values.seed}, ${sample.transactions.length} rows; parse time: median of ${runs} in-process parses after a warm-up; render time: the producer making the file, start-up included`);
const busy = others.seconds();
if (busy !== null) console.log(`Other processes used ${busy.toFixed(0)} CPU seconds during the run`);
console.log('');
console.log('| producer | what its file is like | size | reader | rows exact | parse ms | render ms |');
console.log('|---|---|--:|---|---|--:|--:|');
for (const row of rows) console.log(row);
