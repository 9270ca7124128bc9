/**
 * One session: its summary, the journey link to copy, each account's coverage of the months the
 * session asked for, the statements with their fraud findings, its Excel reports and its timeline.
 */
import type { ComponentChildren } from 'preact';
import { renderSVG } from 'uqr';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, isAbort, messageOf, type Account, type SessionDetails, type Statement } from '../api.ts';
import { EmptyState, ErrorNotice, LocalDate, Spinner, StatusBadge, Timestamp, useTitle } from '../components.tsx';
import { bankLabel, formatMonth, formatNumber, formatPeriod, modeLabel, plural } from '../format.ts';
import { Link } from '../router.tsx';
import { lastListHref } from './sessions.tsx';
import { SessionReports, SessionTimeline } from './session-timeline.tsx';

type State = { kind: 'loading' } | { kind: 'loaded'; details: SessionDetails } | { kind: 'not-found' } | { kind: 'error'; message: string };

export function SessionPage({ sessionId }: { sessionId: string }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const listHref = lastListHref();

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: 'loading' });
    api
      .session(sessionId, controller.signal)
      .then((details) => setState({ kind: 'loaded', details }))
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        if (e instanceof ApiError && (e.code === 'SESSION_NOT_FOUND' || e.status === 404)) setState({ kind: 'not-found' });
        else setState({ kind: 'error', message: messageOf(e) });
      });
    return () => controller.abort();
  }, [sessionId, attempt]);

  const title = state.kind === 'loaded' ? state.details.session.link_id || 'Session' : state.kind === 'not-found' ? 'Session not found' : 'Session';
  useTitle(title);

  return (
    <div class="page">
      <Link href={listHref} class="back-link">
        <span aria-hidden="true">←</span> Sessions
      </Link>
      {state.kind === 'loading' && (
        <>
          <h1 tabIndex={-1} class="sr-only">
            Session
          </h1>
          <Spinner label="Loading the session…" />
        </>
      )}
      {state.kind === 'not-found' && (
        <>
          <h1 tabIndex={-1}>Session not found</h1>
          <EmptyState title="No session of yours has this ID">
            <p class="muted">
              It may have been mistyped, or it belongs to another lender. <Link href={listHref}>Back to the sessions</Link>
            </p>
          </EmptyState>
        </>
      )}
      {state.kind === 'error' && (
        <>
          <h1 tabIndex={-1}>Session</h1>
          <ErrorNotice title="The session could not be loaded" message={state.message} onRetry={() => setAttempt((n) => n + 1)} />
        </>
      )}
      {state.kind === 'loaded' && <SessionView details={state.details} />}
    </div>
  );
}

