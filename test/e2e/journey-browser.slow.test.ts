/**
 * The hosted journey in a real browser: Debian's Chromium driven by playwright-core, against
 * the real server (`dist/main.js` as a process). A tiny "lender" on another loopback port is the
 * redirect target and the iframe parent, recording every postMessage it receives. Each test
 * saves screenshots at 360 and 1280 px under test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { chromium, type BrowserContext, type FileChooser, type FrameLocator, type Page } from 'playwright-core';
import { redirectSigningKey } from '../../src/usecases/journey.ts';
import { freePort, request, startServer, type RunningServer } from '../process-helper.ts';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS, seedExpiredSession, statementPdf } from './journey-fixtures.ts';

const ADMIN = 'journey-browser-admin-token';


/** What the lender's backend does with the redirect (docs/journey.md). */
function signatureValid(url: string, serverHash: string): boolean {
  const u = new URL(url);
  const signed = [...u.searchParams].filter(([k]) => k !== 'signature').map(([k, v]) => `${k}=${v}`).join('&');
  return u.searchParams.get('signature') === createHmac('sha256', redirectSigningKey(serverHash)).update(signed).digest('hex');
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
  }
}

/** The lender: `/done` is the redirect target, `/parent?src=…` embeds the journey 500×700 and records messages. */
function lenderServer(): { server: Server; visits: string[] } {
  const visits: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://lender');
    visits.push(req.url ?? '');
    if (url.pathname === '/logo.svg') {
      res.writeHead(200, { 'content-type': 'image/svg+xml' });
      return res.end('<svg xmlns="http://www.w3.org/2000/svg" width="96" height="32"><rect width="96" height="32" rx="6" fill="#7c3aed"/><text x="48" y="21" font-size="14" fill="#fff" text-anchor="middle" font-family="sans-serif">ACME</text></svg>');
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    if (url.pathname === '/parent') {
      const src = (url.searchParams.get('src') ?? '').replace(/"/g, '&quot;');
      return res.end(`<!doctype html><title>Lender</title><h1>Lender page</h1>
<script>window.messages = []; addEventListener('message', (e) => window.messages.push({ origin: e.origin, data: e.data }));</script>
<iframe title="Share your bank statements" src="${src}" width="500" height="700" style="border:1px solid #888"></iframe>`);
    }
    res.end('<!doctype html><title>Lender</title><h1>Back at the lender</h1>');
  });
  return { server, visits };
}


interface Messages {
  origin: string;
  data: { type: string; status: string; payload: Record<string, unknown> };
}

async function messages(page: Page): Promise<Messages[]> {
  return page.evaluate(() => (window as unknown as { messages: Messages[] }).messages);
}

async function waitForMessage(page: Page, predicate: string): Promise<void> {
  await page.waitForFunction(`window.messages.some((m) => ${predicate})`, undefined, { timeout: 10_000 });
}

/** Waits for the screen with this heading (the page renders after its first fetch). */
async function screen(target: Page | FrameLocator, name: string): Promise<void> {
  await target.getByRole('heading', { level: 1, name, exact: true }).waitFor({ timeout: 10_000 });
}

