/**
 * The console's analysis page in a real browser (Debian's Chromium driven by playwright-core)
 * against the real server (`dist/main.js` as a process): a statement with a planted salary, EMIs
 * and bounces is uploaded and processed, and the charts' tables and the transactions listed
 * behind a bar are checked against the insights document the data API gives. Screenshots at
 * 1440, 1024 and 360 px under test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { plantedStatement } from '../../src/samples/planted-activity.ts';
import { request, startServer, storeEnv } from '../process-helper.ts';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS, statementPdf } from './journey-fixtures.ts';
import { CONSOLE_PASSWORD, heading, signInThroughPage, until, uploadStatementPdf } from './console-fixtures.ts';

const ADMIN = 'console-analysis-test-token';
const PASSWORD = CONSOLE_PASSWORD;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `2026-05` → `May-2026`, the monthly analysis's key. */
const monthLabel = (key: string) => `${MONTHS[Number(key.slice(5, 7)) - 1]}-${key.slice(0, 4)}`;
/** `₹1,23,456.50` → 123456.5 */
const amountOf = (text: string) => Number(text.replace(/[^\d.-]/g, ''));

interface Tx {
  hash: string;
  date: string;
  amount: number;
  transaction_type: 'credit' | 'debit';
}

/** The listed transactions' hashes, once the listing titled `title` shows. */
async function listed(page: Page, title: RegExp): Promise<string[]> {
  const listing = page.locator('#chart-monthly .tx-listing');
  await listing.getByRole('heading', { level: 3, name: title }).waitFor({ timeout: 5_000 });
  return listing.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-hash') ?? ''));
}

