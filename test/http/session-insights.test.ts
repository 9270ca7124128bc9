/**
 * Enrichment and analysis through the API (issue 11), on both stores: a statement with planted
 * salary, EMIs, bounces, self and sister transfers is uploaded, processed, and read back from
 * insights/ and each per-topic endpoint exactly as planted; the Excel report is served through
 * signed one-hour links; a session is analysed again on request; a tampered file is caught at
 * upload and its finding explained in the fraud block. Every response is checked against its
 * route's schema (checkResponses in test/helper.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { formatMonthLong } from '../../src/lib/calendar-date.ts';
import { plantedStatement } from '../../src/samples/planted-activity.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { ADMIN_TOKEN, body, buildTestApp, forEachStore, multipartPdf, type StoreKind, type TestAppOptions } from '../helper.ts';
import type { TestContext } from 'node:test';

const NOW = new Date('2026-10-05T06:00:00Z');
const SISTER = 'PATIL AGRO INDUSTRIES PVT LTD';

async function setup(t: TestContext, kind: StoreKind, options: TestAppOptions = {}) {
  let now = NOW;
  const app = await buildTestApp(t, kind, { now: () => now, ...options });
  const c = await app.client();
  const keys = { 'x-api-key': c.apiKey, 'server-hash': c.serverHash };
  const api = (method: 'GET' | 'POST', sid: string, what: string) => app.inject({ method, url: `/bank-connect/v1/session_data/${sid}/${what}/`, headers: keys });
  const newSession = async (metadata: Record<string, string[]> = {}) =>
    body(
      await app.inject({
        method: 'POST',
        url: '/bank-connect/v1/session/',
        headers: { 'x-api-key': c.apiKey },
        payload: { link_id: 'u', from_date: '01/04/2026', to_date: '30/09/2026', metadata },
      }),
    ).session_id as string;
  const upload = (sid: string, pdf: Buffer) => {
    const m = multipartPdf({ session_id: sid, upload_type: 'PDF' }, pdf);
    return app.inject({ method: 'POST', url: '/bank-connect/v1/statement/upload_session/', headers: { 'x-api-key': c.apiKey, ...m.headers }, payload: m.payload });
  };
  const processed = async (sid: string) => {
    assert.equal((await api('POST', sid, 'initiate_processing')).statusCode, 202);
    let progress = body(await api('GET', sid, 'progress'));
    for (let i = 0; progress.session_progress !== 'completed' && i < 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      progress = body(await api('GET', sid, 'progress'));
    }
    assert.equal(progress.session_progress, 'completed');
  };
  return { app, api, newSession, upload, processed, setNow: (d: Date) => (now = d) };
}

forEachStore((kind) => {
  test('planted salary, EMIs, bounces and transfers come back from insights and every topic endpoint', async (t) => {
    const { app, api, newSession, upload, processed, setNow } = await setup(t, kind);
    const { statement, truth } = plantedStatement(11, 'hdfc', {});
    const sid = await newSession({ companies_for_self_transfer: [SISTER] });

    // Before processing, the topic endpoints answer as insights/ does.
    for (const topic of ['salary', 'predictors', 'xlsx_report', 'identity']) {
      assert.equal(body(await api('GET', sid, topic)).error.code, 'PROCESSING_NOT_REQUESTED', topic);
    }
    const uploaded = await upload(sid, await renderStatementPdf(statement));
    assert.equal(uploaded.statusCode, 200, uploaded.body);
    assert.equal(body(uploaded).is_fraud, false, 'a clean generated statement raises nothing');
    assert.equal(body(uploaded).fraud_type, null);
    await processed(sid);

    const insights = body(await api('GET', sid, 'insights'));
    assert.match(insights.enrichment_version, /^\d{4}\.\d+\.\d+/);
    const data = insights.accounts[0].data;
    const txns: Record<string, any>[] = data.transactions;
    assert.equal(txns.length, statement.transactions.length);
    const indexOf = new Map(txns.map((x, i) => [x.hash, i]));
    const indexes = (list: { hash: string }[]) => list.map((x) => indexOf.get(x.hash)!).sort((a, b) => a - b);
    const sorted = (list: number[]) => [...list].sort((a, b) => a - b);

    assert.deepEqual(indexes(data.salary_transactions), truth.salary!.indexes);
    assert.deepEqual(data.salary_transactions.map((s: any) => s.salary_month), truth.salary!.months.map(formatMonthLong));
    assert.ok(data.salary_transactions.every((s: any) => s.employer_name && truth.salary!.employer.includes(s.employer_name)), 'employer named');
    for (const i of truth.salary!.indexes) assert.equal(txns[i]!.metadata.transaction_channel, 'salary');
    // The late month comes late by the planted days (the usual day is the median, within ±2 of
    // the due day), and the raise is the one change.
    const lateIndex = truth.salary!.indexes[truth.salary!.months.indexOf(truth.salary!.lateMonth!)]!;
    const latest = [...data.salary_events.delays].sort((a: any, b: any) => b.days_late - a.days_late)[0];
    assert.equal(indexOf.get(latest.hash), lateIndex);
    assert.ok(Math.abs(latest.days_late - truth.salary!.lateByDays) <= 2, `${latest.days_late} days late`);
    const raise = data.salary_events.changes.find((c: any) => c.salary_month === formatMonthLong(truth.salary!.raiseMonth!));
    assert.ok(raise, JSON.stringify(data.salary_events.changes));
    assert.equal(raise.amount, Math.max(...truth.salary!.amountsPaise) / 100);

    const emiIndexes = truth.emis.flatMap((e) => e.indexes);
    assert.deepEqual(indexes(data.lender_transactions), sorted([...emiIndexes, ...truth.disbursals.map((d) => d.index)]));
    assert.deepEqual(indexes(data.self_and_sister_transactions), sorted([...truth.selfTransfers, ...truth.sisterTransfers]));
    assert.deepEqual(indexes(data.bounced_or_penal_transactions), sorted(truth.bounces.flatMap((b) => [b.returnIndex, b.chargeIndex])));
    // Each return linked to the item it bounced and to its charge.
    const links = data.bounce_links.map((l: any) => [indexOf.get(l.bounce_hash), l.bounced_hash && indexOf.get(l.bounced_hash), l.charge_hash && indexOf.get(l.charge_hash)]);
    assert.deepEqual(
      links.sort((a: number[], b: number[]) => a[0]! - b[0]!),
      truth.bounces.map((b) => [b.returnIndex, b.bouncedIndex, b.chargeIndex]).sort((a, b) => a[0]! - b[0]!),
    );
    // Each EMI is a monthly recurring debit set.
    for (const emi of truth.emis) {
      const set = data.recurring_transactions.debit_transactions.find((s: any) => s.transactions.some((x: any) => indexOf.get(x.hash) === emi.indexes[0]));
      assert.ok(set, `a recurring set holds ${emi.lender}'s EMIs`);
      assert.equal(set.median, emi.amountPaise / 100);
    }
    // Balances: the EOD balance of a transaction's day is the day's last printed balance.
    const last = statement.transactions.at(-1)!;
    const eod = data.eod_balances;
    assert.equal(eod.Months_order.length, 6);
    const lastMonth: (number | null)[] = eod[eod.Months_order.at(-1)];
    assert.equal(lastMonth.findLast((b) => b !== null), last.balancePaise / 100, 'the last day closes at the last balance');
    assert.equal(eod.starting_balance, statement.openingBalancePaise / 100);
    // Monthly analysis and predictors: every month present, money in rupees.
    const credits = data.monthly_analysis.amt_credit;
    const april = statement.transactions.filter((x) => x.date.startsWith('2026-04') && x.type === 'credit').reduce((s, x) => s + x.amountPaise, 0);
    assert.equal(credits['Apr-2026'], april / 100);
    assert.ok(Object.keys(data.predictors).length > 1000, 'every predictor key present');
    assert.equal(data.expense_categories.reduce((sum: number, e: { percentage: number }) => sum + e.percentage, 0), 100);
    assert.equal(data.score, null);
    assert.deepEqual(data.fraud, []);

    // Each topic endpoint answers its part of insights/, unchanged.
    const topics: [string, string[]][] = [
      ['transactions', ['transactions']],
      ['salary', ['salary_transactions', 'salary_events']],
      ['recurring_transactions', ['recurring_transactions']],
      ['lender_transactions', ['lender_transactions']],
      ['expense_categories', ['expense_categories']],
      ['top_credits_debits', ['top_credits_debits']],
      ['monthly_analysis_updated', ['monthly_analysis']],
      ['eod_balances', ['eod_balances']],
      ['predictors', ['predictors']],
      ['score', ['score']],
      ['fraud', ['fraud', 'fraud_details']],
    ];
    for (const [topic, keys] of topics) {
      const res = await api('GET', sid, topic);
      assert.equal(res.statusCode, 200, topic);
      const part = body(res);
      assert.equal(part.session_id, sid);
      for (const key of keys) assert.deepEqual(part.accounts[0].data[key], data[key], `${topic}: ${key}`);
    }
    const identity = body(await api('GET', sid, 'identity'));
    assert.equal(identity.accounts[0].account_number, statement.account.accountNumber);

    // The Excel report: a signed link, the workbook behind it, refused once expired or forged.
    const reports = body(await api('GET', sid, 'xlsx_report'));
    assert.equal(reports.reports[0].account_id, insights.accounts[0].account_id);
    const link = new URL(reports.reports[0].link);
    const download = await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    assert.equal(download.statusCode, 200);
    assert.match(String(download.headers['content-disposition']), /\.xlsx"$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(download.rawPayload as unknown as ExcelJS.Buffer);
    const names = workbook.worksheets.map((w) => w.name);
    for (const sheet of ['Summary', 'Transactions', 'Monthly Analysis', 'Salary']) assert.ok(names.includes(sheet), `${sheet} in ${names.join(', ')}`);
    assert.equal(workbook.getWorksheet('Transactions')!.actualRowCount, statement.transactions.length + 1);
    assert.ok(insights.aggregate_xlsx_report_url, 'the session report link');
    const whole = new URL(insights.aggregate_xlsx_report_url);
    assert.equal((await app.inject({ method: 'GET', url: `${whole.pathname}${whole.search}` })).statusCode, 200);
    const forged = await app.inject({ method: 'GET', url: `${link.pathname}?expires=${link.searchParams.get('expires')}&signature=${'0'.repeat(64)}` });
    assert.equal(forged.statusCode, 403);
    setNow(new Date(NOW.getTime() + 2 * 3600_000));
    assert.equal((await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` })).statusCode, 403, 'links expire in an hour');
    setNow(NOW);

    // Analysed again on request: same figures, same hashes (the rules did not change).
    const again = await app.inject({ method: 'POST', url: `/admin/v1/sessions/${sid}/reanalyse`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(body(again).enrichment_version, insights.enrichment_version);
    assert.deepEqual(body(await api('GET', sid, 'salary')).accounts[0].data.salary_transactions, data.salary_transactions);
    // A lender's own rules (ENRICHMENT_RULES_FILE) on a server sharing the store: reanalysing
    // labels the rent its way, under a new enrichment version; the other findings stay.
    const dir = mkdtempSync(path.join(tmpdir(), 'passbook-rules-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const rulesFile = path.join(dir, 'rules.json');
    writeFileSync(rulesFile, JSON.stringify({ version: 'acme-1', rules: [{ id: 'acme-rent', pattern: truth.rent!.landlord, flags: 'i', side: 'debit', channel: 'upi', description: '', merchant_category: '', category: 'Rent' }] }));
    const lenderApp = await buildTestApp(t, kind, { db: app.db, now: () => NOW, enrichmentRulesFile: rulesFile });
    const redone = await lenderApp.inject({ method: 'POST', url: `/admin/v1/sessions/${sid}/reanalyse`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(redone.statusCode, 200, redone.body);
    assert.match(body(redone).enrichment_version, new RegExp(`^${insights.enrichment_version.replaceAll('.', '\\.')}\\+[0-9a-f]{8}$`));
    const relabelled = body(await api('GET', sid, 'transactions')).accounts[0].data.transactions;
    for (const i of truth.rent!.indexes) assert.equal(relabelled[i].category, 'Rent');
    assert.equal(relabelled[truth.rent!.indexes[0]!].metadata.rule_id, 'acme-rent');
    assert.deepEqual(body(await api('GET', sid, 'salary')).accounts[0].data.salary_transactions, data.salary_transactions);

    const unknown = await app.inject({ method: 'POST', url: `/admin/v1/sessions/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/reanalyse`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(body(unknown).error.code, 'SESSION_NOT_FOUND');
  });

  test('a re-saved file from an editing tool is caught at upload and explained in the fraud block', async (t) => {
    const { api, newSession, upload, processed } = await setup(t, kind);
    const { statement } = plantedStatement(5, 'sbi', {});
    const clean = (await renderStatementPdf(statement)).toString('latin1');
    // What an online editor leaves: its name as the producer (as long as the generator's, so the
    // cross-reference offsets stay right).
    const tampered = Buffer.from(clean.replace('Passbook sample generator', 'iLovePDF Online Editor v1'), 'latin1');
    const sid = await newSession();
    const res = await upload(sid, tampered);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(body(res).is_fraud, true);
    assert.equal(typeof body(res).fraud_type, 'string');
    await processed(sid);
    const fraud = body(await api('GET', sid, 'fraud')).accounts[0].data.fraud;
    assert.ok(fraud.length >= 1);
    const finding = fraud[0];
    assert.equal(finding.fraud_category, 'metadata');
    assert.equal(finding.statement_id, body(res).statement_id);
    assert.match(finding.reason, /iLovePDF/);
    assert.ok(finding.evidence.some((e: any) => e.kind === 'metadata' && /iLovePDF/.test(e.value ?? '')));
  });
});
