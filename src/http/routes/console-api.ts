/**
 * The console's API (`/console/api/…`, docs/console.md): signing in and out, and what a
 * signed-in person of a client may see and change of that client's data. The page at /console
 * is its only intended caller; it is documented in /openapi.json like the rest.
 */
import { Type } from 'typebox';
import { AppError } from '../../errors/codes.ts';
import { CONSOLE_STATUSES, SESSION_SORTS, type ConsoleSessionStatus, type SessionSort } from '../../domain/console-session.ts';
import { signIn, signOut, signOutEverywhere } from '../../usecases/console-sign-in.ts';
import { createSessionAsUser } from '../../usecases/console-actions.ts';
import { createSessionFields, MAX_SESSION_PARAMETERS } from '../../wire/session-request.ts';
import { consoleReportLinks, consoleSessionTimeline, listConsoleSessions, readConsoleSession } from '../../usecases/console-sessions.ts';
import { createConsoleUser, disableConsoleUser, enableConsoleUser, listConsoleUsers, readAuditLog } from '../../usecases/console-users.ts';
import type { Deps } from '../../usecases/deps.ts';
import { validateFields } from '../../wire/fields.ts';
import {
  AuditLogWire,
  ConsoleSessionDetail,
  ConsoleSessionList,
  ConsoleUserList,
  MAX_CONSOLE_PARAMETERS,
  NewConsoleUserWire,
  newUserFields,
  renderAuditEntry,
  renderConsoleSession,
  readNewUser,
  renderConsoleUser,
  renderNewUser,
  renderSessionRow,
  renderSignedIn,
  SignedInWire,
  signInFields,
  ConsoleUserWire,
  ConsoleTimelineWire,
  renderTimelineEntry,
  ConsoleReportsWire,
  renderReports,
} from '../../wire/console-wire.ts';
import { Uuid } from '../../wire/wire-formats.ts';
import { CONSOLE_COOKIE, type Router } from '../route.ts';
import { SignInThrottle } from '../sign-in-throttle.ts';

/** Per client address: ten tries a minute is ample for a person and slow for a script. */
const SIGN_IN_ATTEMPTS_PER_MINUTE = 10;

