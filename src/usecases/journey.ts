/**
 * The hosted journey's own API. The end user has no API key: knowing the session id (from the
 * lender's redirect_url) is what lets the journey read its session and upload into it, as in
 * BankConnect V1. Uploads go through the same use case as the backend upload API.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Client, Mode } from '../domain/client.ts';
import type { Session } from '../domain/session.ts';
import { statusAt } from '../domain/session.ts';
import { AppError } from '../errors/codes.ts';
import { aaRepository } from '../store/repositories/aa-repository.ts';
import { clientsRepository } from '../store/repositories/clients-repository.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { sessionEventsRepository } from '../store/repositories/session-events-repository.ts';
import { recordCompletionOnce } from '../webhooks/webhook-outbox.ts';
import type { Deps } from './deps.ts';
import { journeyTokenValid } from './journey-token.ts';
import type { AccountSummary } from '../domain/account.ts';
import { accountsRepository } from '../store/repositories/accounts-repository.ts';

/** Modes this deployment can carry out: PDF always, AA when configured (or its sandbox); net banking is not offered yet. */
export function serverModes(deps: { aa?: Deps['aa'] }): readonly Mode[] {
  return deps.aa ? ['pdf', 'aa'] : ['pdf'];
}

export type JourneyState = 'open' | 'expired' | 'processed' | 'deleted';

export interface JourneyView {
  session: Session;
  client: Client;
  state: JourneyState;
  accounts: AccountSummary[];
  /** Modes the user may use: the client's, the server's, and the session's own choice. */
  modes: Mode[];
}

/** A session by id alone (no client): unknown ids are 404 whatever their shape. */
export async function journeySession(deps: Pick<Deps, 'db' | 'now'>, sessionId: string): Promise<{ session: Session; client: Client }> {
  const clientId = await sessionsRepository(deps.db).clientIdOf(sessionId);
  const client = clientId ? await clientsRepository(deps.db).findById(clientId) : null;
  if (!clientId || !client) throw new AppError('SESSION_NOT_FOUND');
  const session = (await sessionsRepository(deps.db).findForClient(clientId, sessionId))!;
  return { session: { ...session, status: statusAt(session, deps.now()) }, client };
}

export function journeyState(session: Session): JourneyState {
  if (session.deletedAt) return 'deleted';
  if (session.processingRequestedAt || session.userCompletedAt) return 'processed';
  if (session.status === 'expired') return 'expired';
  return 'open';
}

export async function viewJourney(deps: Pick<Deps, 'db' | 'now'> & { aa?: Deps['aa'] }, sessionId: string): Promise<JourneyView> {
  const { session, client } = await journeySession(deps, sessionId);
  const state = journeyState(session);
  const accounts = state === 'deleted' ? [] : await accountsRepository(deps.db).summaries(session);
  const modes = (session.mode ? [session.mode] : client.enabledModes).filter((m) => client.enabledModes.includes(m) && serverModes(deps).includes(m));
  return { session, client, state, accounts, modes };
}

const JOURNEY_LINK_NOT_VALID = 'This link is not valid: a Session API v2 journey link needs its token.';

/**
 * What the journey page asks for when it opens. Its first opening of an open session goes in
 * the session's timeline (once: later openings change nothing), so the lender can tell a
 * borrower who never clicked the link from one who gave up.
 */
export async function openJourney(deps: Pick<Deps, 'db' | 'now'> & { aa?: Deps['aa'] }, sessionId: string, token?: string): Promise<JourneyView> {
  const view = await viewJourney(deps, sessionId);
  // A v2 session's link is only good with its signed token; without it, as if there were no such session.
  if (!(await journeyTokenValid(deps.db, view.session, token))) throw new AppError('SESSION_NOT_FOUND', JOURNEY_LINK_NOT_VALID);
  if (view.state === 'open') await sessionEventsRepository(deps.db).record(sessionId, 'journey_opened', deps.now());
  return view;
}

/**
 * The lender's redirect_url with the journey's outcome appended and signed, so the lender can
 * tell a real `success=true` from one typed by the user. The signature is HMAC-SHA256 over
 * every query parameter except `signature` itself (the lender's own included), in order, as
 * decoded `k=v` pairs joined with `&`, keyed with SHA-256(server_hash) in hex. Passbook keeps
 * only that hash of the server hash; the lender computes it from its own copy.
 */
export function signedRedirect(redirectUrl: string, params: [string, string][], serverHashHash: string): string {
  const url = new URL(redirectUrl);
  url.searchParams.delete('signature');
  for (const [k, v] of params) url.searchParams.append(k, v);
  const signed = [...url.searchParams].map(([k, v]) => `${k}=${v}`).join('&');
  url.searchParams.append('signature', createHmac('sha256', serverHashHash).update(signed).digest('hex'));
  return url.toString();
}

/** The key a lender derives from its server hash to check redirect signatures. */
export function redirectSigningKey(serverHash: string): string {
  return createHash('sha256').update(serverHash, 'utf8').digest('hex');
}

/** The user pressed submit: record it (once, announcing the completion) and hand back where to send them. */
export async function completeJourney(deps: Pick<Deps, 'db' | 'now' | 'banks' | 'webhooks'>, sessionId: string): Promise<{ redirectUrl: string | null; session: Session }> {
  const view = await viewJourney(deps, sessionId);
  if (view.state === 'deleted') throw new AppError('SESSION_DELETED');
  if (view.state === 'expired') throw new AppError('SESSION_EXPIRED');
  // A recurring-only AA journey shares no statement now: its verified consent is what the user gives.
  const consentGiven = view.session.aa?.journeyMode === 'only_recurring' && (await aaRepository(deps.db).consentsOfSession(sessionId)).some((c) => c.status === 'ACTIVE' && c.accounts);
  if (view.accounts.length === 0 && !consentGiven) throw new AppError('MISSING_FILE_OBJECT', 'Upload at least one statement before submitting.');
  await deps.db.transaction(async (tx) => {
    await sessionsRepository(tx).markUserCompleted(sessionId, deps.now());
    await recordCompletionOnce(tx, deps, view.session);
  });
  deps.webhooks?.wake();
  const redirectUrl = view.session.redirectUrl
    ? signedRedirect(view.session.redirectUrl, [['success', 'true'], ['session_id', sessionId]], (await clientsRepository(deps.db).serverHashHashOf(view.client.clientId))!)
    : null;
  return { redirectUrl, session: view.session };
}

/** The user left without finishing. */
export async function exitJourney(deps: Pick<Deps, 'db' | 'now'>, sessionId: string): Promise<{ redirectUrl: string | null }> {
  const { session, client } = await journeySession(deps, sessionId);
  if (!session.redirectUrl) return { redirectUrl: null };
  return { redirectUrl: signedRedirect(session.redirectUrl, [['success', 'false']], (await clientsRepository(deps.db).serverHashHashOf(client.clientId))!) };
}
