/**
 * What the console's browser tests (console-*.slow.test.ts) share: the users' password, waiting
 * for a condition or a screen, signing in through the page, and uploading a statement.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { RunningServer } from '../process-helper.ts';

export const CONSOLE_PASSWORD = 'correct horse battery staple';

/** Polls `check` every 100 ms; fails naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits for the screen (or dialog, `level` 2) with this heading. */
export async function heading(page: Page, name: string | RegExp, level = 1, timeoutMs = 15_000): Promise<void> {
  await page.getByRole('heading', { level, name, exact: typeof name === 'string' }).waitFor({ timeout: timeoutMs });
}

/** Signs in through the console's own page and waits for the session list. */
export async function signInThroughPage(page: Page, server: RunningServer, email: string, password = CONSOLE_PASSWORD): Promise<void> {
  await page.goto(`${server.url}/console/sign-in`);
  await heading(page, 'Sign in to the console');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await heading(page, 'Sessions');
}

/** Uploads a statement PDF into a session through the upload API (the bank named, or detected); answers its statement_id. */
export async function uploadStatementPdf(server: RunningServer, apiKey: string, sessionId: string, pdf: Buffer, bank: string | null = null): Promise<string> {
  const form = new FormData();
  form.set('session_id', sessionId);
  form.set('upload_type', 'PDF');
  if (bank) form.set('bank_name', bank);
  form.set('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), `${bank ?? 'bank'}-statement.pdf`);
  const res = await fetch(`${server.url}/bank-connect/v1/statement/upload_session/`, { method: 'POST', headers: { 'x-api-key': apiKey }, body: form });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return (JSON.parse(text) as { statement_id: string }).statement_id;
}
