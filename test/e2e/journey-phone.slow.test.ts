/**
 * Issue 13, "the journey as a person on a phone uses it": every screen at 360 px and at 1280 px
 * in Debian's Chromium (through playwright-core, as journey-browser.slow.test.ts does), against
 * the real server. Each screen is measured from the DOM — no sideways scrolling on a phone, a
 * one-line header title in full contrast, header and content aligned on a desktop — and saved as
 * a screenshot under test-output/screenshots/phone-*.png (not committed). No request may
 * answer 404 and no request may leave loopback.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import PDFDocument from 'pdfkit';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { freePort, request, startServer } from '../process-helper.ts';
import { banks, CHROMIUM, CHROMIUM_ARGS, SHOTS, seedExpiredSession, statementPdf, type StatementFile } from './journey-fixtures.ts';

const ADMIN = 'journey-phone-admin-token';
const LENDER = 'Acme Lending';



/** A PDF with a picture and no text, as a scan is. */
function scannedPdf(): Promise<StatementFile> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<StatementFile>((r) => doc.on('end', () => r({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.concat(chunks) })));
  doc.rect(20, 20, 400, 500).fill('#7a7a7a');
  doc.end();
  return done;
}

/** The lender: its logo (a wide one, the hardest case for the header at 360 px) and the redirect target. */
function lenderServer(): Server {
  return createServer((req, res) => {
    if (req.url === '/logo.svg') {
      res.writeHead(200, { 'content-type': 'image/svg+xml' });
      return res.end('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32"><rect width="120" height="32" rx="6" fill="#7c3aed"/><text x="60" y="21" font-size="14" fill="#fff" text-anchor="middle" font-family="sans-serif">ACME</text></svg>');
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Lender</title><h1>Back at the lender</h1>');
  });
}


interface Layout {
  /** document.scrollWidth - clientWidth: > 0 means the page scrolls sideways. */
  overflow: number;
  title: { lines: number; truncated: boolean; contrast: number };
  /** Left edges of the header's first visible item and of the screen's heading. */
  headerLeft: number;
  contentLeft: number;
}

/**
 * Measured in the page: what a person sees, from computed styles and boxes. A string, not a
 * function: tsx would wrap the helpers in `__name()`, which the page does not have.
 */
const MEASURE = `(() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).slice(0, 3).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (rgb(c)[3] !== 0) return c;
    }
    return 'rgb(255, 255, 255)';
  };
  const title = document.querySelector('.top-title');
  const style = getComputedStyle(title);
  const a = lum(style.color);
  const b = lum(background(title));
  const first = [...document.querySelector('header').children].find((e) => !e.hidden);
  const root = document.documentElement;
  const line = style.lineHeight === 'normal' ? parseFloat(style.fontSize) * 1.2 : parseFloat(style.lineHeight);
  return {
    overflow: root.scrollWidth - root.clientWidth,
    title: {
      lines: Math.round(title.getBoundingClientRect().height / line),
      truncated: title.scrollWidth > title.clientWidth,
      contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
    },
    headerLeft: first.getBoundingClientRect().left,
    contentLeft: document.querySelector('main h1').getBoundingClientRect().left,
  };
})()`;

const layout = (page: Page): Promise<Layout> => page.evaluate(MEASURE);

/** Every screen passes the same checks at both widths, and is saved as a picture of each. */
async function checkScreen(page: Page, name: string): Promise<void> {
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    // The picture first, so a failing screen can be looked at.
    await page.screenshot({ path: path.join(SHOTS, `phone-${name}-${width}.png`), fullPage: true });
    const m = await layout(page);
    assert.ok(m.overflow <= 0, `${name} at ${width}px scrolls sideways by ${m.overflow}px`);
    assert.equal(m.title.lines, 1, `${name} at ${width}px: the header title wraps`);
    assert.equal(m.title.truncated, false, `${name} at ${width}px: the header title is cut off`);
    assert.ok(m.title.contrast >= 7, `${name}: header title contrast ${m.title.contrast.toFixed(2)}:1`);
    if (width === 1280) assert.ok(Math.abs(m.headerLeft - m.contentLeft) <= 1, `${name}: header at ${m.headerLeft}px, content at ${m.contentLeft}px`);
  }
  await page.setViewportSize({ width: 360, height: 800 });
}

