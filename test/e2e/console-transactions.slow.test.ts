/**
 * The console's transactions page and statement viewer in a real browser (Debian's Chromium
 * driven by playwright-core) against the real server (`dist/main.js` as a process): a generated
 * statement, one of its balances altered so that the fraud checks point at two rows, is uploaded
 * and processed; the table is checked against the insights document, filtered, and the viewer
 * opened from the keyboard: the outlined box must be the row's bbox on the page pdf.js drew, and
 * the text pdf.js lays over the page inside that box must be the row's. Screenshots at 1440 and
 * 1024 px under test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { sampleAccount, sampleTransactions } from '../../src/samples/sample-transactions.ts';
import { request, startServer, storeEnv } from '../process-helper.ts';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS } from './journey-fixtures.ts';
import { CONSOLE_PASSWORD, heading, signInThroughPage, until, uploadStatementPdf } from './console-fixtures.ts';

const ADMIN = 'console-transactions-test-token';
const PASSWORD = CONSOLE_PASSWORD;

interface Tx {
  hash: string;
  date: string;
  amount: number;
  transaction_type: 'credit' | 'debit';
  transaction_note: string;
  category: string;
  metadata: { unclean_merchant: string | null; transaction_channel: string; clean_transaction_note: string; description: string; counterparty: { name: string | null; upi_handle: string | null } };
  statement_id: string;
  page: number;
  bbox: [number, number, number, number];
}

interface Fraud {
  fraud_type: string;
  evidence: ({ kind: 'box'; page: number; bbox: [number, number, number, number]; transaction_hash: string | null } | { kind: 'metadata' })[];
}

/** The search's own reading (console/src/viewer/transactions-data.ts): every word somewhere in the note, merchant or counterparty. */
function matches(tx: Tx, q: string): boolean {
  const m = tx.metadata;
  const haystack = [tx.transaction_note, m.unclean_merchant ?? m.counterparty?.name, m.clean_transaction_note, m.counterparty?.upi_handle, m.description].filter(Boolean).join('\n').toLowerCase();
  return q.toLowerCase().split(/\s+/).filter(Boolean).every((w) => haystack.includes(w));
}

interface BoxCheck {
  /** The outlined box, back in PDF points through the scale the page was drawn at. */
  bbox: [number, number, number, number];
  scale: number;
  /** The text pdf.js laid over the page whose middle is inside the box, in reading order. */
  text: string;
  pageShown: string;
}

/** Reads the viewer's outlined box once the page is drawn: where it is on the canvas, and what text lies inside it. */
async function readBox(page: Page): Promise<BoxCheck> {
  const box = page.getByTestId('viewer-box');
  await box.waitFor({ state: 'visible', timeout: 20_000 });
  return page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('[data-testid="viewer-box"]')!;
    const canvas = document.querySelector<HTMLCanvasElement>('.viewer-sheet:not(.is-pending) .viewer-canvas')!;
    const scale = Number(el.dataset.scale);
    const b = el.getBoundingClientRect();
    const c = canvas.getBoundingClientRect();
    const spans = [...document.querySelectorAll<HTMLElement>('.viewer-sheet .textLayer span')].filter((s) => {
      const r = s.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      return r.width > 0 && x >= b.left && x <= b.right && y >= b.top && y <= b.bottom;
    });
    return {
      bbox: [(b.left - c.left) / scale, (b.top - c.top) / scale, (b.right - c.left) / scale, (b.bottom - c.top) / scale] as [number, number, number, number],
      scale,
      text: spans.map((s) => s.textContent ?? '').join(' '),
      pageShown: document.querySelector('.viewer-sub')?.textContent ?? '',
    };
  });
}

function assertBox(check: BoxCheck, bbox: [number, number, number, number], what: string): void {
  for (let i = 0; i < 4; i++) {
    // Within one CSS pixel of the bbox, drawn at `scale` pixels a point.
    assert.ok(Math.abs(check.bbox[i]! - bbox[i]!) * check.scale <= 1, `${what}: the box ${JSON.stringify(check.bbox)} is the bbox ${JSON.stringify(bbox)} (scale ${check.scale})`);
  }
}

function assertRowText(check: BoxCheck, tx: Tx, what: string): void {
  const digits = check.text.replace(/,/g, '');
  assert.ok(digits.includes(tx.amount.toFixed(2)), `${what}: the amount ${tx.amount.toFixed(2)} is printed inside the box (${check.text})`);
  const word = tx.transaction_note.split(/[^A-Za-z0-9]+/).find((w) => w.length >= 3)!;
  assert.ok(check.text.includes(word), `${what}: the narration's "${word}" is printed inside the box (${check.text})`);
}

