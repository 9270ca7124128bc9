import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { AccountSummary } from '../../src/domain/account.ts';
import type { AccountAnalysis, EnrichedTransaction, TransactionChannel, TransactionEnrichment } from '../../src/domain/insights.ts';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import { DATE_FORMAT, INR_FORMAT, SHEET_NAMES, UnknownReportAccountError, writeXlsxReport, type ReportInput } from '../../src/reports/xlsx-report.ts';

const d = (s: string) => s as CalendarDate;

function tx(
  seq: number,
  date: string,
  type: 'debit' | 'credit',
  amountPaise: number,
  balancePaise: number,
  narration: string,
  channel: TransactionChannel,
  extra: Partial<TransactionEnrichment> = {},
): EnrichedTransaction {
  return {
    date: d(date),
    narration,
    chqNum: null,
    type,
    amountPaise,
    balancePaise,
    page: 1 + Math.floor(seq / 30),
    bbox: [40, 100 + seq * 12, 560, 110 + seq * 12],
    statementId: 'st-1',
    seq,
    hash: `h${String(seq).padStart(31, '0')}`,
    enrichment: {
      channel,
      description: '',
      merchantCategory: '',
      category: 'Others',
      counterparty: { name: null, upiHandle: null, ifsc: null, bank: null, accountTail: null, reference: null, chequeNumber: null },
      cleanNote: narration.toUpperCase(),
      ruleId: null,
      ...extra,
    },
  };
}

function account(accountId: string, accountNumber: string, transactions: EnrichedTransaction[]): { summary: AccountSummary; analysis: AccountAnalysis } {
  // A hash the account does not hold (account 2 has only two rows) must be skipped, not invented.
  const at = (i: number) => transactions[i]?.hash ?? `absent${i}`;
  const summary: AccountSummary = {
    accountId,
    bankName: 'hdfc',
    accountNumber,
    identity: {
      name: 'ASHA RAO',
      accountNumber,
      ifsc: 'HDFC0001234',
      micr: null,
      address: null,
      accountCategory: 'individual',
      accountType: 'SAVINGS',
      odLimitPaise: null,
      creditLimitPaise: null,
    },
    createdAt: new Date(0),
    updatedAt: new Date(0),
    statements: [
      {
        statementId: 'st-1',
        source: 'pdf',
        uploadFileName: 'a.pdf',
        fromDate: d('2025-01-01'),
        toDate: d('2025-02-28'),
        pageCount: 3,
        reconciled: true,
        firstBreak: null,
        openingBalancePaise: 100_000,
        fraudFindings: [],
        blobKey: 'k',
        createdAt: new Date(0),
        storedAt: new Date(0),
      },
    ],
    months: ['2025-01', '2025-02'],
    missing: [],
    complete: true,
    processingStatus: 'completed',
    errorCode: null,
    errorMessage: null,
  };
  const analysis: AccountAnalysis = {
    accountId,
    enrichmentVersion: 'rules-1',
    transactions,
    salary: {
      credits: [
        { hash: at(0), employerName: 'ACME LTD', salaryMonth: '2025-01' },
        { hash: at(4), employerName: 'ACME LTD', salaryMonth: '2025-02' },
      ],
      confidence: 0.9,
      delays: [{ hash: at(4), daysLate: 6 }],
      changes: [{ salaryMonth: '2025-02', hash: at(4), previousPaise: 5_000_000, amountPaise: 5_600_000, changePercent: 12 }],
    },
    recurring: {
      debit: [{ type: 'debit', channel: 'auto_debit_payment', cleanNote: 'BAJAJ FINANCE', medianPaise: 1_200_000, startDate: d('2025-01-05'), endDate: d('2025-02-05'), hashes: [at(1), at(5)] }],
      credit: [],
    },
    lenderHashes: [at(1), at(5)],
    selfAndSisterHashes: [],
    bouncedOrPenalHashes: [at(2), at(3)],
    bounceLinks: [{ bounceHash: at(2), bouncedHash: null, chargeHash: at(3) }],
    eodBalances: {
      startingBalancePaise: 100_000,
      days: [
        { date: d('2025-01-01'), balancePaise: 5_100_000 },
        { date: d('2025-01-02'), balancePaise: 5_100_000 },
      ],
    },
    monthlyAnalysis: {
      amt_credit: { '2025-01': 5_000_000, '2025-02': 5_000_000 },
      cnt_credit: { '2025-01': 1, '2025-02': 1 },
      avg_bal: { '2025-01': null, '2025-02': 123_456 },
    },
    topCreditsDebits: [],
    expenseCategories: [],
    predictors: { accountnumber: accountNumber, avg_monthly_salary: 5_000_000, cnt_bounces_0: 1 },
    fraud: [
      {
        fraudType: 'author_fraud',
        fraudCategory: 'metadata',
        statementId: 'st-1',
        transactionHash: null,
        reason: 'The PDF was produced by "iLovePDF", which HDFC statements are not.',
        evidence: [{ kind: 'metadata', statementId: 'st-1', field: 'Producer', value: 'iLovePDF' }],
      },
    ],
    score: null,
  };
  return { summary, analysis };
}

