/**
 * A session's webhook log (`/console/sessions/<id>/webhooks`): its events newest first, each
 * opening onto the exact payload sent and every delivery attempt; a replay per event, and a
 * signed test delivery to the configured URL. Pending events are looked at again every few
 * seconds, so a replay's outcome shows up without reloading.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { adminApi, api, ApiError, isAbort, messageOf, type TestDelivery, type WebhookAttempt, type WebhookEvent } from '../api.ts';
import { EmptyState, ErrorNotice, Spinner, Timestamp, useTitle } from '../components.tsx';
import { formatNumber, plural } from '../format.ts';
import { Link } from '../router.tsx';

type State =
  | { kind: 'loading' }
  | { kind: 'loaded'; events: WebhookEvent[] }
  | { kind: 'not-found' }
  | { kind: 'deleted' }
  | { kind: 'error'; message: string };

const POLL_MS = 3000;

export function WebhooksPage({ sessionId, isAdmin }: { sessionId: string; isAdmin: boolean }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [linkId, setLinkId] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const poll = useRef<number | undefined>(undefined);
  const sessionHref = `/console/sessions/${encodeURIComponent(sessionId)}`;

  const load = (signal?: AbortSignal, quiet = false) => {
    if (!quiet) setState({ kind: 'loading' });
    return adminApi
      .webhookEvents(sessionId, signal)
      .then((data) => {
        const events = [...data.payloads].sort((a, b) => b.created_at.localeCompare(a.created_at));
        setState({ kind: 'loaded', events });
      })
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        if (e instanceof ApiError && (e.code === 'SESSION_NOT_FOUND' || e.status === 404)) setState({ kind: 'not-found' });
        else if (e instanceof ApiError && (e.code === 'SESSION_DELETED' || e.status === 410)) setState({ kind: 'deleted' });
        else if (!quiet) setState({ kind: 'error', message: messageOf(e) });
      });
  };

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    api
      .session(sessionId, controller.signal)
      .then((d) => setLinkId(d.session.link_id || null))
      .catch(() => {
        // The title falls back to the session ID; the log's own answer says whether the session exists.
      });
    return () => controller.abort();
  }, [sessionId, attempt]);

  // While an event waits to be sent (a replay, a retry), look again every few seconds.
  // A retry scheduled far ahead is looked at when it is due, not every few seconds until then.
  const pendingEvents = state.kind === 'loaded' ? state.events.filter((e) => e.status === 'pending') : [];
  useEffect(() => {
    if (pendingEvents.length === 0) return;
    const due = Math.min(...pendingEvents.map((e) => (e.next_attempt_at ? Date.parse(e.next_attempt_at) - Date.now() + 500 : 0)));
    const delay = Math.min(Math.max(POLL_MS, Number.isFinite(due) ? due : POLL_MS), 60_000);
    poll.current = window.setTimeout(() => void load(undefined, true), delay);
    return () => window.clearTimeout(poll.current);
  }, [state]);

  const refresh = async () => {
    setRefreshing(true);
    try {
      await load(undefined, true);
    } finally {
      setRefreshing(false);
    }
  };

  const toggle = (eventId: string) => {
    const next = new Set(expanded);
    if (next.has(eventId)) next.delete(eventId);
    else next.add(eventId);
    setExpanded(next);
  };

  const title = state.kind === 'not-found' ? 'Session not found' : `Webhooks${linkId ? ` · ${linkId}` : ''}`;
  useTitle(title);

  return (
    <div class="page">
      <Link href={sessionHref} class="back-link">
        <span aria-hidden="true">←</span> {linkId ? `Session ${linkId}` : 'Session'}
      </Link>
      {state.kind === 'not-found' ? (
        <>
          <h1 tabIndex={-1}>Session not found</h1>
          <EmptyState title="No session of yours has this ID">
            <p class="muted">
              It may have been mistyped, or it belongs to another lender. <Link href="/console/sessions">Back to the sessions</Link>
            </p>
          </EmptyState>
        </>
      ) : (
        <>
          <div class="page-header">
            <div>
              <h1 tabIndex={-1}>Webhooks</h1>
              <p class="page-lead">
                Events sent to your webhook URL for {linkId ? <strong>{linkId}</strong> : 'this session'} <span class="mono muted">({sessionId})</span>, newest first.
              </p>
            </div>
            <div class="hook-header-actions">
              <button type="button" class="button button-secondary" onClick={() => void refresh()} disabled={refreshing || state.kind === 'loading'}>
                <svg class="button-icon" viewBox="0 0 16 16" aria-hidden="true">
                  <path d="M13 8a5 5 0 1 1-1.5-3.6M13 2.5v2.9h-2.9" />
                </svg>
                {refreshing ? 'Refreshing…' : 'Refresh'}
              </button>
            </div>
          </div>
          <TestWebhook isAdmin={isAdmin} />
          {state.kind === 'loading' && <Spinner label="Loading the webhook log…" />}
          {state.kind === 'error' && <ErrorNotice title="The webhook log could not be loaded" message={state.message} onRetry={() => setAttempt((n) => n + 1)} />}
          {state.kind === 'deleted' && (
            <EmptyState title="This session was deleted">
              <p class="muted">Its data, webhook log included, is no longer kept.</p>
            </EmptyState>
          )}
          {state.kind === 'loaded' &&
            (state.events.length === 0 ? (
              <EmptyState title="No webhook event yet">
                <p class="muted">An event is sent when the user finishes sharing, when the session expires, and when processing finishes.</p>
              </EmptyState>
            ) : (
              <section class="card card-flush" aria-labelledby="events-heading">
                <h2 id="events-heading" class="card-title">
                  Events <span class="count">{formatNumber(state.events.length)}</span>
                </h2>
                <ul class="hook-events">
                  {state.events.map((event) => (
                    <EventRow key={event.event_id} sessionId={sessionId} event={event} open={expanded.has(event.event_id)} onToggle={() => toggle(event.event_id)} onReplayed={() => void load(undefined, true)} />
                  ))}
                </ul>
              </section>
            ))}
        </>
      )}
    </div>
  );
}

/** A signed test delivery to the configured URL, and what the receiver answered. */
function TestWebhook({ isAdmin }: { isAdmin: boolean }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: true; delivery: TestDelivery } | { ok: false; code: string; message: string } | null>(null);
  const send = async () => {
    setBusy(true);
    setResult(null);
    try {
      setResult({ ok: true, delivery: await adminApi.sendTestWebhook() });
    } catch (e) {
      setResult({ ok: false, code: e instanceof ApiError ? e.code : 'ERROR', message: messageOf(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card hook-test" aria-labelledby="test-heading">
      <div class="hook-test-row">
        <div>
          <h2 id="test-heading" class="card-title hook-test-title">
            Test delivery
          </h2>
          <p class="muted">Sends a signed TEST_NOTIFICATION to your webhook URL right now, to check that your receiver accepts it.</p>
        </div>
        <button type="button" class="button button-primary" onClick={() => void send()} disabled={busy} aria-describedby="test-result">
          {busy ? 'Sending…' : 'Send test webhook'}
        </button>
      </div>
      <div id="test-result" role="status" class="hook-test-result">
        {result?.ok && (
          <p class="flag flag-ok">
            <span aria-hidden="true">✓</span> Delivered: your receiver answered {result.delivery.status_code ?? 'nothing'} in {formatNumber(result.delivery.latency_ms)} ms.
          </p>
        )}
      </div>
      <div role="alert">
        {result && !result.ok && (
          <p class="hook-test-error">
            <span aria-hidden="true">✕</span> <strong>Not delivered.</strong> {result.message}
            {result.code === 'WEBHOOK_NOT_CONFIGURED' &&
              (isAdmin ? (
                <>
                  {' '}
                  <Link href="/console/settings">Set the webhook URL in Settings</Link>
                </>
              ) : (
                ' Ask an admin to set the webhook URL.'
              ))}
          </p>
        )}
      </div>
    </section>
  );
}

const EVENT_LABELS: Record<string, string> = {
  SESSION_REQUIREMENT_COMPLETION_NOTIFICATION: 'User finished sharing',
  SESSION_EXPIRY_NOTIFICATION: 'Session expired',
  ENRICHMENT_NOTIFICATION: 'Processing finished',
  TEST_NOTIFICATION: 'Test',
};

const STATUS: Record<string, { label: string; icon: string; tone: string; hint: string }> = {
  delivered: { label: 'Delivered', icon: '✓', tone: 'ok', hint: 'Your receiver answered 2xx.' },
  failed: { label: 'Failed', icon: '✕', tone: 'failed', hint: 'Every attempt failed; replay it once your receiver is fixed.' },
  pending: { label: 'Pending', icon: '◷', tone: 'pending', hint: 'Waiting to be sent, or to be retried.' },
  skipped: { label: 'Skipped', icon: '–', tone: 'skipped', hint: 'No webhook URL was set when it was due.' },
};

/** Delivery status as an icon and a word; the colour only repeats them. */
export function DeliveryStatus({ status }: { status: string }) {
  const s = STATUS[status] ?? { label: status, icon: '•', tone: 'skipped', hint: '' };
  return (
    <span class={`hook-status hook-status-${s.tone}`} title={s.hint || undefined}>
      <span class="hook-status-icon" aria-hidden="true">
        {s.icon}
      </span>
      {s.label}
    </span>
  );
}

function EventRow({ sessionId, event, open, onToggle, onReplayed }: { sessionId: string; event: WebhookEvent; open: boolean; onToggle: () => void; onReplayed: () => void }) {
  const [replay, setReplay] = useState<{ kind: 'idle' } | { kind: 'busy' } | { kind: 'done' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  const panelId = `event-${event.event_id}`;
  const label = EVENT_LABELS[event.event_name] ?? event.event_name;
  const last = event.attempts.at(-1);

  const doReplay = async () => {
    setReplay({ kind: 'busy' });
    try {
      await adminApi.replayWebhook(sessionId, event.event_id);
      setReplay({ kind: 'done' });
      onReplayed();
    } catch (e) {
      setReplay({ kind: 'error', message: messageOf(e) });
    }
  };

  return (
    <li class={`hook-event${open ? ' is-open' : ''}`}>
      <div class="hook-event-head">
        <button type="button" class="hook-toggle" aria-expanded={open} aria-controls={panelId} onClick={onToggle}>
          <svg class="hook-chevron" viewBox="0 0 16 16" aria-hidden="true">
            <path d="M6 4l4 4-4 4" />
          </svg>
          <span class="hook-event-names">
            <span class="hook-event-label">{label}</span>
            <span class="mono small muted">{event.event_name}</span>
          </span>
          <span class="sr-only">, {open ? 'hide' : 'show'} payload and attempts</span>
        </button>
        <DeliveryStatus status={event.status} />
        <span class="hook-event-when">
          <span class="muted small">Created</span>
          <Timestamp iso={event.created_at} />
        </span>
        <span class="hook-event-attempts">
          {plural(event.attempts.length, 'attempt', 'attempts')}
          {last && <span class="muted small"> · last {attemptOutcome(last)}</span>}
        </span>
        <div class="hook-event-replay">
          <button type="button" class="button button-secondary" onClick={() => void doReplay()} disabled={replay.kind === 'busy'} aria-label={`Replay ${label} event`}>
            {replay.kind === 'busy' ? 'Replaying…' : 'Replay'}
          </button>
        </div>
      </div>
      <div class="hook-replay-feedback" role="status">
        {replay.kind === 'done' && (
          <p class="flag flag-ok">
            <span aria-hidden="true">✓</span> Replay queued: the same event (same event_id and body) is being sent again.
          </p>
        )}
      </div>
      <div role="alert">
        {replay.kind === 'error' && (
          <p class="hook-test-error">
            <span aria-hidden="true">✕</span> Replay failed: {replay.message}
          </p>
        )}
      </div>
      {event.last_error && event.status !== 'delivered' && (
        <p class="hook-last-error">
          <span class="muted">Last error:</span> {event.last_error}
          {event.next_attempt_at && event.status === 'pending' && (
            <>
              {' '}
              · <span class="muted">next attempt</span> <Timestamp iso={event.next_attempt_at} />
            </>
          )}
        </p>
      )}
      <div id={panelId} class="hook-event-body" hidden={!open}>
        {open && (
          <>
            <h3 class="hook-subtitle">Attempts</h3>
            {event.attempts.length === 0 ? <p class="muted">Not attempted yet.</p> : <AttemptsTable attempts={event.attempts} label={label} />}
            <h3 class="hook-subtitle">Payload</h3>
            <p class="muted small">Exactly the JSON body that was signed and sent.</p>
            <pre class="hook-payload" tabIndex={0} aria-label={`Payload of the ${label} event`}>
              {JSON.stringify(event.payload, null, 2)}
            </pre>
            <p class="muted small">
              Event ID <span class="mono">{event.event_id}</span>
              {event.delivered_at && (
                <>
                  {' '}
                  · delivered <Timestamp iso={event.delivered_at} />
                </>
              )}
            </p>
          </>
        )}
      </div>
    </li>
  );
}

function attemptOutcome(a: WebhookAttempt): string {
  if (a.status_code !== null) return `HTTP ${a.status_code}`;
  return a.error ? 'no answer' : '—';
}

function AttemptsTable({ attempts, label }: { attempts: WebhookAttempt[]; label: string }) {
  return (
    <div class="table-wrap hook-attempts">
      <table class="table">
        <caption class="sr-only">Delivery attempts of the {label} event</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              #
            </th>
            <th scope="col">Started</th>
            <th scope="col">Result</th>
            <th scope="col" class="num">
              Latency
            </th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a) => {
            const ok = a.status_code !== null && a.status_code >= 200 && a.status_code < 300;
            return (
              <tr key={a.attempt}>
                <td data-label="#" class="num">
                  {a.attempt}
                </td>
                <td data-label="Started" class="nowrap">
                  <Timestamp iso={a.started_at} />
                </td>
                <td data-label="Result">
                  <span class={`flag ${ok ? 'flag-ok' : 'flag-bad'}`}>
                    <span aria-hidden="true">{ok ? '✓' : '✕'}</span> {a.status_code !== null ? `HTTP ${a.status_code}` : 'No answer'}
                    <span class="sr-only">{ok ? ' (accepted)' : ' (failed)'}</span>
                  </span>
                </td>
                <td data-label="Latency" class="num">
                  {formatNumber(Math.round(a.latency_ms))} ms
                </td>
                <td data-label="Error" class="break">
                  {a.error ?? <span class="muted">—</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