async function heading(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name, exact: typeof name === 'string' }).waitFor({ timeout: 10_000 });
}

/** Accessible names of the page's nodes, as Chromium gives them to screen readers. */
async function accessibleNames(page: Page): Promise<{ role: string; name: string }[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { ignored?: boolean; role?: { value: string }; name?: { value: string } }[] };
    return nodes.filter((n) => !n.ignored && n.name?.value).map((n) => ({ role: n.role?.value ?? '', name: n.name!.value }));
  } finally {
    await cdp.detach();
  }
}

const optionNames = (page: Page) => page.getByRole('option').evaluateAll((els) => els.map((e) => e.querySelector('.bank-name')!.textContent));

test('the journey on a phone and a desktop', { skip: !existsSync(CHROMIUM) && `${CHROMIUM} is missing (apt-get install -y chromium)`, timeout: 240_000 }, async (t) => {
  mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'passbook-phone-'));
  const profile = mkdtempSync(path.join(tmpdir(), 'passbook-chromium-'));
  t.after(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });
  const lender = lenderServer();
  await new Promise<void>((resolve) => lender.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    lender.closeAllConnections();
    return new Promise<void>((resolve) => lender.close(() => resolve()));
  });
  const lenderUrl = `http://127.0.0.1:${(lender.address() as { port: number }).port}`;

  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const expiredId = await seedExpiredSession(dataDir, publicUrl, { clientName: LENDER });
  const server = await startServer(t, { DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN, PORT: String(port), PUBLIC_URL: publicUrl });
  const admin = { authorization: `Bearer ${ADMIN}` };
  const created = await request(server, 'POST', '/admin/v1/clients', { json: { name: LENDER, enabled_modes: ['pdf'] }, headers: admin });
  assert.equal(created.status, 201);
  const apiKey = (created.body as { api_key: string }).api_key;
  const newSession = async (fields: Record<string, unknown> = {}, key = apiKey): Promise<string> => {
    const res = await request(server, 'POST', '/bank-connect/v1/session/', {
      json: { link_id: 'user-7', from_date: '01/05/2026', to_date: '31/10/2026', redirect_url: `${lenderUrl}/done`, logo_url: `${lenderUrl}/logo.svg`, ...fields },
      headers: { 'x-api-key': key },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.redirect_url as string;
  };

  const browser: BrowserContext = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 360, height: 800 } });
  t.after(() => browser.close());
  const outside: string[] = [];
  await browser.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => {
    outside.push(route.request().url());
    return route.abort();
  });
  const notFound: string[] = [];
  const exits: string[] = [];
  browser.on('response', (r) => r.status() === 404 && notFound.push(r.url()));
  browser.on('request', (r) => r.url().endsWith('/exit') && exits.push(r.url()));
  const pageErrors: string[] = [];
  const newPage = async (t2: TestContext): Promise<Page> => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Refused uploads are 4xx answers the page expects; any other error (CSP, script) is a bug.
    page.on('console', (m) => m.type() === 'error' && !/^Failed to load resource: .* status of 4\d\d/.test(m.text()) && pageErrors.push(m.text()));
    t2.after(() => page.close());
    return page;
  };
  const ids = banks.all().map((b) => b.name);

  await t.test('bank list: most used banks first, with badges; found by the names people type; no internal ids', async (t2) => {
    const page = await newPage(t2);
    await page.goto(await newSession());
    await heading(page, 'Choose your bank');
    await page.waitForFunction(() => (document.getElementById('logo') as HTMLImageElement).naturalWidth > 0);
    assert.deepEqual((await optionNames(page)).slice(0, 9), [
      'State Bank of India', 'HDFC Bank', 'ICICI Bank', 'Axis Bank', 'Kotak Mahindra Bank', 'Punjab National Bank', 'Bank of Baroda', 'Canara Bank', 'Union Bank of India',
    ]);
    assert.deepEqual(await page.locator('[role=option] .badge').evaluateAll((els) => els.slice(0, 3).map((e) => [e.textContent, e.getAttribute('aria-hidden')])), [['SBI', 'true'], ['HDFC', 'true'], ['ICICI', 'true']]);
    // What a screen reader reads, and what is on the screen: names, never ids such as "apgvbnk".
    const names = await accessibleNames(page);
    const options = names.filter((n) => n.role === 'option').map((n) => n.name);
    assert.equal(options.length, await page.getByRole('option').count());
    assert.deepEqual(options.slice(0, 2), ['State Bank of India', 'HDFC Bank']);
    const shown = await page.locator('body').innerText();
    for (const id of ids) {
      assert.ok(!names.some((n) => n.name.includes(id)), `the id ${id} is in an accessible name`);
      assert.ok(!shown.includes(id), `the id ${id} is on the screen`);
    }
    await checkScreen(page, 'bank-list');

    const search = page.getByRole('combobox', { name: 'Search for your bank' });
    for (const [typed, first] of [['sbi', 'State Bank of India'], ['state bank', 'State Bank of India'], ['hdfc', 'HDFC Bank'], ['bob', 'Bank of Baroda'], ['pnb', 'Punjab National Bank'], ['Union', 'Union Bank of India'], ['kotak', 'Kotak Mahindra Bank']]) {
      await search.fill(typed!);
      assert.equal((await optionNames(page))[0], first, `"${typed}" finds ${first} first`);
    }
    await search.fill('bank of');
    assert.deepEqual((await optionNames(page)).slice(0, 3), ['Bank of Baroda', 'Bank of India', 'Bank of Maharashtra']);
    await search.fill('apgvbnk');
    assert.equal(await page.getByRole('option').count(), 0, 'an internal id finds nothing');
    await search.fill('pnb');
    await checkScreen(page, 'bank-search');
    await search.press('Enter');
    await heading(page, 'Upload your Punjab National Bank statement');
  });

  await t.test('refused files: each says what is wrong, and each can be removed', async (t2) => {
    const page = await newPage(t2);
    await page.goto(await newSession({ bank_name: 'sbi' }));
    await heading(page, 'Upload your State Bank of India statement');
    await checkScreen(page, 'upload-empty');
    const card = (name: string) => page.locator('.file').filter({ has: page.locator('.file-name', { hasText: name }) });
    const refused = async (file: StatementFile, text: RegExp) => {
      await page.locator('#file').setInputFiles(file);
      await card(file.name).locator('.msg.bad').waitFor({ timeout: 20_000 });
      const msg = (await card(file.name).locator('.msg').textContent())!;
      assert.match(msg, text, file.name);
      return msg;
    };
    const messages = [
      await refused({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('My salary slips, not a statement.\n') }, /^This is not a PDF file\./),
      await refused(await scannedPdf(), /^This PDF is a scan or a photo/),
      await refused(await statementPdf('hdfc', '2026-05-01', '2026-10-31', { name: 'hdfc.pdf' }), /^This looks like a statement from HDFC Bank, but Acme Lending needs your State Bank of India statement\. Upload a statement from State Bank of India\.$/),
      await refused(await statementPdf('sbi', '2025-01-01', '2025-03-31', { name: 'old.pdf' }), /^This statement has no transactions in the months asked for \(May 2026 to Oct 2026\)\./),
      await refused({ name: 'broken.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n1 0 obj <<\n%%EOF garbage') }, /^This PDF cannot be opened: it may be damaged\./),
    ];
    assert.equal(new Set(messages).size, messages.length, 'each refusal has its own message');
    assert.doesNotMatch(messages[0]!, /scan|photo/, 'a text file is not called a scan');
    // With the bank fixed by the lender there is no other bank to choose.
    assert.equal(await card('hdfc.pdf').getByRole('button', { name: /^Choose/ }).count(), 0);
    const good = await statementPdf('sbi', '2026-05-01', '2026-10-31', { name: 'sbi.pdf' });
    await page.locator('#file').setInputFiles(good);
    await card('sbi.pdf').and(page.locator('.file.ok')).waitFor({ timeout: 20_000 });
    assert.equal(await card('sbi.pdf').getByRole('button', { name: /^Remove/ }).count(), 0, 'a stored statement is not offered for removal');
    await refused({ ...good, name: 'sbi-again.pdf' }, /^You have already uploaded this file\.$/);
    await page.locator('#file').setInputFiles(await statementPdf('sbi', '2026-05-01', '2026-10-31', { seed: 3, password: 'pw-42', name: 'locked.pdf' }));
    await page.getByLabel('Password for locked.pdf').waitFor({ timeout: 20_000 });
    await checkScreen(page, 'upload-refusals');

    // Remove: a real button named after its file; focus goes back to the file picker.
    assert.equal(await page.locator('.file').count(), 8);
    await page.getByRole('button', { name: 'Remove notes.txt' }).click();
    assert.equal(await card('notes.txt').count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'file');
    await page.getByRole('button', { name: 'Remove scan.pdf' }).focus();
    await page.keyboard.press('Enter');
    assert.equal(await card('scan.pdf').count(), 0);
    await page.getByRole('button', { name: 'Remove locked.pdf' }).click();
    for (const name of ['hdfc.pdf', 'old.pdf', 'broken.pdf']) await page.getByRole('button', { name: `Remove ${name}` }).click();
    await page.getByRole('button', { name: 'Remove sbi-again.pdf' }).click();
    assert.deepEqual(await page.locator('.file .file-name').allTextContents(), ['sbi.pdf'], 'only the stored statement is left');
    await checkScreen(page, 'upload-cleaned');
  });

  await t.test('wrong bank, chosen by the user: says which bank it is, and switches to it', async (t2) => {
    const page = await newPage(t2);
    await page.goto(await newSession());
    await page.getByRole('option', { name: 'Axis Bank' }).click();
    await heading(page, 'Upload your Axis Bank statement');
    await page.locator('#file').setInputFiles(await statementPdf('hdfc', '2026-05-01', '2026-10-31'));
    const msg = page.locator('.file .msg.bad');
    await msg.waitFor({ timeout: 20_000 });
    assert.equal(await msg.textContent(), 'This looks like a statement from HDFC Bank, not Axis Bank. Upload your Axis Bank statement, or choose HDFC Bank instead.');
    await checkScreen(page, 'wrong-bank');
    await page.getByRole('button', { name: 'Choose HDFC Bank' }).click();
    await heading(page, 'Upload your HDFC Bank statement');
    await page.locator('.file.ok').waitFor({ timeout: 20_000 });
  });

  await t.test('Submit is the main action; Exit asks first, from the keyboard too', async (t2) => {
    const page = await newPage(t2);
    await page.goto(await newSession({ bank_name: 'hdfc', from_date: '02/06/2026', to_date: '02/12/2026' }));
    await heading(page, 'Upload your HDFC Bank statement');
    // The period agrees with the months listed (to_date in the first days of December: Jun–Nov).
    assert.match((await page.locator('main > p').first().textContent())!, /covering Jun 2026 to Nov 2026\./);
    const months = await page.locator('.months li span:first-child').allTextContents();
    assert.deepEqual(months, ['Jun 2026', 'Jul 2026', 'Aug 2026', 'Sep 2026', 'Oct 2026', 'Nov 2026']);
    await page.locator('#file').setInputFiles(await statementPdf('hdfc', '2026-06-01', '2026-11-30'));
    await page.locator('.file.ok').waitFor({ timeout: 20_000 });
    const submit = page.getByRole('button', { name: 'Submit' });
    const exit = page.getByRole('button', { name: 'Exit' });
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      const [s, e] = [(await submit.boundingBox())!, (await exit.boundingBox())!];
      assert.ok(s.width * s.height >= 2 * e.width * e.height, `at ${width}px Submit (${s.width}×${s.height}) is not clearly larger than Exit (${e.width}×${e.height})`);
      assert.ok(s.y <= e.y && (s.y < e.y || s.x < e.x), 'Submit comes first');
      assert.ok(e.height >= 44, 'Exit is still a touch target');
    }
    const fills = await page.evaluate(() => ['Submit', 'Exit'].map((t) => getComputedStyle([...document.querySelectorAll('main button')].find((b) => b.textContent === t)!).backgroundColor));
    assert.equal(fills[0], 'rgb(11, 92, 173)', 'Submit is filled with the brand colour');
    assert.equal(fills[1], 'rgba(0, 0, 0, 0)', 'Exit is a plain text button');
    await checkScreen(page, 'upload-done');

    // Exit opens a dialog, and nothing is sent until the user confirms.
    await page.setViewportSize({ width: 360, height: 800 });
    await exit.click();
    const dialog = page.getByRole('dialog', { name: 'Leave without submitting?' });
    await dialog.waitFor();
    assert.match((await dialog.textContent())!, /If you leave now, Acme Lending is told that you did not finish\./);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Stay', 'the safe choice has focus');
    await checkScreen(page, 'exit-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Exit', 'focus goes back to Exit');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Enter'); // Stay
    await dialog.waitFor({ state: 'hidden' });
    await heading(page, 'Upload your HDFC Bank statement');
    assert.deepEqual(exits, [], 'no exit before the user confirms');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Leave');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${lenderUrl}/done?**`, { timeout: 10_000 });
    assert.equal(new URL(page.url()).searchParams.get('success'), 'false');
    assert.equal(exits.length, 1);
  });

  await t.test('the last screens say what happens next', async (t2) => {
    // No redirect_url: the page stays on its thank-you and left screens.
    const page = await newPage(t2);
    await page.goto(await newSession({ bank_name: 'hdfc', redirect_url: undefined }));
    await heading(page, 'Upload your HDFC Bank statement');
    await page.locator('#file').setInputFiles(await statementPdf('hdfc', '2026-05-01', '2026-10-31', { seed: 11 }));
    await page.locator('.file.ok').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Submit' }).click();
    await heading(page, 'Thank you');
    assert.match((await page.locator('main').innerText()), /Your statements were shared with Acme Lending\. You do not need to do anything else\.\s+You can close this page\./);
    await checkScreen(page, 'thank-you');

    const left = await newPage(t2);
    await left.goto(await newSession({ redirect_url: undefined }));
    await heading(left, 'Choose your bank');
    await left.getByRole('button', { name: 'Exit' }).click();
    await left.getByRole('button', { name: 'Leave' }).click();
    await heading(left, 'You have left');
    assert.match(await left.locator('main').innerText(), /You left without submitting your statements to Acme Lending\. You can close this page\./);
    await checkScreen(left, 'left');

    const expired = await newPage(t2);
    await expired.goto(`${publicUrl}/?session_id=${expiredId}`);
    await heading(expired, 'This link has expired');
    assert.match(await expired.locator('main').innerText(), /Ask Acme Lending for a new link\./);
    await checkScreen(expired, 'expired');

    await expired.goto(`${publicUrl}/?session_id=00000000-0000-4000-8000-000000000000`);
    await heading(expired, 'This link is not valid');
    await checkScreen(expired, 'unknown');
  });

  await t.test('Account Aggregator screens fit too', async (t2) => {
    const aa = await request(server, 'POST', '/admin/v1/clients', { json: { name: 'AA Lending' }, headers: admin });
    const page = await newPage(t2);
    await page.goto(await newSession({}, (aa.body as { api_key: string }).api_key));
    await heading(page, 'Choose your bank');
    await page.getByRole('option', { name: 'HDFC Bank' }).click();
    await heading(page, 'How do you want to share?');
    await checkScreen(page, 'mode-choice');
    await page.getByRole('button', { name: /Account Aggregator/ }).click();
    await heading(page, 'Share through an Account Aggregator');
    assert.deepEqual(await page.locator('.months.asked li').allTextContents(), ['May 2026', 'Jun 2026', 'Jul 2026', 'Aug 2026', 'Sep 2026', 'Oct 2026']);
    await checkScreen(page, 'aa-start');
  });

  // The one 404 there must be: how the page learns that a session id is unknown.
  const unknownSession = `${publicUrl}/journey/api/sessions/00000000-0000-4000-8000-000000000000`;
  assert.ok(notFound.includes(unknownSession), 'the unknown session was looked up (and 404s are seen)');
  assert.deepEqual(notFound.filter((u) => u !== unknownSession), [], 'no other request answered 404 (a favicon, say)');
  assert.deepEqual(outside, [], 'no request left loopback');
  assert.deepEqual(pageErrors, [], 'no script errors or CSP violations');
});