test('the transactions page and the statement viewer', { skip: !existsSync(CHROMIUM) && `${CHROMIUM} is missing (apt-get install -y chromium)`, timeout: 240_000 }, async (t) => {
  mkdirSync(SHOTS, { recursive: true });
  const server = await startServer(t, { ...(await storeEnv(t, 'pglite')), ADMIN_TOKEN: ADMIN });
  const admin = { authorization: `Bearer ${ADMIN}` };
  const client = await request(server, 'POST', '/admin/v1/clients', { json: { name: 'Acme Lending', enabled_modes: ['pdf'] }, headers: admin });
  assert.equal(client.status, 201, JSON.stringify(client.body));
  const { client_id: clientId, api_key: apiKey, server_hash: serverHash } = client.body as { client_id: string; api_key: string; server_hash: string };
  const user = await request(server, 'POST', `/admin/v1/clients/${clientId}/console-users`, { json: { email: 'analyst@acme.example', name: 'Arjun Analyst', role: 'analyst', password: PASSWORD }, headers: admin });
  assert.equal(user.status, 201, JSON.stringify(user.body));
  const keys = { 'x-api-key': apiKey, 'server-hash': serverHash };

  // 150 rows over several pages; one balance altered, so that the balance checks name that row and the next.
  const range = { from: '2026-05-01' as CalendarDate, to: '2026-10-31' as CalendarDate };
  const opening = 40_000_00;
  const transactions = sampleTransactions({ seed: 21, ...range, count: 150, openingBalancePaise: opening });
  transactions[40]!.balancePaise += 5_000_00;
  const pdf = await renderStatementPdf({ layout: 'hdfc', account: sampleAccount(21, 'HDFC'), ...range, openingBalancePaise: opening, transactions });
  const created = await request(server, 'POST', '/bank-connect/v1/session/', { json: { link_id: 'txn-borrower', from_date: '01/05/2026', to_date: '31/10/2026' }, headers: { 'x-api-key': apiKey } });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const sessionId = created.body.session_id as string;
  const statementId = await uploadStatementPdf(server, apiKey, sessionId, pdf);

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
  // The 401 of /me before signing in and the 400 of a session not processed yet are expected; anything else (a CSP violation, a script error) is a bug.
  page.on('console', (m) => m.type() === 'error' && !/^Failed to load resource: .* status of 40[01]/.test(m.text()) && pageErrors.push(m.text()));
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));

  await signInThroughPage(page, server, 'analyst@acme.example');

  await t.test('before processing, the page says the session is not processed yet', async () => {
    await page.goto(`${server.url}/console/sessions/${sessionId}/transactions`);
    await heading(page, 'Transactions');
    await page.getByText('Not processed yet').waitFor({ timeout: 10_000 });
    assert.equal(await page.getByRole('grid').count(), 0);
  });

  const initiated = await request(server, 'POST', `/bank-connect/v1/session_data/${sessionId}/initiate_processing/`, { headers: keys });
  assert.equal(initiated.status, 202, JSON.stringify(initiated.body));
  await until('processing completes', async () => (await request(server, 'GET', `/bank-connect/v1/session_data/${sessionId}/progress/`, { headers: keys })).body?.session_progress === 'completed');
  const insights = await request(server, 'GET', `/bank-connect/v1/session_data/${sessionId}/insights/`, { headers: keys });
  assert.equal(insights.status, 200);
  const data = insights.body.accounts[0].data as { transactions: Tx[]; fraud: Fraud[] };
  const all = data.transactions;
  assert.ok(all.length >= 140, `the statement's rows are read (${all.length})`);
  assert.ok(new Set(all.map((tx) => tx.page)).size >= 3, 'over several pages');
  const boxed = data.fraud.filter((f) => f.evidence.some((e) => e.kind === 'box'));
  assert.ok(boxed.length > 0, `the altered balance is a fraud finding with a box: ${JSON.stringify(data.fraud.map((f) => f.fraud_type))}`);

  const grid = page.getByRole('grid', { name: /^Transactions/ });
  const count = page.locator('.txn-count');

  await t.test('the session page links to the transactions; the count and the virtualised table', async () => {
    await page.goto(`${server.url}/console/sessions/${sessionId}`);
    await heading(page, 'txn-borrower');
    await page.getByRole('link', { name: 'Transactions', exact: true }).click();
    await heading(page, 'Transactions');
    await grid.waitFor();
    assert.equal(new URL(page.url()).pathname, `/console/sessions/${sessionId}/transactions`);
    assert.equal((await count.textContent())?.trim(), `${all.length} of ${all.length} transactions`);
    assert.equal(await grid.getAttribute('aria-rowcount'), String(all.length + 1));
    const rendered = await grid.locator('.txn-row').count();
    assert.ok(rendered > 5 && rendered < all.length, `only the rows in view are rendered (${rendered} of ${all.length})`);
    // The first rows are the insights' first rows, with their page.
    const first = await grid.locator('.txn-row[aria-rowindex="2"] [role="gridcell"]').allTextContents();
    assert.equal(first[1]!.replace(/^⚠Fraud finding: /, ''), all[0]!.transaction_note);
    assert.equal(first[7], String(all[0]!.page));
    // The table scrolls with the window, its header stuck under the top bar.
    await page.evaluate(() => window.scrollTo(0, 2000));
    await page.waitForTimeout(100);
    const header = await page.locator('.txn-head').boundingBox();
    const bar = await page.locator('.topbar').boundingBox();
    assert.ok(header && bar && Math.abs(header.y - (bar.y + bar.height)) <= 1, `the header is sticky (${header?.y})`);
    const shown = await grid.locator('.txn-row').evaluateAll((trs) => trs.filter((tr) => {
      const r = tr.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight;
    }).length);
    assert.ok(shown >= 20, `rows fill the window (${shown})`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, 'nothing wider than the window');
    await page.screenshot({ path: path.join(SHOTS, 'console-transactions-1440.png') });
  });

  // A word of a narration that is in some rows and not in all.
  const words = all.flatMap((tx) => tx.transaction_note.split(/\s+/)).filter((w) => /^[A-Z]{5,}$/.test(w));
  const q = words.find((w) => {
    const n = all.filter((tx) => matches(tx, w)).length;
    return n >= 3 && n <= all.length / 3;
  })!;
  const expected = all.filter((tx) => matches(tx, q));

  await t.test('filtering by text: the count, the rows and the URL', async () => {
    assert.ok(q, 'a word to search');
    await page.getByLabel('Search').fill(q.toLowerCase());
    await until('the filter applies', async () => (await count.textContent())?.trim() === `${expected.length} of ${all.length} transactions match the filters`, 5_000);
    assert.equal(new URL(page.url()).searchParams.get('q'), q.toLowerCase());
    assert.equal(await grid.getAttribute('aria-rowcount'), String(expected.length + 1));
    const notes = await grid.locator('.txn-row').evaluateAll((rows) =>
      rows.sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex'))).map((r) => r.querySelector('.col-note')?.textContent ?? ''),
    );
    assert.deepEqual(
      notes.map((n) => n.replace(/^⚠Fraud finding: /, '')),
      expected.slice(0, notes.length).map((tx) => tx.transaction_note),
    );
    // A reload keeps the filter.
    await page.reload();
    await grid.waitFor();
    assert.equal((await count.textContent())?.trim(), `${expected.length} of ${all.length} transactions match the filters`);
    assert.equal(await page.getByLabel('Search').inputValue(), q.toLowerCase());
  });

  await t.test('filtering by type, amount, channel and date; clearing', async () => {
    const filtered = async (label: string, want: Tx[]) => {
      await until(label, async () => (await count.textContent())?.trim() === `${want.length} of ${all.length} transactions match the filters`, 5_000);
    };
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await until('cleared', async () => (await count.textContent())?.trim() === `${all.length} of ${all.length} transactions`, 5_000);
    await page.getByLabel('Debit or credit').selectOption('credit');
    await page.getByLabel('Min amount (₹)').fill('10000');
    await filtered('credits of ₹10,000 and more', all.filter((tx) => tx.transaction_type === 'credit' && tx.amount >= 10000));
    assert.equal(new URL(page.url()).searchParams.get('type'), 'credit');
    assert.equal(new URL(page.url()).searchParams.get('min'), '10000');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    const channel = all[0]!.metadata.transaction_channel;
    await page.locator('#txn-channel').selectOption(channel);
    await page.getByLabel('Date from').fill('2026-06-01');
    await page.getByLabel('Date to').fill('2026-07-31');
    await filtered(`${channel} in June and July`, all.filter((tx) => tx.metadata.transaction_channel === channel && tx.date.slice(0, 10) >= '2026-06-01' && tx.date.slice(0, 10) <= '2026-07-31'));
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await until('cleared', async () => (await count.textContent())?.trim() === `${all.length} of ${all.length} transactions`, 5_000);
    await page.getByLabel('Search').fill(q.toLowerCase());
    await filtered('the text again', expected);
  });

  await t.test('the keyboard opens the viewer on the page of the row, its box outlined; J moves to the next', async () => {
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('k');
    assert.equal(await grid.locator('[role="row"][aria-selected="true"]').count(), 1);
    assert.equal(await grid.locator('[role="row"][aria-selected="true"]').getAttribute('aria-rowindex'), '2', 'the first row is selected');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await heading(page, `Transaction 1 of ${expected.length}`, 2);

    const first = expected[0]!;
    const one = await readBox(page);
    assert.match(one.pageShown, new RegExp(`page ${first.page} of \\d+`));
    assertBox(one, first.bbox, 'the first row');
    assertRowText(one, first, 'the first row');
    assert.ok(workers.some((w) => /\/console\/assets\/pdf-worker-[A-Z0-9]+\.js$/.test(w)), `pdf.js's worker comes from this server: ${workers.join(', ')}`);

    await page.keyboard.press('j');
    await heading(page, `Transaction 2 of ${expected.length}`, 2);
    const second = expected[1]!;
    await until('the box moves', async () => {
      const b = await readBox(page);
      return Math.abs(b.bbox[1] - second.bbox[1]) * b.scale <= 1 || second.page !== first.page;
    }, 10_000);
    const two = await readBox(page);
    assert.match(two.pageShown, new RegExp(`page ${second.page} of \\d+`));
    assertBox(two, second.bbox, 'the next row');
    assertRowText(two, second, 'the next row');
    await dialog.getByText(second.transaction_note, { exact: true }).first().waitFor();

    // The buttons do the same.
    await dialog.getByRole('button', { name: 'Previous' }).click();
    await heading(page, `Transaction 1 of ${expected.length}`, 2);
    await dialog.getByRole('button', { name: 'Next' }).click();
    await heading(page, `Transaction 2 of ${expected.length}`, 2);
    await readBox(page);
    await page.screenshot({ path: path.join(SHOTS, 'console-viewer-1440.png') });

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'grid', 'the focus is back on the table');
    assert.equal(await grid.locator('[role="row"][aria-selected="true"]').getAttribute('aria-rowindex'), '3', 'on the row the viewer showed');
  });

  await t.test('a fraud finding opens the viewer at its box', async () => {
    await page.goto(`${server.url}/console/sessions/${sessionId}/transactions`);
    await grid.waitFor();
    const strip = page.getByRole('region', { name: /Fraud findings/ });
    await strip.waitFor();
    const finding = boxed[0]!;
    const evidence = finding.evidence.find((e) => e.kind === 'box') as Extract<Fraud['evidence'][number], { kind: 'box' }>;
    await strip.getByRole('button', { name: new RegExp(`^Show on page ${evidence.page}: `) }).first().click();
    await heading(page, /^Fraud finding: /, 2);
    const check = await readBox(page);
    assert.match(check.pageShown, new RegExp(`page ${evidence.page} of \\d+`));
    assertBox(check, evidence.bbox, 'the evidence');
    const row = all.find((tx) => tx.hash === evidence.transaction_hash);
    if (row) assertRowText(check, row, 'the evidence row');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
  });

  await t.test('at 1,024 px', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(`${server.url}/console/sessions/${sessionId}/transactions`);
    await grid.waitFor();
    assert.equal((await count.textContent())?.trim(), `${all.length} of ${all.length} transactions`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `nothing wider than the window (${overflow} px over)`);
    const table = await page.locator('.txn-scroll').evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.ok(table <= 0, 'the table fits without scrolling sideways');
    await page.screenshot({ path: path.join(SHOTS, 'console-transactions-1024.png') });

    // A click opens the viewer too; it fits the narrower window.
    await grid.locator('.txn-row[aria-rowindex="2"]').click();
    await heading(page, `Transaction 1 of ${all.length}`, 2);
    const check = await readBox(page);
    assertBox(check, all[0]!.bbox, 'the first row at 1,024 px');
    const dialog = await page.getByRole('dialog').boundingBox();
    assert.ok(dialog && dialog.x >= 0 && dialog.x + dialog.width <= 1024, 'the viewer fits the window');
    await page.screenshot({ path: path.join(SHOTS, 'console-viewer-1024.png') });
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
  });

  // The PDF is the one uploaded, served only through the console's API.
  assert.ok(statementId);
  assert.deepEqual(pageErrors, []);
});