test('the hosted journey in a browser', { skip: !existsSync(CHROMIUM) && `${CHROMIUM} is missing (apt-get install -y chromium)`, timeout: 120_000 }, async (t) => {
  mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'passbook-journey-'));
  const profile = mkdtempSync(path.join(tmpdir(), 'passbook-chromium-'));
  t.after(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  const lender = lenderServer();
  await new Promise<void>((resolve) => lender.server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    // The browser keeps connections alive; close() alone would wait for them.
    lender.server.closeAllConnections();
    return new Promise<void>((resolve) => lender.server.close(() => resolve()));
  });
  const lenderUrl = `http://127.0.0.1:${(lender.server.address() as { port: number }).port}`;

  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const expiredId = await seedExpiredSession(dataDir, publicUrl, { clientName: 'seeded', redirectUrl: `${lenderUrl}/done` });
  const server: RunningServer = await startServer(t, { DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN, PORT: String(port), PUBLIC_URL: publicUrl });

  // PDF only: the server also offers the sandbox AA, which would add a choice of mode to every journey.
  const created = await request(server, 'POST', '/admin/v1/clients', { json: { name: 'Acme Lending', enabled_modes: ['pdf'] }, headers: { authorization: `Bearer ${ADMIN}` } });
  assert.equal(created.status, 201);
  const { api_key: apiKey, server_hash: serverHash } = created.body as { api_key: string; server_hash: string };
  const newSession = async (fields: Record<string, unknown> = {}): Promise<{ id: string; url: string }> => {
    const res = await request(server, 'POST', '/bank-connect/v1/session/', {
      json: { link_id: 'user-42', from_date: '01/05/2026', to_date: '31/10/2026', redirect_url: `${lenderUrl}/done?ref=r1`, ...fields },
      headers: { 'x-api-key': apiKey },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return { id: res.body.session_id, url: res.body.redirect_url };
  };

  const browser: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  t.after(() => browser.close());
  // Loopback only: anything else the page asks for is a bug (no CDN, no fonts).
  const outside: string[] = [];
  await browser.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => {
    outside.push(route.request().url());
    return route.abort();
  });
  // No load asks for something missing (a favicon, say), on the journey or the AA sandbox pages.
  const notFound: string[] = [];
  browser.on('response', (r) => r.status() === 404 && notFound.push(new URL(r.url()).pathname));
  const pageErrors: string[] = [];
  const newPage = async (t2: TestContext): Promise<Page> => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Refused uploads are 4xx answers the page expects; anything else logged as an error
    // (a CSP violation, a script error) is a bug.
    page.on('console', (m) => m.type() === 'error' && !/^Failed to load resource: .* status of 4\d\d/.test(m.text()) && pageErrors.push(m.text()));
    t2.after(() => page.close());
    return page;
  };

  const hdfcFull = await statementPdf('hdfc', '2026-05-01', '2026-10-31');

  await t.test('redirect workflow: bank, upload, coverage, submit, signed redirect to the lender', async (t2) => {
    const { id, url } = await newSession({ logo_url: `${lenderUrl}/logo.svg` });
    const page = await newPage(t2);
    const res = await page.goto(url);
    assert.match(res!.headers()['content-security-policy']!, /default-src 'self'.*frame-ancestors \*/);
    await screen(page, 'Choose your bank');
    await page.waitForFunction(() => (document.getElementById('logo') as HTMLImageElement).naturalWidth > 0);
    await page.locator('#bank-search').fill('hdf');
    assert.deepEqual(await page.locator('[role=option] .bank-name').allTextContents(), ['HDFC Bank']);
    await shoot(page, 'redirect-1-bank-search');
    await page.getByRole('option', { name: /HDFC Bank/ }).click();
    await screen(page, 'Upload your HDFC Bank statement');
    assert.equal(await page.locator('.months .missing').count(), 6);
    await page.locator('#file').setInputFiles(hdfcFull);
    await page.locator('.file.ok').waitFor();
    assert.equal(await page.locator('.file progress').evaluate((p: HTMLProgressElement) => p.value), 100);
    await page.locator('.months .missing').first().waitFor({ state: 'detached' });
    assert.equal(await page.locator('.months .covered').count(), 6);
    assert.match((await page.locator('.coverage').textContent())!, /All 6 months received/);
    await shoot(page, 'redirect-2-uploaded');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(`${lenderUrl}/done?**`, { timeout: 10_000 });
    const landed = new URL(page.url());
    assert.equal(landed.searchParams.get('ref'), 'r1', "the lender's own parameters stay");
    assert.equal(landed.searchParams.get('success'), 'true');
    assert.equal(landed.searchParams.get('session_id'), id);
    assert.ok(signatureValid(page.url(), serverHash), 'the lender can verify the signature');
  });

  await t.test('Account Aggregator: the sandbox consent page, approval, waiting, signed redirect', async (t2) => {
    const aaClient = await request(server, 'POST', '/admin/v1/clients', { json: { name: 'AA Lending' }, headers: { authorization: `Bearer ${ADMIN}` } });
    const aaKey = (aaClient.body as { api_key: string; server_hash: string }).api_key;
    const res = await request(server, 'POST', '/bank-connect/v1/session/', {
      json: { link_id: 'user-aa', from_date: '01/05/2026', to_date: '31/10/2026', redirect_url: `${lenderUrl}/done?ref=aa`, mode: 'aa', bank_name: 'hdfc', mobile_number: '9876543216' },
      headers: { 'x-api-key': aaKey },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const page = await newPage(t2);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(res.body.redirect_url);
    await screen(page, 'Share through an Account Aggregator');
    // The lender gave the number and may not let it change: shown masked, not asked for.
    assert.equal(await page.locator('#aa-mobile').count(), 0);
    assert.match((await page.locator('main').textContent())!, /XXXXXX3216/);
    await shoot(page, 'aa-1-start');
    await page.getByRole('button', { name: 'Continue to your Account Aggregator' }).click();
    await page.waitForURL(/\/aa-sandbox\/consent\//);
    assert.equal(await page.locator('input[name=account]').count(), 2);
    await shoot(page, 'aa-2-consent');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`${lenderUrl}/done?**`, { timeout: 30_000 });
    const landed = new URL(page.url());
    assert.equal(landed.searchParams.get('ref'), 'aa');
    assert.equal(landed.searchParams.get('success'), 'true');
    assert.equal(landed.searchParams.get('session_id'), res.body.session_id);
    const status = await request(server, 'GET', `/bank-connect/v1/session_data/${res.body.session_id}/session_upload_status/`, {
      headers: { 'x-api-key': aaKey, 'server-hash': (aaClient.body as { server_hash: string }).server_hash },
    });
    assert.equal(status.body.accounts.length, 2);
    assert.equal(status.body.aa_status.fi_status, 'DELIVERED');
  });

  await t.test('iframe workflow: events go to the parent origin only', async (t2) => {
    const { id, url } = await newSession();
    const page = await newPage(t2);
    await page.goto(`${lenderUrl}/parent?src=${encodeURIComponent(url)}`);
    const frame = page.frameLocator('iframe');
    await frame.getByRole('heading', { name: 'Choose your bank' }).waitFor();
    await frame.getByRole('option', { name: /HDFC Bank/ }).click();
    await frame.locator('#file').setInputFiles(hdfcFull);
    await frame.locator('.file.ok').waitFor();
    await frame.getByRole('button', { name: 'Submit' }).click();
    await frame.getByRole('heading', { name: 'Thank you' }).waitFor();
    await waitForMessage(page, "m.data.status === 'success'");
    await shoot(page, 'iframe-1-success');
    const got = await messages(page);
    assert.ok(got.every((m) => m.origin === publicUrl && m.data.type === 'finbox-bankconnect'));
    assert.deepEqual(got.map((m) => [m.data.status, m.data.payload]), [
      ['info', { linkId: 'user-42', event_name: 'bank_selected', message: 'HDFC Bank' }],
      ['info', { linkId: 'user-42', event_name: 'manual', message: '' }],
      ['success', { sessionId: id, linkId: 'user-42' }],
    ]);
    assert.equal(page.url().startsWith(`${lenderUrl}/parent`), true, 'the parent page stays where it is');

    // A session whose redirect_url is on another origin: this parent hears nothing.
    const other = await newSession({ redirect_url: 'https://lender.example/done' });
    const page2 = await newPage(t2);
    await page2.goto(`${lenderUrl}/parent?src=${encodeURIComponent(other.url)}`);
    await page2.frameLocator('iframe').getByRole('option', { name: /HDFC Bank/ }).click();
    await page2.frameLocator('iframe').getByRole('heading', { name: /Upload your HDFC Bank/ }).waitFor();
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(await messages(page2), []);
  });

  await t.test('password-protected statement: prompt, wrong password, right password', async (t2) => {
    const { url } = await newSession({ bank_name: 'hdfc' });
    const page = await newPage(t2);
    await page.goto(url);
    // The session names the bank: no bank list.
    await screen(page, 'Upload your HDFC Bank statement');
    assert.equal(await page.getByRole('button', { name: 'Back' }).count(), 0);
    await page.locator('#file').setInputFiles(await statementPdf('hdfc', '2026-05-01', '2026-10-31', { password: 'pw-1234', name: 'locked.pdf' }));
    const password = page.getByLabel('Password for locked.pdf');
    await password.waitFor();
    assert.equal(await password.evaluate((el) => el === document.activeElement), true, 'focus moves to the password');
    assert.match((await page.locator('.file .msg').textContent())!, /has a password/);
    await password.fill('nope');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText('That password is not right. Try again.').waitFor();
    await page.locator('#alert').getByText(/That password is not right/).waitFor();
    await shoot(page, 'password-1-wrong');
    await page.getByLabel('Password for locked.pdf').fill('pw-1234');
    await page.keyboard.press('Enter');
    await page.locator('.file.ok').waitFor();
    await shoot(page, 'password-2-unlocked');
  });

  await t.test('wrong bank: MU004 shown, error event, then back and exit', async (t2) => {
    const { url } = await newSession();
    const page = await newPage(t2);
    await page.goto(`${lenderUrl}/parent?src=${encodeURIComponent(url)}`);
    const frame = page.frameLocator('iframe');
    await frame.locator('#bank-search').fill('axis');
    await frame.locator('#bank-search').press('Enter');
    await frame.getByRole('heading', { name: 'Upload your Axis Bank statement' }).waitFor();
    await frame.locator('#file').setInputFiles(hdfcFull);
    // In the file list: the screen-reader alert region repeats the message.
    await frame.getByRole('list', { name: 'Your files' }).getByText('This looks like a statement from HDFC Bank, not Axis Bank.', { exact: false }).waitFor();
    await waitForMessage(page, "m.data.status === 'error'");
    await shoot(page, 'wrong-bank-1-mu004');
    await frame.getByRole('button', { name: 'Back' }).click();
    await frame.getByRole('heading', { name: 'Choose your bank' }).waitFor();
    await frame.getByRole('button', { name: 'Exit' }).click();
    await frame.getByRole('dialog', { name: 'Leave without submitting?' }).getByRole('button', { name: 'Leave' }).click();
    await frame.getByRole('heading', { name: 'You have left' }).waitFor();
    await waitForMessage(page, "m.data.status === 'exit'");
    const got = (await messages(page)).map((m) => [m.data.status, m.data.payload]);
    assert.deepEqual(got.slice(2), [
      ['error', { reason: 'Not axis statement', linkId: 'user-42', error_type: 'MU004' }],
      ['info', { linkId: 'user-42', event_name: 'manual_upload_back', message: '' }],
      ['exit', { linkId: 'user-42', message: 'User exited the journey' }],
    ]);
  });

  await t.test('multi_pdf: a second file (dropped) fills the missing months', async (t2) => {
    const { url } = await newSession({ bank_name: 'hdfc', journey_mode: 'multi_pdf' });
    const page = await newPage(t2);
    await page.goto(url);
    await screen(page, 'Upload your HDFC Bank statements');
    assert.equal(await page.locator('#file').getAttribute('multiple'), '');
    await page.locator('#file').setInputFiles(await statementPdf('hdfc', '2026-05-01', '2026-07-31', { seed: 9, name: 'may-jul.pdf' }));
    await page.locator('.file.ok').waitFor();
    await page.getByText('3 of 6 months received.').waitFor();
    assert.deepEqual(await page.locator('.months .missing span:first-child').allTextContents(), ['Aug 2026', 'Sep 2026', 'Oct 2026']);
    await shoot(page, 'multi-pdf-1-partial');
    // The second one arrives by drag and drop.
    const second = await statementPdf('hdfc', '2026-08-01', '2026-10-31', { seed: 9, name: 'aug-oct.pdf' });
    const dataTransfer = await page.evaluateHandle(({ b64, name }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type: 'application/pdf' }));
      return dt;
    }, { b64: second.buffer.toString('base64'), name: second.name });
    await page.dispatchEvent('.drop', 'drop', { dataTransfer });
    await page.getByText('All 6 months received.').waitFor();
    assert.equal(await page.locator('.file.ok').count(), 2);
    assert.match((await page.locator('.accounts').textContent())!, /HDFC Bank X+\d{4} · 2 statements/);
    await shoot(page, 'multi-pdf-2-complete');
  });

  await t.test('expired and unknown sessions: a clear page, error then exit events', async (t2) => {
    const page = await newPage(t2);
    await page.goto(`${lenderUrl}/parent?src=${encodeURIComponent(`${publicUrl}/?session_id=${expiredId}`)}`);
    const frame = page.frameLocator('iframe');
    await frame.getByRole('heading', { name: 'This link has expired' }).waitFor();
    await waitForMessage(page, "m.data.status === 'error'");
    await shoot(page, 'expired-1-iframe');
    await frame.getByRole('button', { name: 'Close' }).click();
    await waitForMessage(page, "m.data.status === 'exit'");
    assert.deepEqual((await messages(page)).map((m) => [m.data.status, m.data.payload]), [
      ['error', { reason: 'This link has expired', linkId: 'expired-user', error_type: 'SESSION_EXPIRED' }],
      ['exit', { linkId: 'expired-user', message: 'User exited the journey' }],
    ]);

    const top = await newPage(t2);
    await top.goto(`${publicUrl}/?session_id=${expiredId}`);
    await top.getByRole('heading', { name: 'This link has expired' }).waitFor();
    await shoot(top, 'expired-2-page');
    await top.goto(`${publicUrl}/?session_id=00000000-0000-4000-8000-000000000000`);
    await top.getByRole('heading', { name: 'This link is not valid' }).waitFor();
    assert.doesNotMatch((await top.locator('body').textContent())!, /Error|at .*:\d+/);
    await shoot(top, 'unknown-session');
  });

  await t.test('keyboard only: Tab, arrow keys and Enter from bank to lender', async (t2) => {
    const { id, url } = await newSession();
    const page = await newPage(t2);
    // Listening before the page loads: Playwright turns file-chooser interception on
    // asynchronously, and a key pressed before that opens no interceptable chooser.
    const chooser = new Promise<FileChooser>((resolve) => page.once('filechooser', resolve));
    await page.goto(url);
    await screen(page, 'Choose your bank');
    const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent || '');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'bank-search');
    const index = (await page.locator('[role=option] .bank-name').allTextContents()).indexOf('HDFC Bank');
    assert.ok(index >= 0);
    for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#bank-search').getAttribute('aria-activedescendant'), `bank-${index}`);
    await shoot(page, 'keyboard-1-bank');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Upload your HDFC Bank statement' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus moves to the new screen');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'file');
    await page.keyboard.press('Enter');
    await (await chooser).setFiles(hdfcFull);
    await page.locator('.file.ok').waitFor();
    await shoot(page, 'keyboard-2-uploaded');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Submit');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${lenderUrl}/done?**`, { timeout: 10_000 });
    assert.equal(new URL(page.url()).searchParams.get('session_id'), id);
  });

  assert.deepEqual(outside, [], 'no request left loopback');
  // The one expected 404: how the page learns that a session id is unknown.
  assert.deepEqual(notFound, ['/journey/api/sessions/00000000-0000-4000-8000-000000000000'], 'no request answered 404 but the unknown session');
  assert.deepEqual(pageErrors, [], 'no script errors or CSP violations');
});
