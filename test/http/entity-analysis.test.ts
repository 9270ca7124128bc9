/**
 * The entity flow's own cuts of the analysis:
 * - `predictors/`: Appendix C's six-month set. Its keys in order, month families equal to the
 *   session flow's indices 0–5, window figures worked out here from the statement's own rows over
 *   the six latest months only, and nulls where an account has fewer months;
 * - `get_expense_categories/`: one list for the entity, over all its accounts' debits.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENTITY_PREDICTOR_KEYS } from '../../src/analysis/entity-predictors.ts';
import { addDays, formatDayMonthShort, type CalendarDate } from '../../src/lib/calendar-date.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { body, buildTestApp, forEachStore, multipartPdf } from '../helper.ts';
import { statement } from '../statements/statement-fixtures.ts';

const NOW = new Date('2026-11-21T06:00:00Z');
const V1 = '/bank-connect/v1';
const rupees = (paise: number) => paise / 100;

forEachStore((kind) => {
  test('entity predictors: the six latest months, window figures over them only, the session flow\'s months, nulls beyond the data', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW, jobsStopped: true });
    const c = await app.client();
    const keys = { 'x-api-key': c.apiKey, 'server-hash': c.serverHash };
    const upload = async (linkId: string, file: Buffer) => {
      const m = multipartPdf({ link_id: linkId }, file);
      const res = await app.inject({ method: 'POST', url: `${V1}/statement/bankless_upload/`, headers: { 'x-api-key': c.apiKey, ...m.headers }, payload: m.payload });
      assert.equal(res.statusCode, 200, res.body);
      return body(res).entity_id as string;
    };
    // Ten months, January to October: the window is May to October.
    const long = statement('hdfc', { seed: 41, count: 200, from: '2026-01-01' as CalendarDate });
    const entityId = await upload('pred-1', await renderStatementPdf(long));
    assert.deepEqual(body(await app.inject({ method: 'GET', url: `${V1}/entity/${entityId}/predictors/`, headers: keys })).predictors, [], 'nothing while processing');
    await app.worker.drain();

    const out = body(await app.inject({ method: 'GET', url: `${V1}/entity/${entityId}/predictors/`, headers: keys }));
    assert.equal(out.predictors.length, 1);
    const p = out.predictors[0].predictors as Record<string, unknown>;
    assert.deepEqual(Object.keys(p), ENTITY_PREDICTOR_KEYS);
    assert.equal(Object.keys(p).length, 5 + 6 + 29 + 29 * 6);
    assert.deepEqual([p.month_0, p.month_5], ['Oct-26', 'May-26']);
    assert.equal(p.accountnumber, long.account.accountNumber);
    assert.equal(p.bank_name, 'hdfc');
    assert.equal(p.month_duration, 6);

    // Month by month, the session flow's own figures (its insights answer once the entity is concluded).
    assert.equal((await app.inject({ method: 'POST', url: `${V1}/session_data/${entityId}/initiate_processing/`, headers: keys })).statusCode, 202);
    await app.worker.drain();
    const session = body(await app.inject({ method: 'GET', url: `${V1}/session_data/${entityId}/insights/`, headers: keys })).accounts[0].data.predictors as Record<string, unknown>;
    for (const key of ENTITY_PREDICTOR_KEYS.filter((k) => /_[0-5]$/.test(k))) assert.deepEqual(p[key], session[key], key);

    // The window's figures, from the statement's rows from May on.
    const from = '2026-05-01' as CalendarDate;
    const rows = long.transactions.filter((r) => r.date >= from);
    const sum = (type: 'credit' | 'debit') => rows.filter((r) => r.type === type).reduce((s, r) => s + r.amountPaise, 0);
    assert.equal(p.credits, rupees(sum('credit')));
    assert.equal(p.debits, rupees(sum('debit')));
    assert.notEqual(p.credits, session.credits, "the session flow's total covers all ten months");
    const [first, last] = [rows[0]!.date, rows.at(-1)!.date];
    assert.deepEqual([p.start_date, p.end_date], [formatDayMonthShort(first), formatDayMonthShort(last)]);
    assert.notEqual(p.start_date, session.start_date);
    const days = (Date.parse(last) - Date.parse(first)) / 86_400_000 + 1;
    assert.equal(p.annualised_credit, rupees(Math.round((sum('credit') / days) * 365)));
    // Each day's closing balance from May 1st (April's last balance until May's first row) to the last row.
    const eod: number[] = [];
    let balance = long.transactions.filter((r) => r.date < from).at(-1)!.balancePaise;
    for (let day = from; day <= last; day = addDays(day, 1)) {
      for (const r of rows) if (r.date === day) balance = r.balancePaise;
      eod.push(balance);
    }
    assert.equal(p.avg_daily_closing_balance, rupees(Math.round(eod.reduce((s, v) => s + v, 0) / eod.length)));
    const closing = [0, 1, 2, 3, 4, 5].map((i) => p[`bal_last_${i}`] as number);
    assert.equal(p.avg_monthly_closing_balance, Math.round((closing.reduce((s, v) => s + v, 0) / 6) * 100) / 100);

    // Two months only: the months it lacks are null, and the window is what it has.
    const short = statement('sbi', { seed: 42, count: 30, from: '2026-09-01' as CalendarDate });
    const shortId = await upload('pred-2', await renderStatementPdf(short));
    await app.worker.drain();
    const q = body(await app.inject({ method: 'GET', url: `${V1}/entity/${shortId}/predictors/`, headers: keys })).predictors[0].predictors as Record<string, unknown>;
    assert.deepEqual([q.month_0, q.month_1, q.month_2, q.month_5], ['Oct-26', 'Sep-26', null, null]);
    assert.equal(q.month_duration, 2);
    assert.deepEqual([q.credits_2, q.avg_balance_5, q.balance_on_1st_3], [null, null, null]);
    assert.equal(q.credits, rupees(short.transactions.filter((r) => r.type === 'credit').reduce((s, r) => s + r.amountPaise, 0)));
  });

  test('entity expense categories: one list over every account\'s debits, or the one account of ?account_id=', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW, jobsStopped: true });
    const c = await app.client();
    const keys = { 'x-api-key': c.apiKey, 'server-hash': c.serverHash };
    const get = async (path: string) => body(await app.inject({ method: 'GET', url: `${V1}/entity/${path}`, headers: keys }));
    let entityId = '';
    for (const s of [statement('hdfc', { seed: 51, count: 80 }), statement('sbi', { seed: 52, count: 60 })]) {
      const m = multipartPdf({ link_id: 'spend-1' }, await renderStatementPdf(s));
      const res = await app.inject({ method: 'POST', url: `${V1}/statement/bankless_upload/`, headers: { 'x-api-key': c.apiKey, ...m.headers }, payload: m.payload });
      assert.equal(res.statusCode, 200, res.body);
      entityId = body(res).entity_id as string;
    }
    assert.deepEqual((await get(`${entityId}/get_expense_categories/`)).categories, [], 'nothing while processing');
    await app.worker.drain();

    type Category = { category: string; percentage: number };
    const all = (await get(`${entityId}/get_expense_categories/`)).categories as Category[];
    assert.ok(all.length > 1);
    assert.equal(all.reduce((n, x) => n + x.percentage, 0), 100);
    assert.ok(all.every((x) => Object.keys(x).sort().join() === 'category,percentage'), 'one list: no account_id');
    // Each account's own list weighs in by its debits: the entity's share of a category is
    // their weighted mean, within the rounding of whole percentages.
    const accounts = (await get(`${entityId}/accounts/`)).accounts as { account_id: string }[];
    const parts = await Promise.all(
      accounts.map(async ({ account_id }) => {
        const debits = ((await get(`${entityId}/transactions/?account_id=${account_id}`)).transactions as { transaction_type: string; amount: number }[])
          .filter((x) => x.transaction_type === 'debit')
          .reduce((s, x) => s + x.amount, 0);
        const categories = (await get(`${entityId}/get_expense_categories/?account_id=${account_id}`)).categories as Category[];
        assert.equal(categories.reduce((n, x) => n + x.percentage, 0), 100);
        return { debits, categories };
      }),
    );
    const total = parts.reduce((s, p) => s + p.debits, 0);
    for (const { category, percentage } of all) {
      const weighted = parts.reduce((s, p) => s + (p.categories.find((x) => x.category === category)?.percentage ?? 0) * p.debits, 0) / total;
      assert.ok(Math.abs(percentage - weighted) <= 1.5, `${category}: ${percentage} against ${weighted}`);
    }
  });
});
