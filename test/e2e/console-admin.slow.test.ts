/**
 * The console's webhooks, settings, users and audit log pages in a real browser (Debian's
 * Chromium driven by playwright-core) against the real server (`dist/main.js` as a process),
 * with a webhook receiver on loopback that records every delivery. Two clients: A (an admin and
 * an analyst) and B (an admin), a session each. Screenshots under test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { request, startServer, storeEnv } from '../process-helper.ts';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS, statementPdf } from './journey-fixtures.ts';
import { CONSOLE_PASSWORD, heading as screenHeading, signInThroughPage, until, uploadStatementPdf } from './console-fixtures.ts';

const ADMIN = 'console-admin-test-token';
const PASSWORD = CONSOLE_PASSWORD;

/** This file's screens come up within 10 s. */
const heading = (page: Page, name: string | RegExp) => screenHeading(page, name, 1, 10_000);

interface Delivery {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: { event_id?: string; event_name?: string; session_id?: string; [k: string]: unknown };
}

/** The lender's webhook receiver: answers 200 and keeps every delivery. */
function receiver(): { server: Server; deliveries: Delivery[] } {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      let parsed: Delivery['body'] = {};
      try {
        parsed = JSON.parse(body) as Delivery['body'];
      } catch {
        // recorded as empty
      }
      deliveries.push({ path: req.url ?? '', headers: req.headers, raw: body, body: parsed });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  return { server, deliveries };
}

/** Where the focus is: inside the open dialog, or not. */
async function focusInDialog(page: Page): Promise<boolean> {
  return page.evaluate(() => Boolean(document.activeElement?.closest('dialog[open]')));
}

