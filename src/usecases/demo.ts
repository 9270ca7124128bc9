/**
 * The newcomer demo (served only when `config.demo`): a sandbox client named "demo", sessions
 * for it, and generated sample statements dated inside those sessions' range; when the server
 * offers Account Aggregator mode (in the demo, the built-in sandbox AA), a second client
 * "demo-aa" for AA sessions. It goes through the same use cases as the APIs, so what a
 * newcomer sees is what a lender gets.
 */
import { clientsRepository } from '../store/repositories/clients-repository.ts';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Client, Mode } from '../domain/client.ts';
import type { JourneyMode } from '../domain/session.ts';
import { AppError } from '../errors/codes.ts';
import { addMonths, today, type CalendarDate } from '../lib/calendar-date.ts';
import { renderStatementPdf } from '../samples/render-statement.ts';
import { sampleAccount, sampleTransactions } from '../samples/sample-transactions.ts';
import { createSession } from './create-session.ts';
import type { Deps } from './deps.ts';
import { journeySession, viewJourney, type JourneyView } from './journey.ts';
import { createClient, listClients } from './manage-clients.ts';
import { createConsoleUser } from './console-users.ts';
import { uploadStatement } from './upload-statement.ts';
import { initiateProcessing } from './initiate-processing.ts';
import { consoleRepository } from '../store/repositories/console-repository.ts';

export const DEMO_CLIENT_NAME = 'demo';
/**
 * AA demo sessions belong to a client of their own, with only AA enabled: were AA enabled on
 * "demo", every PDF demo session would also offer it and ask the user to choose.
 */
export const DEMO_AA_CLIENT_NAME = 'demo-aa';

/** What an AA demo session asks for: HDFC, and a sandbox customer with two accounts (HDFC and SBI). */
export const DEMO_AA = { bankName: 'hdfc', mobileNumber: '9876543216' } as const;

export interface DemoSample {
  file: string;
  title: string;
  /** Shown next to the download link; the SBI sample is locked to show the password prompt. */
  password: string | null;
  layout: string;
  ifscPrefix: string;
  seed: number;
  /** Months before the range's end the statement starts; the session asks for 6. */
  monthsBack: number;
}

export const DEMO_SAMPLES: readonly DemoSample[] = [
  { file: 'hdfc-statement.pdf', title: 'HDFC Bank: every month asked for', password: null, layout: 'hdfc', ifscPrefix: 'HDFC', seed: 4101, monthsBack: 6 },
  { file: 'sbi-statement-locked.pdf', title: 'State Bank of India, password protected', password: 'DEMO1234', layout: 'sbi', ifscPrefix: 'SBIN', seed: 4102, monthsBack: 6 },
  { file: 'kotak-statement.pdf', title: 'Kotak Mahindra Bank: the last three months only', password: null, layout: 'kotak', ifscPrefix: 'KKBK', seed: 4103, monthsBack: 3 },
];

/** The range a session created without dates gets (create-session.ts): the last six months. */
export function demoRange(deps: Pick<Deps, 'now' | 'config'>): { from: CalendarDate; to: CalendarDate } {
  const to = today(deps.now(), deps.config.timeZone);
  return { from: addMonths(to, -6), to };
}

const clientLookups = new WeakMap<object, Map<string, Promise<Client>>>();

/** A demo client, created on first use and reused afterwards (also across restarts). */
function demoClientNamed(deps: Pick<Deps, 'db'>, name: string, enabledModes: Mode[]): Promise<Client> {
  // One lookup in flight per store and name, so two first visits do not create two clients.
  const lookups = clientLookups.get(deps.db) ?? new Map<string, Promise<Client>>();
  clientLookups.set(deps.db, lookups);
  let lookup = lookups.get(name);
  if (!lookup) {
    lookup = (async () => {
      const existing = (await listClients(deps)).find((c) => c.name === name);
      return existing ?? (await createClient(deps, { name, enabledModes })).client;
    })();
    lookup.catch(() => lookups.delete(name));
    lookups.set(name, lookup);
  }
  return lookup;
}

/** The demo client of the PDF sessions ("demo", PDF only). */
export function demoClient(deps: Pick<Deps, 'db'>): Promise<Client> {
  return demoClientNamed(deps, DEMO_CLIENT_NAME, ['pdf']);
}

/** The demo client of the Account Aggregator sessions ("demo-aa", AA only). */
export function demoAaClient(deps: Pick<Deps, 'db'>): Promise<Client> {
  return demoClientNamed(deps, DEMO_AA_CLIENT_NAME, ['aa']);
}

/** A fresh session for the demo client; the journey sends the user back to /demo/done. */
export async function createDemoSession(deps: Deps, journeyMode: JourneyMode | null): Promise<{ sessionId: string; journeyUrl: string }> {
  const client = await demoClient(deps);
  const { body } = await createSession(deps, client, {
    link_id: 'demo-user',
    redirect_url: new URL(`${deps.config.publicUrl}/demo/done`),
    ...(journeyMode ? { journey_mode: journeyMode } : {}),
    accept_anything: false,
    is_mobile_field_editable: false,
  });
  return { sessionId: body.session_id, journeyUrl: body.redirect_url };
}

/**
 * A fresh Account Aggregator session (mode=aa, HDFC, the DEMO_AA sandbox customer) for the
 * "demo-aa" client, over the same range as the PDF demo sessions (no dates given: demoRange).
 * The number stays editable in the journey, so other sandbox customers can be tried.
 * MODE_NOT_ENABLED when this server offers no AA mode.
 */