function transactionsOf(): EnrichedTransaction[] {
  return [
    tx(0, '2025-01-01', 'credit', 5_000_000, 5_100_000, 'NEFT-ACME LTD-SALARY JAN', 'salary', { category: 'Salary', counterparty: { name: 'ACME LTD', upiHandle: null, ifsc: 'ICIC0000001', bank: null, accountTail: null, reference: 'N123', chequeNumber: null } }),
    tx(1, '2025-01-05', 'debit', 1_200_000, 3_900_000, 'ACH D- BAJAJ FINANCE', 'auto_debit_payment', { description: 'lender_transaction', category: 'Loan', merchantCategory: 'loans' }),
    tx(2, '2025-01-20', 'debit', 500_000, 3_400_000, 'CHQ RETURN 000123 INSUFF FUNDS', 'inward_cheque_bounce', { description: 'chq_bounce_insuff_funds' }),
    tx(3, '2025-01-20', 'debit', 59_000, 3_341_000, 'CHQ RETURN CHARGES', 'bank_charge', { description: 'chq_bounce_charge' }),
    tx(4, '2025-02-01', 'credit', 5_000_000, 8_341_000, 'NEFT-ACME LTD-SALARY FEB', 'salary', { category: 'Salary' }),
    tx(5, '2025-02-05', 'debit', 1_200_000, 7_141_000, 'ACH D- BAJAJ FINANCE', 'auto_debit_payment', { description: 'lender_transaction', category: 'Loan' }),
    tx(6, '2025-02-06', 'debit', 10_000, 7_131_000, 'MISC DEBIT', 'Others'),
  ];
}

function input(): ReportInput {
  const a = account('acc-1', '50100012345678', transactionsOf());
  const b = account('acc-2', '50100087654321', transactionsOf().slice(0, 2));
  return {
    sessionId: 'sess-1',
    enrichmentVersion: 'rules-1',
    accounts: [a, b],
    aggregateMonthlyAnalysis: { amt_credit: { '2025-01': 10_000_000 }, cnt_credit: { '2025-01': 2 } },
  };
}

async function render(report: ReportInput, options: { accountId?: string }): Promise<ExcelJS.Workbook> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeXlsxReport(report, out, options);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  return workbook;
}

function headersOf(sheet: ExcelJS.Worksheet): unknown[] {
  return (sheet.getRow(1).values as unknown[]).slice(1);
}

function headerIndex(sheet: ExcelJS.Worksheet): Map<string, number> {
  const map = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, col) => map.set(cell.text, col));
  return map;
}

