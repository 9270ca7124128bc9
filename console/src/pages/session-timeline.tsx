/**
 * A session's timeline (what happened to it, oldest first, refused uploads with their reason)
 * and its Excel reports, on the session page.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, isAbort, messageOf, type TimelineEntry } from '../api.ts';
import { ErrorNotice, Spinner, Timestamp } from '../components.tsx';
import { bankLabel, plural, statusLabel } from '../format.ts';
import { Link } from '../router.tsx';

type State = { kind: 'loading' } | { kind: 'loaded'; entries: TimelineEntry[] } | { kind: 'error'; message: string };

export function SessionTimeline({ sessionId }: { sessionId: string }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: 'loading' });
    api
      .timeline(sessionId, controller.signal)
      .then(({ entries }) => setState({ kind: 'loaded', entries }))
      .catch((e: unknown) => {
        if (!isAbort(e)) setState({ kind: 'error', message: messageOf(e) });
      });
    return () => controller.abort();
  }, [sessionId, attempt]);

  return (
    <section class="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" class="card-title">
        Timeline
      </h2>
      {state.kind === 'loading' && <Spinner label="Loading the timeline…" />}
      {state.kind === 'error' && <ErrorNotice title="The timeline could not be loaded" message={state.message} onRetry={() => setAttempt((n) => n + 1)} />}
      {state.kind === 'loaded' && (
        <ol class="timeline">
          {state.entries.map((entry, i) => (
            <TimelineItem key={i} entry={entry} sessionId={sessionId} />
          ))}
        </ol>
      )}
    </section>
  );
}

/** How an entry reads: a title, an optional line of detail, and whether it is a problem (said in words, not only by colour). */
function describe(entry: TimelineEntry): { title: string; detail?: string; problem?: boolean } {
  switch (entry.kind) {
    case 'created':
      return { title: 'Session created' };
    case 'journey_opened':
      return { title: 'The borrower opened the journey' };
    case 'statement_stored': {
      const what = entry.source === 'aa' ? 'Account Aggregator data' : entry.file_name ? `“${entry.file_name}”` : 'A statement';
      const pages = entry.page_count ? `, ${plural(entry.page_count, 'page', 'pages')}` : '';
      const fraud = entry.fraud_findings ? `; ${plural(entry.fraud_findings, 'fraud finding', 'fraud findings')}` : '';
      return { title: `Statement stored: ${bankLabel(entry.bank_name)}`, detail: `${what}${pages}${fraud}`, problem: Boolean(entry.fraud_findings) };
    }
    case 'upload_refused': {
      const who = entry.channel === 'journey' ? 'by the borrower in the journey' : 'through the API';
      const file = entry.file_name ? ` “${entry.file_name}”` : '';
      const detected = entry.detected_bank ? ` The file is from ${bankLabel(entry.detected_bank)}.` : '';
      return { title: `Upload refused${file}`, detail: `${entry.message ?? ''} (${entry.error_code}), ${who}.${detected}`, problem: true };
    }
    case 'aa_consent_requested':
      return { title: `Account Aggregator consent requested (${(entry.fetch_type ?? '').toLowerCase()})`, detail: `Consent ${statusLabel((entry.status ?? '').toLowerCase())}` };
    case 'user_submitted':
      return { title: 'The borrower submitted' };
    case 'processing_requested':
      return { title: 'Processing requested' };
    case 'processing_completed': {
      const failed = (entry.accounts ?? []).filter((a) => a.status !== 'completed');
      const detail = (entry.accounts ?? []).map((a) => `${bankLabel(a.bank_name)}: ${a.status ?? 'not processed'}${a.error_code ? ` (${a.error_code})` : ''}`).join('; ');
      return { title: failed.length ? `Processing finished, ${plural(failed.length, 'account', 'accounts')} failed` : 'Processing completed', detail, problem: failed.length > 0 };
    }
    case 'webhook': {
      const last = entry.last_status_code ? `HTTP ${entry.last_status_code}` : entry.last_error ?? '';
      const attempts = entry.attempts ? plural(entry.attempts, 'attempt', 'attempts') : 'no attempt yet';
      return { title: `Webhook ${entry.event_name}`, detail: `${statusLabel(entry.status ?? '')}: ${attempts}${last ? `, last ${last}` : ''}`, problem: entry.status === 'failed' };
    }
    case 'expired':
      return { title: 'Session expired' };
    case 'deleted':
      return { title: 'Session deleted' };
    default:
      return { title: statusLabel(entry.kind) };
  }
}

function TimelineItem({ entry, sessionId }: { entry: TimelineEntry; sessionId: string }) {
  const { title, detail, problem } = describe(entry);
  return (
    <li class={`timeline-item${problem ? ' timeline-problem' : ''}`}>
      <span class="timeline-marker" aria-hidden="true">
        {problem ? '!' : ''}
      </span>
      <div class="timeline-body">
        <p class="timeline-title">
          {problem && <span class="sr-only">Problem: </span>}
          {title}
        </p>
        {detail && <p class="timeline-detail">{detail}</p>}
        {entry.kind === 'webhook' && <Link href={`/console/sessions/${encodeURIComponent(sessionId)}/webhooks`}>Delivery log</Link>}
      </div>
      <Timestamp iso={entry.at} />
    </li>
  );
}

/** Downloads a processed session's Excel reports; the links are signed for an hour, so they are asked for on each click. */
export function SessionReports({ sessionId, accounts }: { sessionId: string; accounts: { account_id: string; bank_name?: string | null; account_number?: string | null }[] }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const download = async (which: string) => {
    setBusy(which);
    setError(null);
    try {
      const links = await api.reports(sessionId);
      const url = which === 'session' ? links.session_report_url : links.accounts.find((a) => a.account_id === which)?.report_url;
      if (!url) throw new Error('This account has no report: processing did not analyse it.');
      window.location.assign(url);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section class="card" aria-labelledby="reports-heading">
      <h2 id="reports-heading" class="card-title">
        Excel reports
      </h2>
      <div class="report-buttons">
        <button type="button" class="button" disabled={busy !== null} onClick={() => void download('session')}>
          {busy === 'session' ? 'Preparing…' : 'Download the session report (xlsx)'}
        </button>
        {accounts.length > 1 &&
          accounts.map((a) => (
            <button key={a.account_id} type="button" class="button button-secondary" disabled={busy !== null} onClick={() => void download(a.account_id)}>
              {busy === a.account_id ? 'Preparing…' : `${bankLabel(a.bank_name)} ${a.account_number ?? ''} (xlsx)`}
            </button>
          ))}
      </div>
      {error && <ErrorNotice title="The report could not be downloaded" message={error} />}
    </section>
  );
}
