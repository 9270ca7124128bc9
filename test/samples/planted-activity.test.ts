/**
 * The planted-pattern generator: the same seed gives the same activity, every index of the
 * truth points at a row of the kind, side and amount it says, balances chain, the background
 * never repeats a payment to the same counterparty, and generated PDFs come back through the
 * parser with exactly the planted rows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, addMonths, formatMonthShort, type CalendarDate } from '../../src/lib/calendar-date.ts';
import { DEFAULT_PLANTED, plantedActivity, plantedStatement, type PlantedSalary, type PlantedTruth } from '../../src/samples/planted-activity.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import type { SampleTransaction } from '../../src/samples/sample-transactions.ts';
import { cellText, LAYOUTS } from '../../src/samples/statement-layouts.ts';
import { parseStatement } from '../../src/statements/parse/parse-statement.ts';
import { assertRows, banks } from '../statements/statement-fixtures.ts';

const SEEDS = [1, 7, 42, 2026];

/** Every planted index, each with the name of the list it is in. */
function plantedIndexes(truth: PlantedTruth): Map<number, string[]> {
  const all = new Map<number, string[]>();
  const put = (list: string, indexes: number[]) => indexes.forEach((i) => all.set(i, [...(all.get(i) ?? []), list]));
  put('salary', truth.salary?.indexes ?? []);
  truth.emis.forEach((e) => put('emi', e.indexes));
  put('disbursal', truth.disbursals.map((d) => d.index));
  truth.bounces.forEach((b) => put('bounce', [b.bouncedIndex, b.returnIndex, b.chargeIndex]));
  put('self', truth.selfTransfers);
  put('sister', truth.sisterTransfers);
  put('rent', truth.rent?.indexes ?? []);
  put('cash', truth.cashDeposits);
  put('atm', truth.atmWithdrawals);
  put('background', truth.background);
  return all;
}

test('the same seed gives the same activity and truth; another seed does not', () => {
  assert.deepEqual(plantedActivity({ seed: 7 }), plantedActivity({ seed: 7 }));
  assert.notDeepEqual(plantedActivity({ seed: 7 }).transactions, plantedActivity({ seed: 8 }).transactions);
});

test('every row is in exactly one list of the truth (a returned EMI in both its loan and its bounce)', () => {
  for (const seed of SEEDS) {
    const { transactions, truth } = plantedActivity({ seed });
    const all = plantedIndexes(truth);
    assert.equal(all.size, transactions.length, `seed ${seed}: every row is listed`);
    for (const [i, lists] of all) {
      const returnedEmi = truth.bounces.some((b) => b.kind === 'auto_debit_return' && b.bouncedIndex === i);
      assert.deepEqual(lists, returnedEmi ? ['emi', 'bounce'] : [lists[0]], `seed ${seed} row ${i}: ${lists.join(', ')}`);
    }
  }
});