test('an account report has every sheet, frozen headers and filters', async () => {
  const workbook = await render(input(), { accountId: 'acc-1' });
  assert.deepEqual(
    workbook.worksheets.map((s) => s.name),
    [...SHEET_NAMES],
  );
  for (const sheet of workbook.worksheets) {
    assert.equal(sheet.views[0]?.state, 'frozen', sheet.name);
    assert.equal((sheet.views[0] as { ySplit?: number }).ySplit, 1, sheet.name);
    assert.ok(sheet.autoFilter, `${sheet.name} has a filter`);
    assert.equal(sheet.getRow(1).font?.bold, true, sheet.name);
  }
});

test('money is a rupee number in INR format and dates are dates', async () => {
  const workbook = await render(input(), { accountId: 'acc-1' });
  const sheet = workbook.getWorksheet('Transactions')!;
  const cols = headerIndex(sheet);
  assert.ok(!cols.has('Account'), 'no Account column in an account report');
  const first = sheet.getRow(2);
  const credit = first.getCell(cols.get('Credit')!);
  assert.equal(credit.value, 50_000);
  assert.equal(credit.numFmt, INR_FORMAT);
  assert.equal(first.getCell(cols.get('Debit')!).value, null);
  assert.equal(first.getCell(cols.get('Balance')!).value, 51_000);
  const dateCell = first.getCell(cols.get('Date')!);
  assert.ok(dateCell.value instanceof Date);
  assert.equal(dateCell.value.toISOString(), '2025-01-01T00:00:00.000Z');
  assert.equal(dateCell.numFmt, DATE_FORMAT);
  assert.equal(first.getCell(cols.get('Channel')!).value, 'salary');
  assert.equal(first.getCell(cols.get('Counterparty Name')!).value, 'ACME LTD');
  assert.equal(first.getCell(cols.get('Counterparty IFSC')!).value, 'ICIC0000001');
  assert.equal(first.getCell(cols.get('Page')!).value, 1);
  assert.equal(first.getCell(cols.get('Hash')!).value, transactionsOf()[0]!.hash);
  assert.equal(sheet.actualRowCount, 1 + 7);
  assert.equal(sheet.getRow(8).getCell(cols.get('Channel')!).value, 'Other', 'the catch-all as the JSON lists print it');
});

test('monthly analysis: paise metrics in rupees, counts as they are, nulls empty', async () => {
  const workbook = await render(input(), { accountId: 'acc-1' });
  const sheet = workbook.getWorksheet('Monthly Analysis')!;
  assert.deepEqual(headersOf(sheet), ['Metric', 'Jan-2025', 'Feb-2025']);
  const rows = new Map<string, ExcelJS.Row>();
  sheet.eachRow((row, n) => n > 1 && rows.set(row.getCell(1).text, row));
  const amt = rows.get('amt_credit')!.getCell(2);
  assert.equal(amt.value, 50_000);
  assert.equal(amt.numFmt, INR_FORMAT);
  const cnt = rows.get('cnt_credit')!.getCell(2);
  assert.equal(cnt.value, 1);
  assert.notEqual(cnt.numFmt, INR_FORMAT);
  assert.equal(rows.get('avg_bal')!.getCell(2).value, null);
  assert.equal(rows.get('avg_bal')!.getCell(3).value, 1234.56);
});