function signInCookie(publicUrl: string, token: string, maxAgeSeconds: number): string {
  // Secure where the console is served over https (a plain-http localhost setup could not keep it otherwise).
  const secure = publicUrl.startsWith('https:') ? '; Secure' : '';
  return `${CONSOLE_COOKIE}=${token}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ description: 'A link_id prefix, or a whole session id.' })),
  status: Type.Optional(Type.String({ enum: [...CONSOLE_STATUSES] })),
  mode: Type.Optional(Type.String({ description: 'pdf, aa or online.' })),
  bank: Type.Optional(Type.String({ description: "A bank id: the session's bank or any of its statements'." })),
  created_from: Type.Optional(Type.String({ format: 'date', description: 'Created on or after this day (TIME_ZONE).' })),
  created_to: Type.Optional(Type.String({ format: 'date', description: 'Created on or before this day (TIME_ZONE).' })),
  sort: Type.Optional(Type.String({ enum: [...SESSION_SORTS], default: '-created_at' })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
});

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function whole(name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw new AppError('INVALID_REQUEST', `${name}: a whole number from ${min} to ${max}.`);
  return n;
}

function oneOf<T extends string>(name: string, value: unknown, choices: readonly T[]): T | null {
  const v = text(value);
  if (v === null) return null;
  if (!choices.includes(v as T)) throw new AppError('INVALID_REQUEST', `${name}: one of ${choices.join(', ')}.`);
  return v as T;
}

export function consoleApiRoutes(router: Router, deps: Deps): void {
  const throttle = new SignInThrottle(SIGN_IN_ATTEMPTS_PER_MINUTE, 60_000, deps.now);
  const body = { maxParameters: MAX_CONSOLE_PARAMETERS };

  router.route({
    method: 'POST',
    url: '/console/api/sign-in',
    auth: 'none',
    body,
    summary: 'Sign in to the console (sets the passbook_console cookie)',
    description: 'JSON only: a form posted from another site cannot sign a browser in to an account of its choosing.',
    requestBody: { consumes: ['application/json'], fields: signInFields },
    responses: { 200: { description: 'Signed in', json: SignedInWire, headers: { 'set-cookie': 'passbook_console: HttpOnly, SameSite=Strict, Path=/console' } } },
    errors: ['CONSOLE_SIGN_IN_FAILED', 'TOO_MANY_SIGN_IN_ATTEMPTS'],
    async handler({ request, params }) {
      if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Sign in with a JSON body.');
      const wait = throttle.attempt(request.ip);
      if (wait !== null) throw new AppError('TOO_MANY_SIGN_IN_ATTEMPTS', `Too many sign-in attempts from this address. Try again in ${wait} seconds.`);
      const v = validateFields(signInFields, params);
      const signedIn = await signIn(deps, v.email, v.password);
      const maxAge = Math.floor((signedIn.expiresAt.getTime() - deps.now().getTime()) / 1000);
      return { body: renderSignedIn(signedIn), headers: { 'set-cookie': signInCookie(deps.config.publicUrl, signedIn.token, maxAge) } };
    },
  });

  router.route({
    method: 'GET',
    url: '/console/api/me',
    auth: 'console',
    startsWork: false,
    summary: 'The signed-in user, their client, and the CSRF token for this sign-in',
    responses: { 200: { description: 'Signed in', json: SignedInWire } },
    async handler({ signIn: current }) {
      return { body: renderSignedIn(current) };
    },
  });

  router.route({
    method: 'POST',
    url: '/console/api/sign-out',
    auth: 'console',
    startsWork: false,
    summary: 'Sign this browser out',
    responses: { 204: { description: 'Signed out', empty: true } },
    async handler({ signIn: current }) {
      await signOut(deps, current);
      return { status: 204, body: '' as const, headers: { 'set-cookie': signInCookie(deps.config.publicUrl, '', 0) } };
    },
  });

  router.route({
    method: 'POST',
    url: '/console/api/sign-out-everywhere',
    auth: 'console',
    startsWork: false,
    summary: "End every sign-in of the signed-in user (every browser, this one included)",
    responses: { 204: { description: 'Signed out everywhere', empty: true } },
    async handler({ signIn: current }) {
      await signOutEverywhere(deps, current);
      return { status: 204, body: '' as const, headers: { 'set-cookie': signInCookie(deps.config.publicUrl, '', 0) } };
    },
  });

  router.route({
    method: 'GET',
    url: '/console/api/sessions',
    auth: 'console',
    startsWork: false,
    summary: "The client's sessions: searched, filtered, sorted and paged, with a count per status",
    querystring: ListQuery,
    responses: { 200: { description: 'A page of sessions', json: ConsoleSessionList } },
    errors: ['INVALID_REQUEST', 'INVALID_DATE_FORMAT'],
    async handler({ request, client }) {
      const query = request.query as Record<string, unknown>;
      const page = whole('page', query.page, 1, 100_000, 1);
      const pageSize = whole('page_size', query.page_size, 1, 100, 25);
      const list = await listConsoleSessions(deps, client, {
        query: text(query.q),
        status: oneOf<ConsoleSessionStatus>('status', query.status, CONSOLE_STATUSES),
        mode: text(query.mode),
        bank: text(query.bank),
        createdFrom: text(query.created_from),
        createdTo: text(query.created_to),
        sort: oneOf<SessionSort>('sort', query.sort, SESSION_SORTS) ?? '-created_at',
        page,
        pageSize,
      });
      return { body: { count: list.count, page, page_size: pageSize, counts: list.counts, results: list.rows.map(renderSessionRow) } };
    },
  });

  router.route({
    method: 'POST',
    url: '/console/api/sessions',
    auth: 'console',
    startsWork: true,
    body: { maxParameters: MAX_SESSION_PARAMETERS },
    summary: 'Create a session from the console (the Session API’s parameters and rules); answers the journey link to send the borrower',
    requestBody: { consumes: ['application/json'], fields: createSessionFields },
    responses: { 201: { description: 'Created', json: Type.Object({ session_id: Uuid, journey_url: Type.String() }) } },
    errors: [
      'INVALID_LENGTH', 'INVALID_URL', 'INVALID_BANK_NAME', 'MISSING_BANK_NAME', 'MODE_NOT_AVAILABLE', 'MODE_NOT_ENABLED',
      'INVALID_DATE_FORMAT', 'INVALID_DATE_RANGE', 'MISSING_DATE_FIELD', 'INVALID_MOBILE_NUMBER', 'INVALID_SESSION_EXPIRY',
      'INVALID_AA_PARAMETER', 'MISSING_AA_PARAMETER',
    ],
    async handler({ params, client, signIn: current }) {
      const created = await createSessionAsUser(deps, client, current.user, validateFields(createSessionFields, params));
      return { status: 201, body: { session_id: created.sessionId, journey_url: created.journeyUrl } };
    },
  });

  router.route({
    method: 'GET',
    url: '/console/api/sessions/:session_id',
    auth: 'console',
    startsWork: false,
    summary: 'One session: its accounts, their coverage of the months asked, its statements and their fraud findings',
    params: Type.Object({ session_id: Type.String() }),
    responses: { 200: { description: 'The session', json: ConsoleSessionDetail } },
    errors: ['SESSION_NOT_FOUND'],
    async handler({ path, client }) {
      return { body: renderConsoleSession(await readConsoleSession(deps, client, path.session_id)) };
    },
  });

  router.route({
    method: 'GET',
    url: '/console/api/sessions/:session_id/timeline',
    auth: 'console',
    startsWork: false,
    summary: "One session's timeline, oldest first: created, journey opened, statements stored and uploads refused (with the reason), consents, submission, processing, webhooks sent, expiry, deletion",
    params: Type.Object({ session_id: Type.String() }),
    responses: { 200: { description: 'The timeline', json: ConsoleTimelineWire } },
    errors: ['SESSION_NOT_FOUND'],
    async handler({ path, client }) {
      return { body: { entries: (await consoleSessionTimeline(deps, client, path.session_id)).map(renderTimelineEntry) } };
    },
  });

  router.route({
    method: 'GET',
    url: '/console/api/sessions/:session_id/reports',
    auth: 'console',
    startsWork: false,
    summary: "Links to a processed session's Excel reports: the session's workbook and each account's (signed, valid one hour)",
    params: Type.Object({ session_id: Type.String() }),
    responses: { 200: { description: 'Report links', json: ConsoleReportsWire } },
    errors: ['SESSION_NOT_FOUND', 'SESSION_DELETED', 'PROCESSING_NOT_REQUESTED', 'PROCESSING_NOT_COMPLETED'],
    async handler({ path, client }) {
      return { body: renderReports(await consoleReportLinks(deps, client, path.session_id)) };
    },
  });

  router.route({
    method: 'GET',
    url: '/console/api/users',
    auth: 'console-admin',
    startsWork: false,
    summary: "The client's console users (admins only)",
    responses: { 200: { description: 'Users', json: ConsoleUserList } },
    async handler({ client }) {
      const users = await listConsoleUsers(deps, client.clientId);
      return { body: { count: users.length, users: users.map(renderConsoleUser) } };
    },
  });

  router.route({
    method: 'POST',
    url: '/console/api/users',
    auth: 'console-admin',
    startsWork: false,
    body,
    summary: 'Invite a console user to this client (admins only); a generated password is shown once',
    requestBody: { consumes: ['application/json'], fields: newUserFields },
    responses: { 201: { description: 'Created', json: NewConsoleUserWire } },
    errors: ['EMAIL_TAKEN'],
    async handler({ params, client, signIn: current }) {
      const created = await createConsoleUser(deps, { clientId: client.clientId, ...readNewUser(params) }, { kind: 'user', user: current.user });
      return { status: 201, body: renderNewUser(created) };
    },
  });

  router.route({
    method: 'POST',
    url: '/console/api/users/:user_id/disable',
    auth: 'console-admin',
    startsWork: false,
    summary: 'Disable a console user of this client and end their sign-ins (admins only)',
    params: Type.Object({ user_id: Uuid }),
    responses: { 200: { description: 'Disabled', json: ConsoleUserWire } },
    errors: ['CONSOLE_USER_NOT_FOUND'],
    async handler({ path, client, signIn: current }) {
      const user = await disableConsoleUser(deps, path.user_id, { kind: 'user', user: current.user }, client.clientId);
      return { body: renderConsoleUser(user) };
    },
  });

  router.route({
    method: 'POST',
    url: '/console/api/users/:user_id/enable',
    auth: 'console-admin',
    startsWork: false,
    summary: 'Let a disabled console user of this client sign in again, with their password (admins only)',
    params: Type.Object({ user_id: Uuid }),
    responses: { 200: { description: 'Enabled', json: ConsoleUserWire } },
    errors: ['CONSOLE_USER_NOT_FOUND'],
    async handler({ path, client, signIn: current }) {
      const user = await enableConsoleUser(deps, path.user_id, { kind: 'user', user: current.user }, client.clientId);
      return { body: renderConsoleUser(user) };
    },
  });

  router.route({
    method: 'GET',
    url: '/console/api/audit-log',
    auth: 'console-admin',
    startsWork: false,
    summary: "What was changed in this client's console, newest first (admins only)",
    querystring: Type.Object({
      before: Type.Optional(Type.String({ description: 'next_before of the previous page.' })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    }),
    responses: { 200: { description: 'Entries', json: AuditLogWire } },
    errors: ['INVALID_REQUEST'],
    async handler({ request, client }) {
      const query = request.query as Record<string, unknown>;
      const limit = whole('limit', query.limit, 1, 200, 50);
      const before = query.before === undefined ? null : BigInt(whole('before', query.before, 1, 999_999, 1));
      const entries = await readAuditLog(deps, client.clientId, limit, before);
      return { body: { entries: entries.map(renderAuditEntry), next_before: entries.length === limit ? String(entries.at(-1)!.seq) : null } };
    },
  });
}