test('every truth index points at a row of its kind, side and amount', () => {
  for (const seed of SEEDS) {
    const { transactions: t, truth } = plantedActivity({ seed });
    const at = (i: number) => t[i]!;
    const salary = truth.salary!;
    const defaults = DEFAULT_PLANTED.salary as PlantedSalary;
    assert.equal(salary.indexes.length, 6);
    // Paid around the 3rd, each credit is the previous month's salary.
    assert.deepEqual(salary.months, ['2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08']);
    assert.equal(salary.lateMonth, '2026-05');
    assert.equal(salary.raiseMonth, '2026-07');
    assert.equal(salary.multiplesOf1000, false);
    salary.indexes.forEach((i, n) => {
      const month = salary.months[n]!;
      assert.equal(at(i).type, 'credit');
      assert.equal(at(i).amountPaise, salary.amountsPaise[n]);
      assert.equal(at(i).amountPaise, month >= '2026-07' ? defaults.raisedAmountPaise : defaults.amountPaise);
      assert.match(at(i).narration, new RegExp(`^NEFT CR-.*-${salary.employer}-SAL ${formatMonthShort(month).slice(0, 3).toUpperCase()} 2026-`));
      const due = addMonths(`${month}-03` as CalendarDate, 1);
      if (month === salary.lateMonth) assert.equal(at(i).date, addDays(due, 7));
      else assert.ok(at(i).date >= addDays(due, -2) && at(i).date <= addDays(due, 2), `${at(i).date} within 2 days of ${due}`);
    });

    assert.equal(truth.emis.length, 2);
    for (const emi of truth.emis) {
      for (const i of emi.indexes) {
        assert.deepEqual({ type: at(i).type, amount: at(i).amountPaise, day: Number(at(i).date.slice(8)) }, { type: 'debit', amount: emi.amountPaise, day: emi.dayOfMonth });
        assert.ok(at(i).narration.includes(emi.lender) && at(i).narration.includes(emi.loanRef), at(i).narration);
        assert.match(at(i).narration, emi.mandate === 'ach' ? /^ACH D- / : /^NACH DR-/);
      }
    }
    assert.equal(truth.emis[0]!.indexes.length, 6);
    assert.equal(truth.emis[1]!.indexes.length, 5, 'the disbursed loan pays from the month after');

    assert.equal(truth.disbursals.length, 1);
    const disbursal = truth.disbursals[0]!;
    assert.deepEqual({ type: at(disbursal.index).type, amount: at(disbursal.index).amountPaise }, { type: 'credit', amount: disbursal.amountPaise });
    assert.match(at(disbursal.index).narration, new RegExp(`^NEFT CR-.*-${disbursal.lender}-LOAN DISB-`));
    assert.ok(disbursal.index < truth.emis[1]!.indexes[0]!);

    assert.deepEqual(truth.bounces.map((b) => b.kind), ['auto_debit_return', 'issued_cheque_return', 'deposited_cheque_return']);
    for (const b of truth.bounces) {
      const [item, reversal, charge] = [at(b.bouncedIndex), at(b.returnIndex), at(b.chargeIndex)];
      assert.ok(b.bouncedIndex < b.returnIndex && b.returnIndex < b.chargeIndex);
      assert.equal(reversal.amountPaise, item.amountPaise, 'the return reverses the item');
      assert.notEqual(reversal.type, item.type);
      assert.equal(reversal.date, item.date);
      assert.equal(charge.type, 'debit');
      const days = (Date.parse(charge.date) - Date.parse(item.date)) / 86_400_000;
      assert.ok(days >= 1 && days <= 3, `charge ${days} days after`);
      if (b.kind === 'auto_debit_return') {
        assert.ok(truth.emis[0]!.indexes.includes(b.bouncedIndex));
        assert.equal(reversal.narration, `ACH D- RETURN-${b.lender}-${truth.emis[0]!.loanRef}-INSUFFICIENT FUNDS`);
        assert.deepEqual({ amount: charge.amountPaise, narration: charge.narration.slice(0, 24) }, { amount: 590_00, narration: 'ACH RTN CHRG INCL GST-P4' });
      } else {
        assert.equal(item.type, b.kind === 'issued_cheque_return' ? 'debit' : 'credit');
        assert.deepEqual([item.chqNum, reversal.chqNum], [b.chequeNumber, b.chequeNumber]);
        assert.match(reversal.narration, b.kind === 'issued_cheque_return' ? /^CHQ RET-INWARD-\d{6}-INSUFF FUNDS-/ : /^O\/W CHQ RET-\d{6}-FUNDS INSUFFICIENT-/);
        assert.equal(charge.amountPaise, 354_00);
      }
    }

    assert.equal(truth.selfTransfers.length, 3);
    for (const i of truth.selfTransfers) assert.ok(at(i).narration.includes('-AYUSH PATIL-'), at(i).narration);
    assert.deepEqual(truth.selfTransfers.map((i) => at(i).type), ['debit', 'credit', 'debit']);
    assert.equal(truth.sisterTransfers.length, 3);
    for (const i of truth.sisterTransfers) assert.ok(at(i).narration.includes(`-${truth.sisterCompany}-`), at(i).narration);

    const rent = truth.rent!;
    assert.equal(rent.indexes.length, 6);
    for (const i of rent.indexes) {
      assert.deepEqual({ type: at(i).type, amount: at(i).amountPaise }, { type: 'debit', amount: rent.amountPaise });
      assert.ok(Math.abs(Number(at(i).date.slice(8)) - 5) <= 1);
      assert.match(at(i).narration, new RegExp(`^UPI/DR/\\d{12}/${rent.landlord}/`));
    }

    for (const i of truth.cashDeposits) assert.deepEqual([at(i).type, /^(BY CASH-CDM|CASH DEP-)/.test(at(i).narration)], ['credit', true]);
    assert.deepEqual(truth.cashAboveSalaryMonths, []);
    assert.equal(truth.atmWithdrawals.length, 12);
    for (const i of truth.atmWithdrawals) assert.deepEqual([at(i).type, at(i).amountPaise % 500_00, at(i).narration.startsWith('ATM WDL/')], ['debit', 0, true]);
  }
});