test('salary, lender, bounces and recurring are looked up by hash', async () => {
  const workbook = await render(input(), { accountId: 'acc-1' });
  const salary = workbook.getWorksheet('Salary')!;
  const sc = headerIndex(salary);
  assert.equal(salary.actualRowCount, 3);
  assert.equal(salary.getRow(2).getCell(sc.get('Employer')!).value, 'ACME LTD');
  assert.equal(salary.getRow(2).getCell(sc.get('Salary Month')!).value, 'Jan-2025');
  assert.equal(salary.getRow(3).getCell(sc.get('Amount')!).value, 50_000);
  assert.equal(salary.getRow(2).getCell(sc.get('Days Late')!).value, null, 'on time: empty, not 0');
  assert.equal(salary.getRow(3).getCell(sc.get('Days Late')!).value, 6);
  assert.equal(salary.getRow(3).getCell(sc.get('Change %')!).value, 12);

  const lender = workbook.getWorksheet('Lender')!;
  const lc = headerIndex(lender);
  assert.equal(lender.actualRowCount, 3);
  assert.equal(lender.getRow(2).getCell(lc.get('Kind')!).value, 'EMI');
  assert.equal(lender.getRow(2).getCell(lc.get('Debit')!).value, 12_000);

  const bounces = workbook.getWorksheet('Bounces')!;
  const bc = headerIndex(bounces);
  assert.deepEqual([2, 3].map((r) => bounces.getRow(r).getCell(bc.get('Kind')!).value), ['Bounce', 'Charge']);

  const recurring = workbook.getWorksheet('Recurring')!;
  const rc = headerIndex(recurring);
  assert.equal(recurring.actualRowCount, 3);
  assert.equal(recurring.getRow(2).getCell(rc.get('Note')!).value, 'BAJAJ FINANCE');
  assert.equal(recurring.getRow(2).getCell(rc.get('Median')!).value, 12_000);
  assert.ok(recurring.getRow(3).getCell(rc.get('Date')!).value instanceof Date);

  assert.equal(workbook.getWorksheet('Self Transfers')!.actualRowCount, 1);
  const eod = workbook.getWorksheet('EOD Balances')!;
  assert.equal(eod.getRow(2).getCell(2).value, 51_000);
  assert.ok(eod.getRow(2).getCell(1).value instanceof Date);
});

test('summary: identity, key figures and fraud findings with reason and evidence', async () => {
  const workbook = await render(input(), { accountId: 'acc-1' });
  const sheet = workbook.getWorksheet('Summary')!;
  const fields = new Map<string, ExcelJS.Cell>();
  sheet.eachRow((row) => fields.set(row.getCell(1).text, row.getCell(2)));
  assert.equal(fields.get('Name')!.value, 'ASHA RAO');
  assert.equal(fields.get('Account number')!.value, '50100012345678');
  assert.equal(fields.get('IFSC')!.value, 'HDFC0001234');
  assert.equal(fields.get('Account type')!.value, 'SAVINGS');
  assert.ok(fields.get('Period from')!.value instanceof Date);
  assert.equal(fields.get('Statements')!.value, 1);
  assert.equal(fields.get('Pages')!.value, 3);
  assert.equal(fields.get('Total credits')!.value, 100_000);
  assert.equal(fields.get('Total credits')!.numFmt, INR_FORMAT);
  assert.equal(fields.get('Total debits')!.value, 12_000 + 5_000 + 590 + 12_000 + 100);
  assert.equal(fields.get('Average EOD balance')!.value, 51_000);
  assert.equal(fields.get('Salary employer')!.value, 'ACME LTD');
  assert.equal(fields.get('Salary monthly amount')!.value, 50_000);
  assert.equal(fields.get('EMIs per month')!.value, 1);
  assert.equal(fields.get('EMI amount per month')!.value, 12_000);
  assert.equal(fields.get('Bounces')!.value, 1);
  assert.equal(fields.get('Bounce and penal charges')!.value, 1);
  const fraud = sheet.getRows(1, sheet.actualRowCount + 5)!.find((r) => r.getCell(1).value === 'author_fraud')!;
  assert.ok(fraud, 'fraud finding listed');
  assert.match(fraud.getCell(4).text, /iLovePDF/);
  assert.match(fraud.getCell(5).text, /metadata Producer = "iLovePDF"/);
});

