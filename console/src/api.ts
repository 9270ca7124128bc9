/**
 * The console API (`/console/api/…`): same-origin JSON, the sign-in cookie sent by the browser,
 * and the CSRF token from sign-in (or /me) on every request that is not a GET. Errors arrive in
 * the envelope `{"error": {"code", "message"}}`; a 401 anywhere but at sign-in means the sign-in
 * has ended, and the app sends the user to the sign-in page (`onSignInRequired`).
 */

export type Role = 'admin' | 'analyst';

export interface Me {
  user: { user_id: string; email: string; name: string; role: Role; client_id: string };
  client: { client_id: string; name: string };
  csrf_token: string;
}

export const STATUSES = ['created', 'in_progress', 'processing', 'completed', 'expired', 'deleted'] as const;
export type Status = (typeof STATUSES)[number];

export const MODES = ['pdf', 'aa', 'online'] as const;
export type Mode = (typeof MODES)[number];

export const SORTS = ['created_at', '-created_at', 'link_id', '-link_id', 'expires_at', '-expires_at'] as const;
export type Sort = (typeof SORTS)[number];

export interface SessionRow {
  session_id: string;
  link_id: string;
  status: string;
  mode: string | null;
  journey_mode?: string | null;
  bank_name?: string | null;
  banks?: string[];
  statement_count?: number;
  from_date?: string | null;
  to_date?: string | null;
  created_at: string;
  expires_at?: string | null;
}

export interface SessionList {
  count: number;
  page: number;
  page_size: number;
  counts?: Partial<Record<Status, number>>;
  results: SessionRow[];
}

export interface SessionDetail extends SessionRow {
  months?: string[];
  journey_url?: string | null;
  redirect_url?: string | null;
  user_completed_at?: string | null;
  processing_requested_at?: string | null;
  processing_completed_at?: string | null;
}

export interface Account {
  account_id: string;
  bank_name?: string | null;
  account_number?: string | null;
  account_holder?: string | null;
  months_covered?: string[];
  missing_months?: string[];
}

export interface FraudFinding {
  fraud_type: string;
  description?: string | null;
}

export interface Statement {
  statement_id: string;
  account_id?: string | null;
  bank_name?: string | null;
  file_name?: string | null;
  page_count?: number | null;
  from_date?: string | null;
  to_date?: string | null;
  uploaded_at?: string | null;
  source?: string | null;
  fraud?: FraudFinding[] | null;
}