export async function createDemoAaSession(deps: Deps): Promise<{ sessionId: string; journeyUrl: string }> {
  if (!deps.aa) throw new AppError('MODE_NOT_ENABLED', 'This server offers no Account Aggregator mode.');
  const client = await demoAaClient(deps);
  const { body } = await createSession(deps, client, {
    link_id: 'demo-user',
    redirect_url: new URL(`${deps.config.publicUrl}/demo/done`),
    mode: 'aa',
    bank_name: DEMO_AA.bankName,
    mobile_number: DEMO_AA.mobileNumber,
    accept_anything: false,
    is_mobile_field_editable: true,
  });
  return { sessionId: body.session_id, journeyUrl: body.redirect_url };
}

const rendered = new Map<string, Promise<Buffer>>();

/** A sample statement ending today, so it falls inside a demo session's range. */
export function demoSamplePdf(deps: Pick<Deps, 'now' | 'config'>, sample: DemoSample): Promise<Buffer> {
  const { to } = demoRange(deps);
  const key = `${sample.file}:${to}`;
  let pdf = rendered.get(key);
  if (!pdf) {
    const from = addMonths(to, -sample.monthsBack);
    const opening = 40_000_00;
    pdf = renderStatementPdf(
      {
        layout: sample.layout,
        account: sampleAccount(sample.seed, sample.ifscPrefix),
        from,
        to,
        openingBalancePaise: opening,
        transactions: sampleTransactions({ seed: sample.seed, from, to, count: sample.monthsBack * 20, openingBalancePaise: opening }),
      },
      sample.password ? { password: sample.password } : {},
    );
    rendered.clear(); // only today's samples are worth keeping
    rendered.set(key, pdf);
  }
  return pdf;
}

export interface DemoOutcome {
  success: boolean;
  /** The signature checks out with the demo client's key, as a lender's backend would check it. */
  signatureValid: boolean;
  view: JourneyView | null;
}

/** What /demo/done shows: the lender's side of the redirect. */
export async function demoOutcome(deps: Pick<Deps, 'db' | 'now'>, query: URLSearchParams): Promise<DemoOutcome> {
  const sessionId = query.get('session_id');
  const found = sessionId ? await journeySession(deps, sessionId).catch(() => null) : null;
  // The lender whose redirect this is: the AA demo client for its sessions, "demo" otherwise.
  const client = found?.client.name === DEMO_AA_CLIENT_NAME ? await demoAaClient(deps) : await demoClient(deps);
  // The signing key is SHA-256(server_hash), which is exactly the hash Passbook stores.
  const key = (await clientsRepository(deps.db).serverHashHashOf(client.clientId)) ?? '';
  const signed = [...query].filter(([k]) => k !== 'signature').map(([k, v]) => `${k}=${v}`).join('&');
  const expected = Buffer.from(createHmac('sha256', key).update(signed).digest('hex'));
  const given = Buffer.from(query.get('signature') ?? '');
  const signatureValid = given.length === expected.length && timingSafeEqual(given, expected);
  const view = sessionId && found?.client.clientId === client.clientId ? await viewJourney(deps, sessionId) : null;
  return { success: query.get('success') === 'true', signatureValid, view };
}

/**
 * The demo's console user: an admin of the "demo" client, so that a newcomer can open
 * /console right after `npm start`. Its password is fixed and documented (README, docs/console.md)
 * rather than generated, because it is printed at every start and a printed secret would be
 * one; the demo runs only on a local setup (config.demo).
 */
export const DEMO_CONSOLE_USER = { email: 'demo@passbook.local', password: 'passbook-demo-console', name: 'Demo lender' } as const;

export async function ensureDemoConsoleUser(deps: Deps): Promise<typeof DEMO_CONSOLE_USER> {
  const client = await demoClient(deps);
  const existing = await consoleRepository(deps.db).userWithPassword(DEMO_CONSOLE_USER.email);
  if (existing) return DEMO_CONSOLE_USER;
  const created = await createConsoleUser(
    deps,
    { clientId: client.clientId, email: DEMO_CONSOLE_USER.email, name: DEMO_CONSOLE_USER.name, role: 'admin', password: DEMO_CONSOLE_USER.password },
    { kind: 'demo' },
  ).catch((error: unknown) => {
    // Another process made it first.
    if (error instanceof AppError && error.code === 'EMAIL_TAKEN') return null;
    throw error;
  });
  if (created) await seedDemoLenderSession(deps, client);
  return DEMO_CONSOLE_USER;
}

/**
 * With the demo's console user, one session with the HDFC sample shared and sent to processing,
 * so that the console has a borrower to show (statements, coverage, analysis) from the first
 * minute, before anyone has tried the journey.
 */
async function seedDemoLenderSession(deps: Deps, client: Client): Promise<void> {
  const { body } = await createSession(deps, client, { link_id: 'demo-borrower', accept_anything: false, is_mobile_field_editable: false });
  const sample = DEMO_SAMPLES[0]!;
  await uploadStatement(deps, client, {
    sessionId: body.session_id,
    uploadType: 'PDF',
    file: { bytes: await demoSamplePdf(deps, sample), fileName: sample.file },
    fileBase64: null,
    fileUrl: null,
    bankName: null,
    pdfPassword: null,
  });
  await initiateProcessing(deps, client, body.session_id);
}