test('the analysis page: charts, their tables and the transactions behind a bar, as the insights document says', { skip: !existsSync(CHROMIUM) && `${CHROMIUM} is missing (apt-get install -y chromium)`, timeout: 240_000 }, async (t) => {
  mkdirSync(SHOTS, { recursive: true });
  const server = await startServer(t, { ...(await storeEnv(t, 'pglite')), ADMIN_TOKEN: ADMIN });
  const admin = { authorization: `Bearer ${ADMIN}` };
  const client = await request(server, 'POST', '/admin/v1/clients', { json: { name: 'Acme Lending', enabled_modes: ['pdf'] }, headers: admin });
  assert.equal(client.status, 201, JSON.stringify(client.body));
  const { client_id: clientId, api_key: apiKey, server_hash: serverHash } = client.body as { client_id: string; api_key: string; server_hash: string };
  const user = await request(server, 'POST', `/admin/v1/clients/${clientId}/console-users`, { json: { email: 'analyst@acme.example', name: 'Arjun Analyst', role: 'analyst', password: PASSWORD }, headers: admin });
  assert.equal(user.status, 201, JSON.stringify(user.body));
  const keys = { 'x-api-key': apiKey, 'server-hash': serverHash };

  // A statement with a salary, two EMIs and three bounces (src/samples/planted-activity.ts), 1 Apr – 30 Sep 2026.
  const { statement, truth } = plantedStatement(11, 'hdfc', {});
  const pdf = await renderStatementPdf(statement);
  const created = await request(server, 'POST', '/bank-connect/v1/session/', { json: { link_id: 'analysis-borrower', from_date: '01/04/2026', to_date: '30/09/2026' }, headers: { 'x-api-key': apiKey } });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const sessionId = created.body.session_id as string;
  await uploadStatementPdf(server, apiKey, sessionId, pdf, 'hdfc');
  // A second account (another bank, no planted patterns): the page offers a choice of account.
  await uploadStatementPdf(server, apiKey, sessionId, (await statementPdf('sbi', '2026-04-01', '2026-09-30', { seed: 5 })).buffer, 'sbi');

  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-IN' });
  const pageErrors: string[] = [];
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => {
    pageErrors.push(`outside request: ${route.request().url()}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // The page expects the 400 of a session not processed yet; anything else (a CSP violation, a script error) is a bug.
  page.on('console', (m) => m.type() === 'error' && !/^Failed to load resource: .* status of 4\d\d/.test(m.text()) && pageErrors.push(m.text()));

  await signInThroughPage(page, server, 'analyst@acme.example');

  await t.test('before processing, the page says the session is not processed yet', async () => {
    await page.goto(`${server.url}/console/sessions/${sessionId}/analysis`);
    await heading(page, 'Analysis');
    await page.getByText('Not processed yet').waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('canvas').count(), 0);
  });

  const initiated = await request(server, 'POST', `/bank-connect/v1/session_data/${sessionId}/initiate_processing/`, { headers: keys });
  assert.equal(initiated.status, 202, JSON.stringify(initiated.body));
  await until('processing completes', async () => (await request(server, 'GET', `/bank-connect/v1/session_data/${sessionId}/progress/`, { headers: keys })).body?.session_progress === 'completed');
  const insights = await request(server, 'GET', `/bank-connect/v1/session_data/${sessionId}/insights/`, { headers: keys });
  assert.equal(insights.status, 200);
  type Data = {
    account_details: { bank: string; account_number: string };
    transactions: Tx[];
    salary_transactions: Tx[];
    lender_transactions: Tx[];
    monthly_analysis: Record<string, Record<string, number>>;
    expense_categories: { category: string; percentage: number }[];
  };
  const accounts = insights.body.accounts as { account_id: string; data: Data }[];
  assert.equal(accounts.length, 2);
  const hdfc = accounts.find((a) => a.data.account_details.bank === 'hdfc')!;
  const sbi = accounts.find((a) => a.data.account_details.bank === 'sbi')!;
  const data = hdfc.data;
  assert.equal(data.salary_transactions.length, truth.salary!.indexes.length, 'the planted salary is found');

  await t.test('the session page links to the analysis, which draws every chart', async () => {
    await page.goto(`${server.url}/console/sessions/${sessionId}`);
    await heading(page, 'analysis-borrower');
    await page.getByRole('link', { name: 'Analysis' }).click();
    await heading(page, 'Analysis');
    for (const name of ['Monthly credits and debits', 'End-of-day balance', 'Expense categories', 'Salary over time', 'Bounces per month']) {
      const section = page.getByRole('region', { name, exact: true });
      await section.waitFor({ timeout: 10_000 });
      await section.locator('canvas').first().waitFor();
      assert.equal(await section.getByRole('button', { name: 'Show as table' }).count(), 1, `${name} has a table`);
    }
    assert.equal(new URL(page.url()).pathname, `/console/sessions/${sessionId}/analysis`);
    // The account with the planted salary, chosen from the two.
    const account = page.getByRole('combobox', { name: 'Bank account' });
    assert.equal(await account.locator('option').count(), 2);
    await account.selectOption(hdfc.account_id);
    await page.locator('.analysis-account-name', { hasText: hdfc.data.account_details.account_number }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('account'), hdfc.account_id);
  });

  const months = Object.keys(data.monthly_analysis.amt_credit!);
  const monthKeys = [...new Set(data.transactions.map((tx) => tx.date.slice(0, 7)))].sort();

  await t.test('the monthly chart’s table gives the monthly analysis’s credits and debits', async () => {
    const card = page.locator('#chart-monthly');
    const toggle = card.locator('.chart-toggle');
    assert.equal(await toggle.textContent(), 'Show as table');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const table = card.getByRole('table', { name: /Monthly credits and debits/ });
    await table.waitFor();
    const rows = await table.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ month: tr.getAttribute('data-key') ?? '', cells: [...tr.querySelectorAll('th, td')].map((c) => c.textContent ?? '') })),
    );
    assert.deepEqual(rows.map((r) => r.month), monthKeys);
    assert.equal(rows.length, months.length);
    for (const row of rows) {
      const label = monthLabel(row.month);
      const [, credits, creditCount, debits, debitCount] = row.cells;
      assert.equal(amountOf(credits!), data.monthly_analysis.amt_credit![label], `credits of ${label}`);
      assert.equal(amountOf(debits!), data.monthly_analysis.amt_debit![label], `debits of ${label}`);
      assert.equal(amountOf(creditCount!), data.monthly_analysis.cnt_credit![label], `number of credits of ${label}`);
      assert.equal(amountOf(debitCount!), data.monthly_analysis.cnt_debit![label], `number of debits of ${label}`);
      assert.match(credits!, /^₹[\d,]+\.\d\d$/, 'rupees');
    }
    // Indian grouping: a lakh is written 1,00,000.
    const big = rows.map((r) => r.cells[1]!).find((c) => amountOf(c) >= 100_000);
    if (big) assert.match(big, /^₹\d{1,2},\d\d,\d{3}\.\d\d$/);
  });

  await t.test('Enter on a table row lists that month’s transactions', async () => {
    const month = monthKeys[1]!;
    const row = page.locator(`#chart-monthly tbody tr[data-key="${month}"]`);
    await row.focus();
    await page.keyboard.press('Enter');
    const hashes = await listed(page, /^Credits and debits in /);
    const expected = data.transactions.filter((tx) => tx.date.startsWith(month)).map((tx) => tx.hash);
    assert.deepEqual([...hashes].sort(), [...expected].sort());
    assert.equal(await row.getAttribute('aria-current'), 'true');
  });

  await t.test('clicking a month’s credits bar lists exactly that month’s credits', async () => {
    const index = 2;
    const month = monthKeys[index]!;
    await page.locator('#chart-monthly .u-over').scrollIntoViewIfNeeded();
    const over = await page.locator('#chart-monthly .u-over').boundingBox();
    assert.ok(over);
    // Credits are the left bar of each month, debits the right.
    await page.mouse.click(over.x + ((index + 0.5) / monthKeys.length) * over.width - 8, over.y + over.height - 4);
    const hashes = await listed(page, /^Credits in /);
    const credits = data.transactions.filter((tx) => tx.date.startsWith(month) && tx.transaction_type === 'credit');
    assert.deepEqual([...hashes].sort(), credits.map((tx) => tx.hash).sort());
    const total = Math.round(credits.reduce((s, tx) => s + tx.amount, 0) * 100) / 100;
    assert.equal(total, data.monthly_analysis.amt_credit![monthLabel(month)]);
    const amounts = await page.locator('#chart-monthly .tx-listing tbody td[data-label="Amount"]').allTextContents();
    assert.ok(amounts.every((a) => a.startsWith('+₹')), 'credits only');

    // The listing may have scrolled the page: where the chart is now.
    await page.locator('#chart-monthly .u-over').scrollIntoViewIfNeeded();
    const again = (await page.locator('#chart-monthly .u-over').boundingBox())!;
    await page.mouse.click(again.x + ((index + 0.5) / monthKeys.length) * again.width + 8, again.y + again.height - 4);
    const debits = await listed(page, /^Debits in /);
    assert.deepEqual([...debits].sort(), data.transactions.filter((tx) => tx.date.startsWith(month) && tx.transaction_type === 'debit').map((tx) => tx.hash).sort());
  });

  await t.test('the chart itself is operable with the keyboard', async () => {
    await page.locator('#chart-monthly .chart-plot').focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    const hashes = await listed(page, /^Credits and debits in /);
    const last = monthKeys.at(-1)!;
    assert.deepEqual([...hashes].sort(), data.transactions.filter((tx) => tx.date.startsWith(last)).map((tx) => tx.hash).sort());
    assert.match((await page.locator('#chart-monthly .chart-readout').textContent()) ?? '', /credits ₹/);
  });

  await t.test('the other charts’ tables: salary, EMIs, categories', async () => {
    const legend = (await page.locator('#chart-eod .chart-legend').textContent()) ?? '';
    assert.match(legend, new RegExp(`Salary credited \\(triangle, ${data.salary_transactions.length}\\)`));
    assert.match(legend, new RegExp(`EMI paid \\(diamond, ${data.lender_transactions.filter((tx) => tx.transaction_type === 'debit').length}\\)`));

    await page.locator('#chart-categories').getByRole('button', { name: 'Show as table' }).click();
    const categories = await page.locator('#chart-categories tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-key'), tr.querySelector('td')?.textContent]));
    assert.deepEqual(categories, data.expense_categories.map((c) => [c.category, `${c.percentage}%`]));

    await page.locator('#chart-salary').getByRole('button', { name: 'Show as table' }).click();
    const salary = await page.locator('#chart-salary tbody td[data-label="Salary"]').allTextContents();
    const paid = salary.filter((s) => s.startsWith('₹')).map(amountOf);
    assert.equal(Math.round(paid.reduce((a, b) => a + b, 0) * 100), Math.round(data.salary_transactions.reduce((a, tx) => a + tx.amount, 0) * 100));

    await page.locator('#chart-bounces').getByRole('button', { name: 'Show as table' }).click();
    const bounceRows = await page.locator('#chart-bounces tbody tr').count();
    assert.ok(bounceRows >= monthKeys.length);
    // Hide them again for the screenshots: the charts are what a person looks at first.
    for (const id of ['chart-categories', 'chart-salary', 'chart-bounces']) await page.locator(`#${id}`).getByRole('button', { name: 'Hide table' }).click();
  });

  await t.test('another account: its own figures', async () => {
    await page.getByRole('combobox', { name: 'Bank account' }).selectOption(sbi.account_id);
    await page.locator('.analysis-account-name', { hasText: sbi.data.account_details.account_number }).waitFor();
    await page.locator('#chart-monthly .chart-toggle').click();
    const rows = await page.locator('#chart-monthly tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-key') ?? '', tr.querySelectorAll('td')[0]?.textContent ?? '']));
    assert.ok(rows.length > 0);
    for (const [month, credits] of rows) assert.equal(amountOf(credits!), sbi.data.monthly_analysis.amt_credit![monthLabel(month!)], `SBI credits of ${month}`);
    await page.getByRole('combobox', { name: 'Bank account' }).selectOption(hdfc.account_id);
    await page.locator('.analysis-account-name', { hasText: hdfc.data.account_details.account_number }).waitFor();
  });

  await t.test('screenshots at 1440, 1024 and 360 px, nothing wider than the window', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'console-analysis-1440.png'), fullPage: true });
    for (const [width, height, name] of [
      [1024, 768, 'console-analysis-1024.png'],
      [360, 780, 'console-analysis-360.png'],
    ] as const) {
      await page.setViewportSize({ width, height });
      // The charts follow their containers' width (ResizeObserver, then a frame).
      await page.waitForFunction((w) => {
        const host = document.querySelector('#chart-monthly .chart-host');
        const canvas = host?.querySelector('canvas');
        return !!host && !!canvas && Math.abs(canvas.getBoundingClientRect().width - host.getBoundingClientRect().width) < 2 && document.documentElement.clientWidth === w;
      }, width);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, `nothing scrolls sideways at ${width} px`);
      await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
    }
    assert.deepEqual(pageErrors, []);
  });
});