test('the console for admins: webhooks, settings, users, the audit log', { skip: !existsSync(CHROMIUM) && `${CHROMIUM} is missing (apt-get install -y chromium)`, timeout: 240_000 }, async (t) => {
  mkdirSync(SHOTS, { recursive: true });
  const profileDir = mkdtempSync(path.join(tmpdir(), 'passbook-console-admin-'));
  t.after(() => rmSync(profileDir, { recursive: true, force: true }));

  const hooks = receiver();
  await new Promise<void>((resolve) => hooks.server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    hooks.server.closeAllConnections();
    return new Promise<void>((resolve) => hooks.server.close(() => resolve()));
  });
  const hookUrl = `http://127.0.0.1:${(hooks.server.address() as { port: number }).port}/hooks/passbook`;

  const server = await startServer(t, { ...(await storeEnv(t, 'pglite')), ADMIN_TOKEN: ADMIN, ALLOW_PRIVATE_URLS: 'true', WEBHOOK_ALLOW_HTTP: 'true' });
  const admin = { authorization: `Bearer ${ADMIN}` };

  const newClient = async (name: string) => {
    const res = await request(server, 'POST', '/admin/v1/clients', { json: { name, enabled_modes: ['pdf'] }, headers: admin });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { client_id: string; api_key: string; server_hash: string };
  };
  const newUser = async (clientId: string, email: string, name: string, role: 'admin' | 'analyst') => {
    const res = await request(server, 'POST', `/admin/v1/clients/${clientId}/console-users`, { json: { email, name, role, password: PASSWORD }, headers: admin });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  };
  const newSession = async (apiKey: string, linkId: string) => {
    const res = await request(server, 'POST', '/bank-connect/v1/session/', { json: { link_id: linkId, from_date: '01/05/2026', to_date: '31/10/2026' }, headers: { 'x-api-key': apiKey } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.session_id as string;
  };

  const a = await newClient('Acme Lending');
  const b = await newClient('Beta Finance');
  await newUser(a.client_id, 'admin@acme.example', 'Asha Admin', 'admin');
  await newUser(a.client_id, 'analyst@acme.example', 'Arjun Analyst', 'analyst');
  await newUser(b.client_id, 'admin@beta.example', 'Bela Admin', 'admin');
  const sessionA = await newSession(a.api_key, 'acme-borrower-1');
  const sessionB = await newSession(b.api_key, 'beta-borrower-1');

  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  const pageErrors: string[] = [];
  const newPage = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    // Loopback only: the console asks for nothing from elsewhere.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => {
      pageErrors.push(`outside request: ${route.request().url()}`);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // 4xx answers the pages expect (403 for an analyst, 404 for another client's session, a
    // validation error) are logged by Chromium as failed loads; anything else (a CSP violation,
    // a script error) is a bug.
    page.on('console', (m) => m.type() === 'error' && !/^Failed to load resource: .* status of 4\d\d/.test(m.text()) && pageErrors.push(m.text()));
    return { context, page };
  };

  const { page } = await newPage();
  await signInThroughPage(page, server, 'admin@acme.example');

  await t.test('admins see Users and Settings in the navigation', async () => {
    const nav = page.getByRole('navigation', { name: 'Console' });
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Sessions', 'Users', 'Settings']);
  });

  let secret = '';
  await t.test('settings: the webhook URL, its secret shown once', async () => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Settings' }).click();
    await heading(page, 'Settings');
    assert.equal(await page.getByRole('link', { name: 'Settings' }).getAttribute('aria-current'), 'page');
    // A URL the server refuses: its message beside the field.
    await page.getByLabel('Webhook URL').fill('ftp://nope.example/hook');
    await page.getByRole('button', { name: 'Save URL' }).click();
    await page.locator('#webhook-url-error').filter({ hasText: /./ }).waitFor();
    assert.equal(await page.getByLabel('Webhook URL').getAttribute('aria-invalid'), 'true');

    await page.getByLabel('Webhook URL').fill(hookUrl);
    await page.getByRole('button', { name: 'Save URL' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Your webhook signing secret' });
    await dialog.waitFor();
    assert.match(await dialog.textContent() ?? '', /This is the only time you will see it/);
    secret = await dialog.getByLabel('Signing secret', { exact: true }).inputValue();
    assert.match(secret, /^whsec_/);
    assert.ok(await focusInDialog(page), 'the focus is in the dialog');
    await dialog.getByRole('button', { name: 'Copy Signing secret' }).click();
    await dialog.getByText('Signing secret is copied.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await dialog.getByRole('button', { name: /I have copied it/ }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Saved: events are sent to this URL').waitFor();

    // Saving it again shows no secret: it was shown once.
    await page.getByRole('button', { name: 'Save URL' }).click();
    await page.getByText('Saved: events are sent to this URL').waitFor();
    assert.equal(await page.getByRole('alertdialog').count(), 0);
  });

  await t.test('settings: redirect hosts and frame origins, with the server’s validation', async () => {
    const hosts = page.getByRole('region', { name: /Redirect hosts/ });
    await hosts.getByLabel('Add a host').fill('app.acme.example');
    await hosts.getByRole('button', { name: 'Add', exact: true }).click();
    await hosts.getByLabel('Add a host').fill('not a host!');
    await hosts.getByLabel('Add a host').press('Enter');
    await hosts.getByRole('button', { name: 'Save redirect hosts' }).click();
    await hosts.getByText('"not a host!" is not a valid host name.').waitFor();
    await hosts.getByRole('button', { name: 'Remove not a host!' }).click();
    // The focus goes to the entry left in its place, not to the page.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Remove app.acme.example');
    await hosts.getByRole('button', { name: 'Save redirect hosts' }).click();
    await hosts.getByText('Saved. 1 host in the list.').waitFor();

    const origins = page.getByRole('region', { name: /Frame origins/ });
    await origins.getByLabel('Add an origin').fill('https://app.acme.example');
    await origins.getByLabel('Add an origin').press('Enter');
    await origins.getByRole('button', { name: 'Save frame origins' }).click();
    await origins.getByText('Saved. 1 origin in the list.').waitFor();

    const settings = await page.evaluate(() => fetch('/console/api/settings').then((r) => r.json()));
    assert.deepEqual(settings.client.allowed_redirect_hosts, ['app.acme.example']);
    assert.deepEqual(settings.client.frame_origins, ['https://app.acme.example']);
    assert.equal(settings.webhook_url, hookUrl);
  });

  await t.test('settings at 1440 px', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'console-settings-1440.png'), fullPage: true });
  });

  let completionEventId = '';
  await t.test('webhooks: a test delivery, the log, a replay', async () => {
    // The borrower's statement covers every month asked: the completion event is sent.
    await uploadStatementPdf(server, a.api_key, sessionA, (await statementPdf('hdfc', '2026-05-01', '2026-10-31')).buffer, 'hdfc');
    await until('the completion event', () => hooks.deliveries.some((d) => d.body.event_name === 'SESSION_REQUIREMENT_COMPLETION_NOTIFICATION' && d.body.session_id === sessionA), 15_000);
    const delivered = hooks.deliveries.find((d) => d.body.event_name === 'SESSION_REQUIREMENT_COMPLETION_NOTIFICATION')!;
    completionEventId = delivered.body.event_id!;
    // Signed with the secret the dialog showed.
    const signature = createHmac('sha256', secret).update(`${String(delivered.headers['x-passbook-timestamp'])}.${delivered.raw}`).digest('hex');
    assert.ok(String(delivered.headers['x-passbook-signature']).split(',').includes(`v1=${signature}`), 'signed with the secret shown');

    await page.goto(`${server.url}/console/sessions/${sessionA}`);
    await heading(page, 'acme-borrower-1');
    // The timeline: what happened, oldest first, the webhook with its delivery.
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText('Statement stored: HDFC Bank').waitFor();
    const titles = await timeline.locator('.timeline-title').allTextContents();
    assert.deepEqual(titles.slice(0, 3), ['Session created', 'Statement stored: HDFC Bank', 'Webhook SESSION_REQUIREMENT_COMPLETION_NOTIFICATION']);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, 'console-session-1440.png'), fullPage: true });
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await heading(page, 'Webhooks');
    assert.equal(new URL(page.url()).pathname, `/console/sessions/${sessionA}/webhooks`);

    // The test delivery reaches the receiver.
    const before = hooks.deliveries.length;
    await page.getByRole('button', { name: 'Send test webhook' }).click();
    await page.getByText(/Delivered: your receiver answered 200/).waitFor();
    await until('the test delivery', () => hooks.deliveries.slice(before).some((d) => d.body.event_name === 'TEST_NOTIFICATION'), 15_000);

    // The event, its status as a word, its payload and attempts.
    const events = page.getByRole('region', { name: /Events/ });
    const toggle = events.getByRole('button', { name: /^User finished sharing/ });
    await toggle.waitFor();
    assert.match((await events.locator('.hook-event').first().textContent()) ?? '', /Delivered/);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const payload = await events.getByLabel('Payload of the User finished sharing event').textContent();
    assert.equal(JSON.parse(payload!).event_id, completionEventId);
    await events.getByRole('table', { name: /Delivery attempts of the User finished sharing event/ }).getByText('HTTP 200').first().waitFor();

    // Replay: the receiver gets the same event again.
    const times = () => hooks.deliveries.filter((d) => d.body.event_id === completionEventId).length;
    assert.equal(times(), 1);
    await events.getByRole('button', { name: 'Replay User finished sharing event' }).click();
    await events.getByText(/Replay queued/).waitFor();
    await until('the replayed delivery', () => times() === 2, 15_000);
    // The page looks again while the replay is pending: the second attempt shows up.
    await events.getByRole('table', { name: /Delivery attempts/ }).getByRole('row').nth(2).waitFor({ timeout: 15_000 });

    await page.setViewportSize({ width: 1440, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'console-webhooks-1440.png'), fullPage: true });
  });

  await t.test('settings: rotating the API keys asks first, shows them once, and the old ones stop', async () => {
    const statusOf = async (apiKey: string, serverHash: string) =>
      (await request(server, 'GET', `/bank-connect/v1/session_data/${sessionA}/session_upload_status/`, { headers: { 'x-api-key': apiKey, 'server-hash': serverHash } })).status;
    assert.equal(await statusOf(a.api_key, a.server_hash), 200);

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Settings' }).click();
    await heading(page, 'Settings');
    const rotate = page.getByRole('button', { name: 'Rotate API keys' });

    // Escape cancels: nothing rotated, the focus back on the button.
    await rotate.click();
    const confirm = page.getByRole('alertdialog', { name: 'Rotate the API keys?' });
    await confirm.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Cancel', 'the focus starts on Cancel');
    // Tab stays in the dialog.
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      assert.ok(await focusInDialog(page), `focus in the dialog after ${i + 1} Tab`);
    }
    await page.keyboard.press('Shift+Tab');
    assert.ok(await focusInDialog(page));
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Rotate API keys');
    assert.equal(await statusOf(a.api_key, a.server_hash), 200, 'cancelled: the keys still work');

    await rotate.click();
    await confirm.getByRole('button', { name: 'Rotate keys' }).click();
    const shown = page.getByRole('alertdialog', { name: 'Your new API keys' });
    await shown.waitFor();
    assert.match((await shown.textContent()) ?? '', /This is the only time you will see these values/);
    const apiKey = await shown.getByLabel('API key', { exact: true }).inputValue();
    const serverHash = await shown.getByLabel('Server hash', { exact: true }).inputValue();
    assert.ok(apiKey && serverHash && apiKey !== a.api_key && serverHash !== a.server_hash);
    await page.screenshot({ path: path.join(SHOTS, 'console-api-keys-dialog-1440.png') });
    await page.keyboard.press('Escape');
    await shown.waitFor({ state: 'detached' });

    assert.equal(await statusOf(a.api_key, a.server_hash), 403, 'the old keys are refused');
    assert.equal(await statusOf(apiKey, serverHash), 200, 'the new keys work');
    a.api_key = apiKey;
    a.server_hash = serverHash;
  });

  let invitedPassword = '';
  await t.test('users: invite one (password shown once), disable one (after asking)', async () => {
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Users' }).click();
    await heading(page, 'Users');
    const table = page.getByRole('region', { name: /^Users/ }).getByRole('table');
    await table.getByRole('cell', { name: 'analyst@acme.example' }).waitFor();
    assert.equal(await table.getByRole('cell', { name: 'admin@beta.example' }).count(), 0, "another client's users are not listed");

    // The server's message beside the field: the address is taken.
    await page.getByLabel('Email').fill('analyst@acme.example');
    await page.getByLabel('Name').fill('Someone');
    await page.getByRole('button', { name: 'Invite user' }).click();
    await page.locator('#invite-email-error').filter({ hasText: /./ }).waitFor();

    await page.getByLabel('Email').fill('new.analyst@acme.example');
    await page.getByLabel('Name').fill('Neha New');
    await page.getByLabel('Role').selectOption('analyst');
    await page.getByRole('button', { name: 'Invite user' }).click();
    const shown = page.getByRole('alertdialog', { name: 'Password for Neha New' });
    await shown.waitFor();
    assert.match((await shown.textContent()) ?? '', /This is the only time you will see it/);
    invitedPassword = await shown.getByLabel('Password', { exact: true }).inputValue();
    assert.ok(invitedPassword.length >= 12);
    await shown.getByRole('button', { name: /I have copied it/ }).click();
    await table.getByRole('cell', { name: 'new.analyst@acme.example' }).waitFor();

    // The generated password signs in.
    const signedIn = await request(server, 'POST', '/console/api/sign-in', { json: { email: 'new.analyst@acme.example', password: invitedPassword } });
    assert.equal(signedIn.status, 200);

    // Disable them: asked first.
    await page.getByRole('button', { name: 'Disable Neha New' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Disable Neha New?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Disable user' }).click();
    await confirm.waitFor({ state: 'detached' });
    const row = table.getByRole('row', { name: /new\.analyst@acme\.example/ });
    await row.getByText('Disabled').waitFor();
    assert.deepEqual(await row.getByRole('button').allTextContents(), ['Enable'], 'a disabled user can be enabled again, not disabled twice');
    assert.equal(await row.getByRole('button', { name: 'Enable Neha New' }).count(), 1);
    assert.equal(await table.getByRole('button', { name: 'Disable Asha Admin' }).count(), 0, 'no disabling oneself');
    const refused = await request(server, 'POST', '/console/api/sign-in', { json: { email: 'new.analyst@acme.example', password: invitedPassword } });
    assert.equal(refused.status, 401);

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'console-users-1024.png'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  await t.test('a session made from the console: its journey link, copyable and as a QR code', async () => {
    await page.goto(`${server.url}/console/sessions`);
    await page.getByRole('link', { name: 'New session' }).click();
    await heading(page, 'New session');
    await page.getByLabel('Borrower reference (link_id)').fill('walk-in-42');
    await page.getByRole('button', { name: 'Create session' }).click();
    await page.waitForURL(/\/console\/sessions\/[0-9a-f-]{36}$/);
    const sessionId = page.url().split('/').pop()!;
    assert.ok((await page.locator('#journey-url').inputValue()).endsWith(`/?session_id=${sessionId}`), 'the session’s journey link');
    const qr = page.getByRole('img', { name: 'QR code of the journey link' });
    await qr.waitFor();
    assert.ok(((await qr.getAttribute('src')) ?? '').startsWith('data:image/svg+xml'), 'drawn here, no outside request');
    assert.ok(await qr.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0), 'the QR code renders');
    await page.screenshot({ path: path.join(SHOTS, 'console-new-session-1440.png'), fullPage: true });
    // Back where the next step starts.
    await page.goto(`${server.url}/console/users`);
  });

  await t.test('the audit log lists every change', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await heading(page, 'Audit log');
    const table = page.getByRole('table', { name: /Audit log entries/ });
    await table.waitFor();
    const text = (await table.textContent()) ?? '';
    for (const action of ['webhook.set_url', 'settings.update', 'webhook.test', 'webhook.replay', 'api_keys.rotate', 'user.create', 'user.disable', 'sign_in', 'session.create']) {
      assert.ok(text.includes(action), `the audit log shows ${action}`);
    }
    assert.ok(text.includes('admin@acme.example'));
    assert.ok(!text.includes(secret), 'no secret in the audit log');
    // Newest first: Neha was disabled after she was created.
    assert.ok(text.indexOf('user.disable') < text.indexOf('user.create'));
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.screenshot({ path: path.join(SHOTS, 'console-audit-1024.png'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  await t.test('an analyst sees no admin navigation, and admin pages say they are not allowed', async () => {
    const { page: analyst } = await newPage();
    await signInThroughPage(analyst, server, 'analyst@acme.example');
    const nav = analyst.getByRole('navigation', { name: 'Console' });
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Sessions']);
    for (const [where, title] of [
      ['/console/settings', 'Settings'],
      ['/console/users', 'Users'],
      ['/console/audit', 'Audit log'],
    ] as const) {
      await analyst.goto(`${server.url}${where}`);
      await heading(analyst, title);
      await analyst.getByText('You are not allowed to see this page').waitFor();
    }
    // The API says the same.
    assert.equal(await analyst.evaluate(() => fetch('/console/api/settings').then((r) => r.status)), 403);
    // An analyst may read the webhook log and send a test.
    await analyst.goto(`${server.url}/console/sessions/${sessionA}/webhooks`);
    await heading(analyst, 'Webhooks');
    await analyst.getByRole('button', { name: /^User finished sharing/ }).waitFor();
  });

  await t.test("an admin cannot see another client's session", async () => {
    await page.goto(`${server.url}/console/sessions/${sessionB}`);
    await heading(page, 'Session not found');
    await page.goto(`${server.url}/console/sessions/${sessionB}/webhooks`);
    await heading(page, 'Session not found');
    const { page: other } = await newPage();
    await signInThroughPage(other, server, 'admin@beta.example');
    await other.goto(`${server.url}/console/sessions/${sessionB}/webhooks`);
    await heading(other, 'Webhooks');
    await other.goto(`${server.url}/console/audit`);
    await heading(other, 'Audit log');
    const text = (await other.getByRole('table', { name: /Audit log entries/ }).textContent()) ?? '';
    assert.ok(!text.includes('admin@acme.example'), "another client's audit log is not shown");
  });

  await t.test('the audit log pages back with "Older entries"', async () => {
    // 50 more entries (users made through the admin API), so that the first changes are a page back.
    for (let i = 0; i < 50; i++) {
      const res = await request(server, 'POST', `/admin/v1/clients/${a.client_id}/console-users`, { json: { email: `bulk${i}@acme.example`, name: `Bulk ${i}`, role: 'analyst', password: PASSWORD }, headers: admin });
      assert.equal(res.status, 201);
    }
    await page.goto(`${server.url}/console/audit`);
    await heading(page, 'Audit log');
    const table = page.getByRole('table', { name: /Audit log entries/ });
    await table.waitFor();
    assert.ok(!((await table.textContent()) ?? '').includes('webhook.set_url'), 'the first change is not on the first page');
    await page.getByRole('button', { name: /Older entries/ }).click();
    await page.getByRole('table', { name: /older page/ }).waitFor();
    assert.match(new URL(page.url()).search, /^\?before=\d+$/);
    assert.ok(((await page.getByRole('table', { name: /older page/ }).textContent()) ?? '').includes('webhook.set_url'));
    await page.getByRole('link', { name: /Newest/ }).click();
    await page.getByRole('table', { name: /newest first/ }).waitFor();
  });

  assert.deepEqual(pageErrors, []);
});
