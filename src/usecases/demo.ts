/**
 * The newcomer demo (served only when `config.demo`): a sandbox client named "demo", sessions
 * for it, and generated sample statements dated inside those sessions' range. It goes through
 * the same use cases as the APIs, so what a newcomer sees is what a lender gets.
 */
import { clientsRepository } from '../store/repositories/clients-repository.ts';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Client } from '../domain/client.ts';
import type { JourneyMode } from '../domain/session.ts';
import { addMonths, today, type CalendarDate } from '../lib/calendar-date.ts';
import { renderStatementPdf } from '../samples/render-statement.ts';
import { sampleAccount, sampleTransactions } from '../samples/sample-transactions.ts';
import { createSession } from './create-session.ts';
import type { Deps } from './deps.ts';
import { journeySession, viewJourney, type JourneyView } from './journey.ts';
import { createClient, listClients } from './manage-clients.ts';

export const DEMO_CLIENT_NAME = 'demo';

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

const clientLookups = new WeakMap<object, Promise<Client>>();

/** The demo client, created on first use and reused afterwards (also across restarts). */
export function demoClient(deps: Pick<Deps, 'db'>): Promise<Client> {
  // One lookup in flight per store, so two first visits do not create two clients.
  let lookup = clientLookups.get(deps.db);
  if (!lookup) {
    lookup = (async () => {
      const existing = (await listClients(deps)).find((c) => c.name === DEMO_CLIENT_NAME);
      return existing ?? (await createClient(deps, { name: DEMO_CLIENT_NAME, enabledModes: ['pdf'] })).client;
    })();
    lookup.catch(() => clientLookups.delete(deps.db));
    clientLookups.set(deps.db, lookup);
  }
  return lookup;
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
  const client = await demoClient(deps);
  // The signing key is SHA-256(server_hash), which is exactly the hash Passbook stores.
  const key = (await clientsRepository(deps.db).serverHashHashOf(client.clientId)) ?? '';
  const signed = [...query].filter(([k]) => k !== 'signature').map(([k, v]) => `${k}=${v}`).join('&');
  const expected = Buffer.from(createHmac('sha256', key).update(signed).digest('hex'));
  const given = Buffer.from(query.get('signature') ?? '');
  const signatureValid = given.length === expected.length && timingSafeEqual(given, expected);
  const sessionId = query.get('session_id');
  let view: JourneyView | null = null;
  if (sessionId) {
    const found = await journeySession(deps, sessionId).catch(() => null);
    if (found?.client.clientId === client.clientId) view = await viewJourney(deps, sessionId);
  }
  return { success: query.get('success') === 'true', signatureValid, view };
}