export interface SessionDetails {
  session: SessionDetail;
  accounts?: Account[];
  statements?: Statement[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

let csrfToken: string | null = null;
let signInRequired: () => void = () => {};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called once by the app: what to do when the server says the sign-in has ended. */
export function onSignInRequired(handler: () => void): void {
  signInRequired = handler;
}

function errorEnvelope(data: unknown): { code?: unknown; message?: unknown } | undefined {
  if (typeof data !== 'object' || data === null || !('error' in data)) return undefined;
  const error = data.error;
  return typeof error === 'object' && error !== null ? error : undefined;
}

export async function request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  let data: unknown = null;
  try {
    data = await res.json();
  } catch {
    // Not JSON (a proxy's error page): the status alone tells what happened.
  }
  if (!res.ok) {
    const envelope = errorEnvelope(data);
    const code = typeof envelope?.code === 'string' ? envelope.code : `HTTP_${res.status}`;
    const message = typeof envelope?.message === 'string' ? envelope.message : `The server answered ${res.status}. Try again in a moment.`;
    if (res.status === 401 && code !== 'CONSOLE_SIGN_IN_FAILED') signInRequired();
    throw new ApiError(res.status, code, message);
  }
  return data as T;
}

export const api = {
  me: () => request<Me>('GET', '/console/api/me'),
  signIn: (email: string, password: string) => request<Me>('POST', '/console/api/sign-in', { email, password }),
  signOut: () => request<undefined>('POST', '/console/api/sign-out'),
  signOutEverywhere: () => request<undefined>('POST', '/console/api/sign-out-everywhere'),
  sessions: (query: URLSearchParams, signal?: AbortSignal) => request<SessionList>('GET', `/console/api/sessions?${query.toString()}`, undefined, signal),
  session: (sessionId: string, signal?: AbortSignal) => request<SessionDetails>('GET', `/console/api/sessions/${encodeURIComponent(sessionId)}`, undefined, signal),
  createSession: (body: { link_id: string; from_date?: string; to_date?: string; redirect_url?: string }) => request<{ session_id: string; journey_url: string }>('POST', '/console/api/sessions', body),
  timeline: (sessionId: string, signal?: AbortSignal) => request<{ entries: TimelineEntry[] }>('GET', `/console/api/sessions/${encodeURIComponent(sessionId)}/timeline`, undefined, signal),
  reports: (sessionId: string) => request<ReportLinks>('GET', `/console/api/sessions/${encodeURIComponent(sessionId)}/reports`),
};

/** One thing that happened to a session (GET …/timeline); the fields present depend on `kind`. */
export interface TimelineEntry {
  kind: string;
  at: string;
  statement_id?: string;
  bank_name?: string;
  file_name?: string | null;
  source?: string | null;
  page_count?: number | null;
  fraud_findings?: number;
  error_code?: string | null;
  message?: string;
  channel?: 'api' | 'journey';
  detected_bank?: string | null;
  fetch_type?: string;
  status?: string | null;
  accounts?: { bank_name: string; status: string | null; error_code: string | null }[];
  event_id?: string;
  event_name?: string;
  attempts?: number;
  last_status_code?: number | null;
  last_error?: string | null;
}

export interface ReportLinks {
  session_report_url: string;
  accounts: { account_id: string; bank_name: string; account_number: string | null; report_url: string }[];
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong. Try again.';
}

/* Webhooks, settings, users and the audit log (pages/webhooks.tsx, settings.tsx, users.tsx). */

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'skipped';

export interface WebhookAttempt {
  attempt: number;
  started_at: string;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
}

export interface WebhookEvent {
  event_id: string;
  event_name: string;
  /** pending, delivered, failed or skipped (DeliveryStatus). */
  status: string;
  created_at: string;
  delivered_at: string | null;
  next_attempt_at: string | null;
  last_error: string | null;
  attempts: WebhookAttempt[];
  payload: Record<string, unknown>;
}

export interface WebhookEvents {
  session_id: string;
  payloads: WebhookEvent[];
}

export interface TestDelivery {
  message: string;
  event_id: string;
  status_code: number | null;
  latency_ms: number;
}

export interface ClientSettings {
  client_id: string;
  name: string;
  enabled_modes: string[];
  plan_status: string;
  allowed_redirect_hosts: string[];
  frame_origins: string[];
  created_at: string;
  updated_at: string;
  api_key?: string;
  server_hash?: string;
}

export interface Settings {
  client: ClientSettings;
  webhook_url: string | null;
}

export interface ConsoleUser {
  user_id: string;
  client_id: string;
  email: string;
  name: string;
  role: Role;
  disabled_at: string | null;
  created_at: string;
}

export interface AuditEntry {
  seq: string;
  actor: string;
  user_id: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  at: string;
}

export interface AuditLog {
  entries: AuditEntry[];
  next_before: string | null;
}

const sessionPath = (sessionId: string) => `/console/api/sessions/${encodeURIComponent(sessionId)}`;

export const adminApi = {
  webhookEvents: (sessionId: string, signal?: AbortSignal) => request<WebhookEvents>('GET', `${sessionPath(sessionId)}/webhooks`, undefined, signal),
  replayWebhook: (sessionId: string, eventId: string) => request<{ event_id: string; status: string }>('POST', `${sessionPath(sessionId)}/webhooks/${encodeURIComponent(eventId)}/replay`),
  sendTestWebhook: () => request<TestDelivery>('POST', '/console/api/webhooks/test'),
  settings: (signal?: AbortSignal) => request<Settings>('GET', '/console/api/settings', undefined, signal),
  updateSettings: (changes: { allowed_redirect_hosts?: string[]; frame_origins?: string[] }) => request<Settings>('PATCH', '/console/api/settings', changes),
  setWebhookUrl: (webhookUrl: string) => request<{ webhook_url: string; webhook_secret: string | null }>('POST', '/console/api/settings/webhook', { webhook_url: webhookUrl }),
  rotateWebhookSecret: () => request<{ webhook_secret: string; previous_secret_valid_until: string | null }>('POST', '/console/api/settings/webhook/rotate-secret'),
  rotateApiKeys: () => request<ClientSettings>('POST', '/console/api/settings/api-keys/rotate'),
  users: (signal?: AbortSignal) => request<{ count: number; users: ConsoleUser[] }>('GET', '/console/api/users', undefined, signal),
  inviteUser: (user: { email: string; name: string; role: Role }) => request<{ user: ConsoleUser; password: string | null }>('POST', '/console/api/users', user),
  disableUser: (userId: string) => request<ConsoleUser>('POST', `/console/api/users/${encodeURIComponent(userId)}/disable`),
  enableUser: (userId: string) => request<ConsoleUser>('POST', `/console/api/users/${encodeURIComponent(userId)}/enable`),
  auditLog: (before: string | null, limit: number, signal?: AbortSignal) =>
    request<AuditLog>('GET', `/console/api/audit-log?${new URLSearchParams({ ...(before ? { before } : {}), limit: String(limit) }).toString()}`, undefined, signal),
};