test('the session report covers every account', async () => {
  const workbook = await render(input(), {});
  const summary = workbook.getWorksheet('Summary')!;
  assert.deepEqual(headersOf(summary), ['Field', 'hdfc 50100012345678', 'hdfc 50100087654321']);
  const tx = workbook.getWorksheet('Transactions')!;
  const cols = headerIndex(tx);
  assert.equal(cols.get('Account'), 1);
  assert.equal(tx.actualRowCount, 1 + 7 + 2);
  assert.equal(tx.getRow(10).getCell(1).value, 'hdfc 50100087654321');
  const monthly = workbook.getWorksheet('Monthly Analysis')!;
  assert.deepEqual(headersOf(monthly), ['Metric', 'Jan-2025']);
  assert.equal(monthly.getRow(2).getCell(2).value, 100_000);
  assert.equal(monthly.getRow(3).getCell(2).value, 2);
  const predictors = workbook.getWorksheet('Predictors')!;
  assert.deepEqual(headersOf(predictors), ['Account', 'Key', 'Value']);
  assert.equal(predictors.actualRowCount, 1 + 3 + 3);
});

test('predictors: money in rupees, counts and text as they are', async () => {
  const workbook = await render(input(), { accountId: 'acc-1' });
  const sheet = workbook.getWorksheet('Predictors')!;
  const values = new Map<string, ExcelJS.Cell>();
  sheet.eachRow((row, n) => n > 1 && values.set(row.getCell(1).text, row.getCell(2)));
  assert.equal(values.get('accountnumber')!.value, '50100012345678');
  assert.equal(values.get('avg_monthly_salary')!.value, 50_000);
  assert.equal(values.get('avg_monthly_salary')!.numFmt, INR_FORMAT);
  assert.equal(values.get('cnt_bounces_0')!.value, 1);
});

test('an unknown account is rejected before anything is written', async () => {
  const out = new PassThrough();
  let bytes = 0;
  out.on('data', (c: Buffer) => (bytes += c.length));
  await assert.rejects(writeXlsxReport(input(), out, { accountId: 'nope' }), (e: any) => e instanceof UnknownReportAccountError && e.accountId === 'nope');
  assert.equal(bytes, 0);
});

test('a slow reader gets a complete workbook (the writer waits for the zip)', async () => {
  const many: EnrichedTransaction[] = [];
  for (let i = 0; i < 800; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    many.push(tx(i, `2025-01-${day}`, i % 2 ? 'debit' : 'credit', 10_000 + i, 1_000_000 + i, `UPI/DR/${i}/SHOP ${i % 50}/paid`, 'upi'));
  }
  many.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.seq - b.seq));
  const report: ReportInput = { ...input(), accounts: [account('acc-1', '50100012345678', many)] };
  const chunks: Buffer[] = [];
  const out = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      setImmediate(callback);
    },
  });
  await writeXlsxReport(report, out, { accountId: 'acc-1' });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  assert.equal(workbook.getWorksheet('Transactions')!.actualRowCount, 801);
});

test('a session without accounts still gives every sheet', async () => {
  const workbook = await render({ sessionId: 's', enrichmentVersion: 'v', accounts: [], aggregateMonthlyAnalysis: null }, {});
  assert.deepEqual(
    workbook.worksheets.map((s) => s.name),
    [...SHEET_NAMES],
  );
  assert.deepEqual(headersOf(workbook.getWorksheet('Monthly Analysis')!), ['Metric']);
});

test('an output that fails mid-report rejects the write instead of hanging', async () => {
  const many: EnrichedTransaction[] = [];
  for (let i = 0; i < 800; i++) many.push(tx(i, '2025-01-15', 'debit', 10_000 + i, 1_000_000 - i, `UPI/DR/${i}/SHOP ${i % 50}/paid`, 'upi'));
  const report: ReportInput = { ...input(), accounts: [account('acc-1', '50100012345678', many)] };
  let chunks = 0;
  const out = new Writable({
    highWaterMark: 1024,
    write(_chunk: Buffer, _encoding, callback) {
      if (++chunks > 3) callback(new Error('client went away'));
      else setImmediate(callback);
    },
  });
  await assert.rejects(writeXlsxReport(report, out, { accountId: 'acc-1' }), /client went away/);
});
