/**
 * What the journey's browser tests (journey-browser.slow.test.ts, journey-phone.slow.test.ts)
 * share: Debian's Chromium and its flags, where screenshots go, the statement PDFs a borrower
 * picks, and a session that has already expired.
 */
import { fileURLToPath } from 'node:url';
import { loadBankCatalogue } from '../../src/banks/bank-catalogue.ts';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { sampleAccount, sampleTransactions } from '../../src/samples/sample-transactions.ts';
import { openStore } from '../../src/store/open-store.ts';
import { sessionsRepository } from '../../src/store/repositories/sessions-repository.ts';
import { buildSession } from '../../src/usecases/create-session.ts';
import { createClient } from '../../src/usecases/manage-clients.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Screenshots are kept here for people to look at (ignored by git). */
export const SHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));

const IFSC: Record<string, string> = { hdfc: 'HDFC', sbi: 'SBIN', kotak: 'KKBK', axis: 'UTIB' };
export const banks = loadBankCatalogue();

export type StatementFile = { name: string; mimeType: string; buffer: Buffer };

/** A generated statement PDF (60 transactions), as a file for the browser's file chooser. */
export async function statementPdf(layout: string, from: string, to: string, options: { seed?: number; password?: string; name?: string } = {}): Promise<StatementFile> {
  const seed = options.seed ?? 7;
  const opening = 30_000_00;
  const range = { from: from as CalendarDate, to: to as CalendarDate };
  const buffer = await renderStatementPdf(
    { layout, account: sampleAccount(seed, IFSC[layout]!), ...range, openingBalancePaise: opening, transactions: sampleTransactions({ seed, ...range, count: 60, openingBalancePaise: opening }) },
    options.password ? { password: options.password } : {},
  );
  return { name: options.name ?? `${layout}-statement.pdf`, mimeType: 'application/pdf', buffer };
}

/** An already expired session, seeded before the server starts (the server's clock cannot be moved). */
export async function seedExpiredSession(dataDir: string, publicUrl: string, options: { clientName: string; redirectUrl?: string }): Promise<string> {
  const db = await openStore({ dataDir, databaseUrl: undefined });
  try {
    const { client } = await createClient({ db }, { name: options.clientName });
    const deps = { banks, config: { publicUrl, defaultSessionExpiryMinutes: 1440, timeZone: 'Asia/Kolkata' }, now: () => new Date(Date.now() - 2 * 86_400_000) };
    const session = buildSession(deps, client, {
      link_id: 'expired-user',
      session_expiry: '5',
      ...(options.redirectUrl ? { redirect_url: new URL(options.redirectUrl) } : {}),
      accept_anything: false,
      is_mobile_field_editable: false,
    });
    await sessionsRepository(db).insert(session);
    return session.sessionId;
  } finally {
    await db.close();
  }
}