test('balances chain from the opening balance and never go below zero', () => {
  for (const seed of SEEDS) {
    const { transactions } = plantedActivity({ seed });
    let balance = DEFAULT_PLANTED.openingBalancePaise;
    for (const [i, t] of transactions.entries()) {
      balance += t.type === 'credit' ? t.amountPaise : -t.amountPaise;
      assert.equal(t.balancePaise, balance, `row ${i}`);
      assert.ok(balance >= 0, `row ${i}`);
      if (i > 0) assert.ok(t.date >= transactions[i - 1]!.date, `row ${i} in date order`);
    }
  }
});

/** The counterparty a background row names: the payee of a UPI or card spend, the person of an IMPS. */
function counterparty(narration: string): string {
  return (/^UPI\/DR\/\d+\/([^/]+)\//.exec(narration) ?? /^IMPS-\d+-([^-]+)-/.exec(narration) ?? /^POS \S+ (.+) [A-Z]+$/.exec(narration))![1]!;
}

test('the background never pays one counterparty the same amount twice within three months, nor names anything planted', () => {
  for (const seed of SEEDS) {
    const { transactions, truth } = plantedActivity({ seed });
    const background = truth.background.map((i) => transactions[i]!);
    const debits = background.filter((t) => t.type === 'debit');
    for (const [n, a] of debits.entries()) {
      for (const b of debits.slice(n + 1)) {
        const days = (Date.parse(b.date) - Date.parse(a.date)) / 86_400_000;
        if (days <= 92 && counterparty(a.narration) === counterparty(b.narration)) assert.notEqual(a.amountPaise, b.amountPaise, `${a.narration} / ${b.narration}`);
      }
    }
    const planted = /\b(SAL|LOAN|EMI|RENT|RTN|RET|CHQ|CASH|ATM|NEFT|ACH|NACH|ECS|RTGS|SELF)\b|AYUSH PATIL|PATIL AGRO|ZENITH|BAJAJ|TATA CAPITAL|SURESH MENON/;
    for (const t of background) {
      if (t.chqNum) continue; // a returned cheque's own row is listed under its bounce, never here
      assert.doesNotMatch(t.narration, planted);
    }
  }
});

test('switches: salary in multiples of 1,000, cash above salary, patterns off', () => {
  const round = plantedActivity({ seed: 3, salary: { ...(DEFAULT_PLANTED.salary as PlantedSalary), amountPaise: 85_000_00, raisedAmountPaise: 93_000_00, channel: 'imps' }, cashDeposits: { monthsAboveSalary: 2 } });
  assert.equal(round.truth.salary!.multiplesOf1000, true);
  for (const i of round.truth.salary!.indexes) assert.match(round.transactions[i]!.narration, /^IMPS-\d{12}-ZENITH SOFTWARE SOLUTIONS PVT LTD-[A-Z]{4}-X+\d{4}-SAL [A-Z]{3} 2026$/);
  assert.equal(round.truth.cashAboveSalaryMonths.length, 2);
  for (const month of round.truth.cashAboveSalaryMonths) {
    const inMonth = (indexes: number[]) => indexes.map((i) => round.transactions[i]!).filter((t) => t.date.startsWith(month)).reduce((s, t) => s + t.amountPaise, 0);
    assert.ok(inMonth(round.truth.cashDeposits) > inMonth(round.truth.salary!.indexes));
  }

  const nach = plantedActivity({ seed: 3, bounces: { autoDebitMonthIndex: 2, autoDebitLoanIndex: 1, issuedChequeMonthIndex: null, depositedChequeMonthIndex: null } });
  assert.equal(nach.truth.bounces.length, 1);
  const bounce = nach.truth.bounces[0]!;
  assert.ok(nach.truth.emis[1]!.indexes.includes(bounce.bouncedIndex));
  assert.equal(nach.transactions[bounce.bouncedIndex]!.date, '2026-06-10');
  assert.match(nach.transactions[bounce.returnIndex]!.narration, /^NACH RTN-TATA CAPITAL FINANCIAL SERVICES-TCFPL0630001882-INSUFFICIENT FUNDS$/);
  assert.match(nach.transactions[bounce.chargeIndex]!.narration, /^NACH RTN CHRG INCL GST-/);

  for (const narrationBank of ['hdfc', 'sbi', 'icici', 'axis'] as const) {
    const { transactions, truth } = plantedActivity({ seed: 3, narrationBank, loans: [{ ...DEFAULT_PLANTED.loans[0]!, mandate: 'ecs' }] });
    for (const i of truth.salary!.indexes) assert.match(transactions[i]!.narration, /^(NEFT|BY TRANSFER-NEFT)\b.*-?\/?ZENITH SOFTWARE SOLUTIONS PVT LTD[-/]/);
    for (const i of truth.emis[0]!.indexes) assert.match(transactions[i]!.narration, /^ECS DR-BAJAJ FINANCE LTD-P400PLN04417723$/);
    for (const i of truth.selfTransfers) assert.ok(transactions[i]!.narration.includes('AYUSH PATIL'));
  }

  const bare = plantedActivity({ seed: 3, salary: false, loans: [], bounces: false, selfTransfers: false, sisterCompany: false, rent: false, cashDeposits: false, atmWithdrawals: false });
  assert.equal(bare.truth.salary, null);
  assert.deepEqual([bare.truth.emis, bare.truth.bounces, bare.truth.selfTransfers, bare.truth.sisterTransfers, bare.truth.cashDeposits], [[], [], [], [], []]);
  assert.equal(bare.truth.background.length, bare.transactions.length);
});

/** The rows with their narrations worded as the layout prints them. */
function asPrinted(layout: string, transactions: SampleTransaction[]): SampleTransaction[] {
  return transactions.map((t, i) => ({ ...t, narration: cellText(LAYOUTS[layout]!, 'narration', t, i + 1) }));
}

for (const layout of ['sbi', 'pnbbnk']) {
  test(`${layout}: the rendered statement parses back with exactly the planted rows`, async () => {
    const { statement, truth } = plantedStatement(11, layout);
    const parsed = await parseStatement(await renderStatementPdf(statement), banks);
    const printed = asPrinted(layout, statement.transactions);
    assertRows(layout, parsed, printed);
    assert.equal(parsed.detectedBank, layout);
    assert.deepEqual(parsed.reconciliation, { reconciled: true, firstBreak: null });
    assert.deepEqual({ period: parsed.period, opening: parsed.openingBalancePaise, name: parsed.identity.name }, { period: { from: statement.from, to: statement.to }, opening: statement.openingBalancePaise, name: truth.holderName });
    for (const [i, lists] of plantedIndexes(truth)) {
      if (lists[0] === 'background') continue;
      const got = parsed.transactions[i]!;
      assert.deepEqual(
        { narration: got.narration.replace(/\s/g, ''), amount: got.amountPaise, date: got.date, type: got.type },
        { narration: printed[i]!.narration.replace(/\s/g, ''), amount: printed[i]!.amountPaise, date: printed[i]!.date, type: printed[i]!.type },
        `${lists.join('+')} row ${i}`,
      );
    }
    if (layout === 'sbi') for (const i of truth.salary!.indexes) assert.match(parsed.transactions[i]!.narration.replace(/\s/g, ''), /^BYTRANSFER-NEFT\/[A-Z]{4}N26\d{9}\/ZENITH/);
  });
}
