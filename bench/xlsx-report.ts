/**
 * bench/xlsx-report: the time to write the Excel report of a 500-page account (16,000
 * transactions, 24 months of monthly analysis, the full predictor set) to a file, and the
 * process's peak RSS before and after, against the target of 3 s with memory bounded.
 *
 *   node --expose-gc --import tsx bench/xlsx-report.ts [--transactions 16000] [--runs 3] [--keep]
 *
 * With --expose-gc each run starts from a collected heap, so the peaks are the run's own and not
 * the garbage of the runs before it.
 *
 * The account is synthetic but shaped like a real one (salary, EMIs, bounces, self transfers,
 * recurring sets, a daily EOD series, 404 monthly metrics and 2,160 predictors). Prints the
 * numbers recorded in docs/benchmarks.md ("Excel report (issue 11)").
 */
import { createWriteStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { AccountSummary } from '../src/domain/account.ts';
import type { AccountAnalysis, EnrichedTransaction, MetricValue, RecurringSet, SalaryCredit, TransactionChannel } from '../src/domain/insights.ts';
import { addDays, monthsBetween, type CalendarDate } from '../src/lib/calendar-date.ts';
import { writeXlsxReport, type ReportInput } from '../src/reports/xlsx-report.ts';

const { values } = parseArgs({
  options: {
    transactions: { type: 'string', default: '16000' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const TRANSACTIONS = Number(values.transactions);
const RUNS = Number(values.runs);
const ROWS_PER_PAGE = 32;
const START = '2023-01-01' as CalendarDate;
const DAYS = 730;

const mb = (kb: number) => Math.round(kb / 1024);

function buildInput(): ReportInput {
  const transactions: EnrichedTransaction[] = [];
  const salary: SalaryCredit[] = [];
  const lender: string[] = [];
  const bounced: string[] = [];
  const self: string[] = [];
  const rent: string[] = [];
  let balance = 25_000_000;
  const perDay = TRANSACTIONS / DAYS;
  const push = (date: CalendarDate, type: 'debit' | 'credit', amountPaise: number, narration: string, channel: TransactionChannel, category = 'Others') => {
    balance += type === 'credit' ? amountPaise : -amountPaise;
    const seq = transactions.length;
    const hash = seq.toString(16).padStart(32, '0');
    transactions.push({
      date,
      narration,
      chqNum: channel === 'chq' ? String(100_000 + seq) : null,
      type,
      amountPaise,
      balancePaise: balance,
      page: 1 + Math.floor(seq / ROWS_PER_PAGE),
      bbox: [36, 120 + (seq % ROWS_PER_PAGE) * 20, 560, 136 + (seq % ROWS_PER_PAGE) * 20],
      statementId: `st-${Math.floor(seq / 4000)}`,
      seq,
      hash,
      enrichment: {
        channel,
        description: '',
        merchantCategory: channel === 'upi' && seq % 3 === 0 ? 'food' : '',
        category,
        counterparty: {
          name: channel === 'upi' ? `MERCHANT ${seq % 97}` : null,
          upiHandle: channel === 'upi' ? `merchant${seq % 97}@okaxis` : null,
          ifsc: channel === 'net_banking_transfer' ? 'ICIC0000104' : null,
          bank: null,
          accountTail: null,
          reference: String(500_000_000_000 + seq),
          chequeNumber: null,
        },
        cleanNote: channel === 'upi' ? `MERCHANT ${seq % 97}` : 'OTHERS',
        ruleId: 'upi.p2m',
      },
    });
    return hash;
  };
  for (let day = 0; day < DAYS && transactions.length < TRANSACTIONS; day++) {
    const date = addDays(START, day);
    const dom = Number(date.slice(8, 10));
    if (dom === 1) salary.push({ hash: push(date, 'credit', 8_500_000, `NEFT CR-ACME TECHNOLOGIES PVT LTD-SALARY ${date.slice(0, 7)}`, 'salary', 'Salary'), employerName: 'ACME TECHNOLOGIES PVT LTD', salaryMonth: date.slice(0, 7) });
    if (dom === 5) lender.push(push(date, 'debit', 1_845_000, 'ACH D- BAJAJ FINANCE LTD-P400PHL1234567', 'auto_debit_payment', 'Loan'));
    if (dom === 7) rent.push(push(date, 'debit', 2_500_000, 'UPI/DR/412345678901/RAMESH KUMAR/HDFC/rent', 'upi', 'Transfer to RAMESH KUMAR'));
    if (dom === 10 && day % 60 < 31) {
      bounced.push(push(date, 'credit', 1_845_000, 'ACH RETURN BAJAJ FINANCE INSUFFICIENT FUNDS', 'auto_debit_payment_bounce'));
      bounced.push(push(date, 'debit', 59_000, 'ACH RTN CHRG INCL GST', 'bank_charge'));
    }
    if (dom === 15) self.push(push(date, 'debit', 1_000_000, 'IMPS/P2A/412345/ASHA RAO/SBIN/self', 'self_transfer', 'Self Transfer'));
    const target = Math.round((day + 1) * perDay);
    while (transactions.length < target && transactions.length < TRANSACTIONS) {
      const i = transactions.length;
      const credit = i % 9 === 0;
      push(date, credit ? 'credit' : 'debit', (10_000 + ((i * 7919) % 500_000)) * (credit ? 7 : 1), credit ? `UPI/CR/${400_000_000_000 + i}/FRIEND ${i % 31}/SBIN/` : `UPI/DR/${400_000_000_000 + i}/MERCHANT ${i % 97}/YESB/Paid`, 'upi');
    }
  }
  const first = transactions[0]!.date;
  const last = transactions[transactions.length - 1]!.date;
  const months = monthsBetween(first, last);
  const recurringSet = (type: 'debit' | 'credit', channel: TransactionChannel, cleanNote: string, hashes: string[], medianPaise: number): RecurringSet => ({
    type,
    channel,
    cleanNote,
    medianPaise,
    startDate: transactions[parseInt(hashes[0]!, 16)]!.date,
    endDate: transactions[parseInt(hashes[hashes.length - 1]!, 16)]!.date,
    hashes,
  });

  // 404 monthly metrics and 2,160 predictors, half money and half counts, like the reference's.
  const monthlyAnalysis: Record<string, Record<string, MetricValue>> = {};
  for (let m = 0; m < 404; m++) {
    const name = m % 2 ? `cnt_metric_${m}` : `amt_metric_${m}`;
    monthlyAnalysis[name] = Object.fromEntries(months.map((month, i) => [month, m % 7 === 0 ? null : (m % 2 ? i + m : (i + 1) * 123_456 + m)]));
  }
  const predictors: Record<string, MetricValue> = {};
  for (let p = 0; p < 2160; p++) predictors[p % 2 ? `cnt_predictor_${p}` : `amt_predictor_${p}`] = p % 5 === 0 ? null : p * 1001;

  const eodDays: { date: CalendarDate; balancePaise: number }[] = [];
  let t = 0;
  for (let date = first; date <= last; date = addDays(date, 1)) {
    while (t + 1 < transactions.length && transactions[t + 1]!.date <= date) t++;
    eodDays.push({ date, balancePaise: transactions[t]!.balancePaise! });
  }
  const statements = Array.from({ length: Math.ceil(transactions.length / 4000) }, (_, i) => ({
    statementId: `st-${i}`,
    source: 'pdf' as const,
    uploadFileName: `statement-${i}.pdf`,
    fromDate: transactions[i * 4000]!.date,
    toDate: transactions[Math.min((i + 1) * 4000, transactions.length) - 1]!.date,
    pageCount: Math.ceil(Math.min(4000, transactions.length - i * 4000) / ROWS_PER_PAGE),
    reconciled: true,
    firstBreak: null,
    openingBalancePaise: null,
    fraudFindings: [],
    blobKey: `blob-${i}`,
    createdAt: new Date(0),
    storedAt: new Date(0),
  }));
  const summary: AccountSummary = {
    accountId: 'acc-bench',
    bankName: 'hdfc',
    accountNumber: '50100012345678',
    identity: { name: 'ASHA RAO', accountNumber: '50100012345678', ifsc: 'HDFC0001234', micr: null, address: null, accountCategory: 'individual', accountType: 'SAVINGS', odLimitPaise: null, creditLimitPaise: null },
    createdAt: new Date(0),
    updatedAt: new Date(0),
    statements,
    months,
    missing: [],
    complete: true,
    processingStatus: 'completed',
    errorCode: null,
    errorMessage: null,
  };
  const flagged = transactions[Math.floor(transactions.length / 3)]!;
  const analysis: AccountAnalysis = {
    accountId: 'acc-bench',
    enrichmentVersion: 'bench',
    transactions,
    salary: { credits: salary, confidence: 95, delays: [], changes: [] },
    recurring: {
      debit: [recurringSet('debit', 'auto_debit_payment', 'BAJAJ FINANCE LTD', lender, 1_845_000), recurringSet('debit', 'upi', 'RAMESH KUMAR', rent, 2_500_000)],
      credit: [recurringSet('credit', 'salary', 'ACME TECHNOLOGIES PVT LTD', salary.map((s) => s.hash), 8_500_000)],
    },
    lenderHashes: lender,
    selfAndSisterHashes: self,
    bouncedOrPenalHashes: bounced,
    bounceLinks: [],
    eodBalances: { startingBalancePaise: 25_000_000, days: eodDays },
    monthlyAnalysis,
    topCreditsDebits: [],
    expenseCategories: [],
    predictors,
    fraud: [
      {
        fraudType: 'inconsistent_transaction',
        fraudCategory: 'accounting',
        statementId: flagged.statementId,
        transactionHash: flagged.hash,
        reason: `The balance on page ${flagged.page} does not follow from the row before it.`,
        evidence: [{ kind: 'box', statementId: flagged.statementId, page: flagged.page!, bbox: flagged.bbox!, transactionHash: flagged.hash }],
      },
    ],
    score: null,
  };
  return { sessionId: 'sess-bench', enrichmentVersion: 'bench', accounts: [{ summary, analysis }], aggregateMonthlyAnalysis: monthlyAnalysis };
}

const input = buildInput();
const account = input.accounts[0]!;
const pages = account.summary.statements.reduce((s, st) => s + (st.pageCount ?? 0), 0);
const rssAfterBuild = process.resourceUsage().maxRSS;
console.log(`machine: ${cpus().length} cpu (${cpus()[0]?.model ?? '?'}), node ${process.version}`);
console.log(`input: ${account.analysis.transactions.length} transactions, ${pages} pages, ${account.summary.months.length} months, ${Object.keys(account.analysis.monthlyAnalysis).length} metrics, ${Object.keys(account.analysis.predictors).length} predictors`);
console.log(`peak RSS after building the input: ${mb(rssAfterBuild)} MB (heap used ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB)`);

const file = path.join(tmpdir(), `passbook-bench-${process.pid}.xlsx`);
for (let run = 1; run <= RUNS; run++) {
  (globalThis as { gc?: () => void }).gc?.(); // --expose-gc: measure this run, not the last one's garbage
  const out = createWriteStream(file);
  const peak = { heap: 0, external: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak.heap = Math.max(peak.heap, m.heapUsed);
    peak.external = Math.max(peak.external, m.external);
  }, 20);
  const start = performance.now();
  await writeXlsxReport(input, out, { accountId: 'acc-bench' });
  await finished(out);
  const ms = performance.now() - start;
  clearInterval(sampler);
  const { size } = await stat(file);
  console.log(`run ${run}: ${(ms / 1000).toFixed(2)} s, ${(size / 2 ** 20).toFixed(1)} MB file, peak RSS so far ${mb(process.resourceUsage().maxRSS)} MB, peak heap used ${Math.round(peak.heap / 2 ** 20)} MB, peak external ${Math.round(peak.external / 2 ** 20)} MB`);
}
console.log(`peak RSS growth while writing: ${mb(process.resourceUsage().maxRSS - rssAfterBuild)} MB`);
if (values.keep) console.log(`kept ${file}`);
else await unlink(file);