function SessionView({ details }: { details: SessionDetails }) {
  const { session } = details;
  const accounts = details.accounts ?? [];
  const statements = details.statements ?? [];
  const banks = session.banks && session.banks.length > 0 ? session.banks : session.bank_name ? [session.bank_name] : [];
  const months = session.months && session.months.length > 0 ? session.months : monthsOf(accounts);

  return (
    <>
      <div class="page-header">
        <div>
          <div class="title-row">
            <h1 tabIndex={-1}>{session.link_id || 'Session'}</h1>
            <StatusBadge status={session.status} />
          </div>
          <p class="page-lead mono">{session.session_id}</p>
        </div>
        <Link href={`/console/sessions/${encodeURIComponent(session.session_id)}/analysis`} class="button button-secondary analysis-link">
          Analysis
        </Link>
        <Link href={`/console/sessions/${encodeURIComponent(session.session_id)}/transactions`} class="button button-secondary">
          Transactions
        </Link>
        <Link href={`/console/sessions/${encodeURIComponent(session.session_id)}/webhooks`} class="button button-secondary">
          Webhooks
        </Link>
      </div>

      <section class="card" aria-labelledby="summary-heading">
        <h2 id="summary-heading" class="card-title">
          Summary
        </h2>
        <dl class="summary">
          <Item term="Link ID">{session.link_id || <span class="muted">None</span>}</Item>
          <Item term="Status">
            <StatusBadge status={session.status} />
          </Item>
          <Item term="Mode">
            {modeLabel(session.mode)}
            {session.journey_mode && session.journey_mode !== session.mode && <span class="muted"> (journey: {session.journey_mode})</span>}
          </Item>
          <Item term="Bank">{banks.length === 0 ? <span class="muted">Any bank</span> : banks.map(bankLabel).join(', ')}</Item>
          <Item term="Dates asked">
            {formatPeriod(session.from_date, session.to_date)}
            {months.length > 0 && <span class="muted"> ({plural(months.length, 'month', 'months')})</span>}
          </Item>
          <Item term="Statements">{formatNumber(session.statement_count ?? statements.length)}</Item>
          <Item term="Created">
            <Timestamp iso={session.created_at} />
          </Item>
          <Item term="Expires">
            <Timestamp iso={session.expires_at} />
          </Item>
          {session.user_completed_at && (
            <Item term="Submitted by the user">
              <Timestamp iso={session.user_completed_at} />
            </Item>
          )}
          {session.processing_requested_at && (
            <Item term="Processing requested">
              <Timestamp iso={session.processing_requested_at} />
            </Item>
          )}
          {session.processing_completed_at && (
            <Item term="Processing completed">
              <Timestamp iso={session.processing_completed_at} />
            </Item>
          )}
          {session.redirect_url && (
            <Item term="Redirect URL">
              <span class="break">{session.redirect_url}</span>
            </Item>
          )}
        </dl>
      </section>

      <JourneyLink url={session.journey_url ?? null} />

      <section class="card" aria-labelledby="accounts-heading">
        <h2 id="accounts-heading" class="card-title">
          Accounts <span class="count">{formatNumber(accounts.length)}</span>
        </h2>
        {accounts.length === 0 ? (
          <p class="muted card-empty">No account yet: accounts appear once a statement is shared.</p>
        ) : (
          <ul class="accounts">
            {accounts.map((account) => (
              <AccountCoverage key={account.account_id} account={account} months={months} />
            ))}
          </ul>
        )}
      </section>

      <section class="card card-flush" aria-labelledby="statements-heading">
        <h2 id="statements-heading" class="card-title">
          Statements <span class="count">{formatNumber(statements.length)}</span>
        </h2>
        {statements.length === 0 ? <p class="muted card-empty">No statement has been shared yet.</p> : <StatementsTable statements={statements} accounts={accounts} />}
      </section>

      {session.processing_completed_at && session.status !== 'deleted' && <SessionReports sessionId={session.session_id} accounts={accounts} />}

      <SessionTimeline sessionId={session.session_id} />
    </>
  );
}

function Item({ term, children }: { term: string; children: ComponentChildren }) {
  return (
    <div class="summary-item">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function monthsOf(accounts: Account[]): string[] {
  const all = new Set<string>();
  for (const a of accounts) for (const m of [...(a.months_covered ?? []), ...(a.missing_months ?? [])]) all.add(m);
  return [...all].sort();
}

function JourneyLink({ url }: { url: string | null }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const input = useRef<HTMLInputElement>(null);
  const reset = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(reset.current), []);

  const copy = async () => {
    if (!url) return;
    let ok = false;
    try {
      await navigator.clipboard.writeText(url);
      ok = true;
    } catch {
      // No clipboard API (a page not served over https): select the text so Ctrl+C copies it.
      input.current?.select();
    }
    setCopied(ok ? 'copied' : 'failed');
    window.clearTimeout(reset.current);
    reset.current = window.setTimeout(() => setCopied('idle'), 4000);
  };

  return (
    <section class="card" aria-labelledby="journey-heading">
      <h2 id="journey-heading" class="card-title">
        Journey link
      </h2>
      {url ? (
        <>
          <p class="card-lead">The page the user opens to share statements. Send it to them, or open it yourself to see what they see.</p>
          <div class="copy-row">
            <label for="journey-url" class="sr-only">
              Journey link
            </label>
            <input ref={input} id="journey-url" class="mono" type="text" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" class="button button-secondary" onClick={() => void copy()}>
              {copied === 'copied' ? 'Copied' : 'Copy link'}
            </button>
          </div>
          <p class="copy-status" role="status">
            {copied === 'copied' ? 'The link is copied.' : copied === 'failed' ? 'The browser did not allow copying: the link is selected, press Ctrl+C (⌘C) to copy it.' : ''}
          </p>
          <figure class="journey-qr">
            <img src={qrDataUrl(url)} width={160} height={160} alt="QR code of the journey link" />
            <figcaption class="muted">A borrower can scan it with a phone's camera to open the journey.</figcaption>
          </figure>
        </>
      ) : (
        <p class="muted card-empty">This session has no journey link (it has ended or was created without a journey).</p>
      )}
    </section>
  );
}

/** The link as a QR code, an SVG in a data: URL (which the console's CSP allows for images). */
function qrDataUrl(url: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(url, { border: 2 }))}`;
}

function AccountCoverage({ account, months }: { account: Account; months: string[] }) {
  const covered = new Set(account.months_covered ?? []);
  const missing = new Set(account.missing_months ?? []);
  const shown = months.length > 0 ? months : [...new Set([...covered, ...missing])].sort();
  const coveredCount = shown.filter((m) => covered.has(m)).length;
  const headingId = `account-${account.account_id}`;
  return (
    <li class="account">
      <div class="account-head">
        <div>
          <h3 id={headingId} class="account-title">
            {bankLabel(account.bank_name)}
            {account.account_number && <span class="mono account-number"> {account.account_number}</span>}
          </h3>
          <p class="muted">{account.account_holder ?? 'Account holder not read'}</p>
        </div>
        <p class={`coverage-summary${coveredCount === shown.length && shown.length > 0 ? ' is-complete' : ''}`}>
          {formatNumber(coveredCount)} of {plural(shown.length, 'month', 'months')} covered
        </p>
      </div>
      {shown.length > 0 && (
        <ol class="months" aria-label={`Months asked, ${bankLabel(account.bank_name)} ${account.account_number ?? ''}`.trim()}>
          {shown.map((month) => {
            const isCovered = covered.has(month) && !missing.has(month);
            return (
              <li key={month} class={`month ${isCovered ? 'month-covered' : 'month-missing'}`}>
                <span class="month-name">
                  <abbr title={formatMonth(month)}>{formatMonth(month, true)}</abbr>
                </span>
                <span class="month-state">
                  <span aria-hidden="true">{isCovered ? '✓' : '✕'}</span> {isCovered ? 'Covered' : 'Missing'}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </li>
  );
}

function StatementsTable({ statements, accounts }: { statements: Statement[]; accounts: Account[] }) {
  const accountNumber = new Map(accounts.map((a) => [a.account_id, a.account_number]));
  return (
    <div class="table-wrap table-wrap-flush">
      <table class="table table-statements">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Bank</th>
            <th scope="col" class="num">
              Pages
            </th>
            <th scope="col">Period</th>
            <th scope="col">Uploaded</th>
            <th scope="col">Fraud findings</th>
          </tr>
        </thead>
        <tbody>
          {statements.map((s) => {
            const number = s.account_id ? accountNumber.get(s.account_id) : null;
            return (
              <tr key={s.statement_id}>
                <td data-label="File" class="cell-primary">
                  <div class="cell-stack">
                    <span class="file-name break">{s.file_name ?? (s.source === 'aa' ? 'Account Aggregator data' : 'Unnamed file')}</span>
                    <span class="muted small">
                      {sourceLabel(s.source)}
                      {number ? ` · ${number}` : ''}
                    </span>
                  </div>
                </td>
                <td data-label="Bank">{bankLabel(s.bank_name)}</td>
                <td data-label="Pages" class="num">
                  {s.page_count == null ? <span class="muted">—</span> : formatNumber(s.page_count)}
                </td>
                <td data-label="Period">
                  <span>{formatPeriod(s.from_date, s.to_date)}</span>
                </td>
                <td data-label="Uploaded" class="nowrap">
                  <LocalDate iso={s.uploaded_at} />
                </td>
                <td data-label="Fraud findings">
                  <FraudFindings fraud={s.fraud} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function sourceLabel(source: string | null | undefined): string {
  if (source === 'pdf') return 'PDF';
  if (source === 'aa') return 'Account Aggregator';
  if (source === 'online') return 'Net banking';
  return source ?? 'Unknown source';
}

function FraudFindings({ fraud }: { fraud: Statement['fraud'] }) {
  if (fraud === null || fraud === undefined) return <span class="muted">Not checked</span>;
  if (fraud.length === 0) {
    return (
      <span class="flag flag-ok">
        <span aria-hidden="true">✓</span> None found
      </span>
    );
  }
  return (
    <div class="findings">
      <span class="flag flag-warn">
        <span aria-hidden="true">⚠</span> {plural(fraud.length, 'finding', 'findings')}
      </span>
      <ul class="finding-list">
        {fraud.map((f, i) => (
          <li key={i}>
            <span class="finding-type">{humanizeType(f.fraud_type)}</span>
            {f.description && <span class="finding-description">{f.description}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function humanizeType(type: string): string {
  const words = type.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
