/**
 * A session's transactions: every row of an account (20,000 of them are fine: the table is
 * virtualised with @tanstack/virtual-core, only the rows in view are in the page), filters kept in
 * the URL's query, and the statement viewer (../viewer/statement-viewer.tsx) on the row the
 * keyboard or the mouse picks. Fraud findings with a box on a page open the viewer there too.
 */
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, isAbort, messageOf } from '../api.ts';
import { EmptyState, ErrorNotice, Spinner, useTitle } from '../components.tsx';
import { bankLabel, formatDate, formatNumber, plural } from '../format.ts';
import { Link, navigate, type Location } from '../router.tsx';
import { StatementViewer, type ViewerTarget } from '../viewer/statement-viewer.tsx';
import {
  applyFilters,
  categoryLabel,
  channelLabel,
  EMPTY_FILTERS,
  fetchInsights,
  filtersSearch,
  formatAmount,
  formatRupees,
  fraudTypeLabel,
  hasFilters,
  optionsOf,
  parseFilters,
  rowsOf,
  type AccountWire,
  type EvidenceWire,
  type Filters,
  type FraudWire,
  type InsightsDoc,
  type Row,
} from '../viewer/transactions-data.ts';
import { useWindowVirtualizer } from '../viewer/use-virtualizer.ts';

type State =
  | { kind: 'loading' }
  | { kind: 'loaded'; doc: InsightsDoc }
  | { kind: 'not-processed'; code: string; message: string }
  | { kind: 'not-found' }
  | { kind: 'error'; message: string };

/** Fixed heights (styles.css, .txn-tr): a row's size is known without measuring it. */
const ROW_HEIGHT = 36;
const HEAD_HEIGHT = 36;
/** The console's top bar (styles.css, .topbar-inner), which the table's header sticks under. */
const TOP_BAR_HEIGHT = 56;

export function TransactionsPage({ sessionId, location }: { sessionId: string; location: Location }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const filters = parseFilters(location.search);

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: 'loading' });
    fetchInsights(sessionId, controller.signal)
      .then((doc) => setState({ kind: 'loaded', doc }))
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        if (e instanceof ApiError && (e.code === 'PROCESSING_NOT_REQUESTED' || e.code === 'PROCESSING_NOT_COMPLETED')) setState({ kind: 'not-processed', code: e.code, message: e.message });
        else if (e instanceof ApiError && (e.code === 'SESSION_NOT_FOUND' || e.status === 404)) setState({ kind: 'not-found' });
        else setState({ kind: 'error', message: messageOf(e) });
      });
    return () => controller.abort();
  }, [sessionId, attempt]);

  const linkId = state.kind === 'loaded' ? state.doc.link_id : '';
  useTitle(linkId ? `Transactions · ${linkId}` : 'Transactions');
  const sessionHref = `/console/sessions/${encodeURIComponent(sessionId)}`;

  return (
    <div class="page txn-page">
      <Link href={sessionHref} class="back-link">
        <span aria-hidden="true">←</span> {linkId ? `Session ${linkId}` : 'Session'}
      </Link>
      {state.kind === 'loading' && (
        <>
          <h1 tabIndex={-1}>Transactions</h1>
          <Spinner label="Loading the transactions…" />
        </>
      )}
      {state.kind === 'not-found' && (
        <>
          <h1 tabIndex={-1}>Session not found</h1>
          <EmptyState title="No session of yours has this ID">
            <p class="muted">
              It may have been mistyped, or it belongs to another lender. <Link href="/console/sessions">Back to the sessions</Link>
            </p>
          </EmptyState>
        </>
      )}
      {state.kind === 'not-processed' && (
        <>
          <h1 tabIndex={-1}>Transactions</h1>
          <EmptyState title="Not processed yet">
            <p class="muted">
              {state.code === 'PROCESSING_NOT_REQUESTED'
                ? 'The transactions are read once processing is asked for: when the borrower submits the journey, or your backend calls initiate_processing.'
                : 'Processing has started and has not finished: the transactions show here once it has.'}
            </p>
            <div class="empty-actions">
              <button type="button" class="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
                Check again
              </button>
              <Link href={sessionHref} class="button button-ghost">
                Back to the session
              </Link>
            </div>
          </EmptyState>
        </>
      )}
      {state.kind === 'error' && (
        <>
          <h1 tabIndex={-1}>Transactions</h1>
          <ErrorNotice title="The transactions could not be loaded" message={state.message} onRetry={() => setAttempt((n) => n + 1)} />
        </>
      )}
      {state.kind === 'loaded' && <TransactionsView sessionId={sessionId} doc={state.doc} filters={filters} />}
    </div>
  );
}

type ViewerState = { kind: 'rows' } | { kind: 'evidence'; at: number };

interface EvidenceItem {
  finding: FraudWire;
  findingIndex: number;
  evidence: Extract<EvidenceWire, { kind: 'box' }>;
  /** Its place among the finding's boxes, from 0, and how many it has. */
  boxIndex: number;
  boxes: number;
}

function TransactionsView({ sessionId, doc, filters }: { sessionId: string; doc: InsightsDoc; filters: Filters }) {
  const accounts = doc.accounts;
  const account: AccountWire | undefined = accounts.find((a) => a.account_id === filters.account) ?? accounts[0];
  const rows = useMemo(() => (account ? rowsOf(account) : []), [account]);
  const filtered = useMemo(() => applyFilters(rows, filters), [rows, filters.q, filters.channel, filters.category, filters.type, filters.min, filters.max, filters.from, filters.to]);
  const [selected, setSelected] = useState<string | null>(null);
  const [viewer, setViewer] = useState<ViewerState | null>(null);
  const grid = useRef<HTMLDivElement>(null);
  const selectedIndex = useMemo(() => (selected === null ? -1 : filtered.findIndex((r) => r.hash === selected)), [filtered, selected]);

  const statementNames = useMemo(() => new Map(accounts.flatMap((a) => a.data.statement_stats.map((s) => [s.statement_id, s.upload_file_name] as const))), [accounts]);
  const statementName = (id: string) => statementNames.get(id) ?? null;
  const byHash = useMemo(() => new Map(rows.map((r) => [r.hash, r])), [rows]);
  const findings = account?.data.fraud ?? [];
  const evidence = useMemo(() => {
    const items: EvidenceItem[] = [];
    findings.forEach((finding, findingIndex) => {
      const boxes = finding.evidence.filter((e): e is Extract<EvidenceWire, { kind: 'box' }> => e.kind === 'box');
      boxes.forEach((e, boxIndex) => items.push({ finding, findingIndex, evidence: e, boxIndex, boxes: boxes.length }));
    });
    return items;
  }, [findings]);
  const findingsOf = (hash: string) => findings.filter((f) => f.transaction_hash === hash || f.evidence.some((e) => e.kind === 'box' && e.transaction_hash === hash));

  const go = (changes: Partial<Filters>, options: { replace?: boolean } = {}) => {
    navigate(`/console/sessions/${encodeURIComponent(sessionId)}/transactions${filtersSearch({ ...filters, ...changes })}`, options);
  };

  const closeViewer = () => {
    const was = viewer;
    setViewer(null);
    // Back to the table on the row the viewer was showing.
    if (was?.kind === 'rows') window.setTimeout(() => grid.current?.focus({ preventScroll: true }));
  };

  if (!account) {
    return (
      <>
        <h1 tabIndex={-1}>Transactions</h1>
        <EmptyState title="No account in this session">
          <p class="muted">The session was processed, but no statement in it gave an account.</p>
        </EmptyState>
      </>
    );
  }
  const details = account.data.account_details;
  const current = viewer?.kind === 'rows' && selectedIndex >= 0 ? filtered[selectedIndex]! : null;
  const currentEvidence = viewer?.kind === 'evidence' ? evidence[viewer.at] : undefined;

  return (
    <>
      <div class="page-header txn-header">
        <div>
          <h1 tabIndex={-1}>Transactions</h1>
          <p class="page-lead">
            {bankLabel(details.bank)}
            {details.account_number && <span class="mono"> {details.account_number}</span>}
            {details.name && <span> · {details.name}</span>}
          </p>
        </div>
        {accounts.length > 1 && (
          <div class="field txn-account">
            <label for="txn-account">Account</label>
            <select id="txn-account" value={account.account_id} onChange={(event) => go({ ...EMPTY_FILTERS, account: event.currentTarget.value })}>
              {accounts.map((a) => (
                <option key={a.account_id} value={a.account_id}>
                  {bankLabel(a.data.account_details.bank)} {a.data.account_details.account_number ?? a.account_id.slice(0, 8)} ({plural(a.data.transactions.length, 'transaction', 'transactions')})
                </option>
              ))}
            </select>
          </div>
        )}
      </div>

      <FraudStrip findings={findings} evidence={evidence} onShow={(at) => setViewer({ kind: 'evidence', at })} />

      <FilterBar rows={rows} filters={filters} go={go} />

      <p class="txn-count" role="status">
        <strong>{formatNumber(filtered.length)}</strong> of {plural(rows.length, 'transaction', 'transactions')}
        {hasFilters(filters) && filtered.length < rows.length && <span class="muted"> match the filters</span>}
      </p>

      {filtered.length === 0 ? (
        <EmptyState title={rows.length === 0 ? 'No transactions in this account' : 'No transactions match these filters'}>
          {hasFilters(filters) && (
            <button type="button" class="button button-secondary" onClick={() => go({ ...EMPTY_FILTERS, account: filters.account })}>
              Clear filters
            </button>
          )}
        </EmptyState>
      ) : (
        <TransactionTable
          rows={filtered}
          gridRef={grid}
          selectedIndex={selectedIndex}
          onSelect={(i) => setSelected(filtered[i]?.hash ?? null)}
          onOpen={(i) => {
            setSelected(filtered[i]?.hash ?? null);
            setViewer({ kind: 'rows' });
          }}
        />
      )}

      {current && (
        <StatementViewer
          sessionId={sessionId}
          heading={`Transaction ${formatNumber(selectedIndex + 1)} of ${formatNumber(filtered.length)}`}
          announce={`Transaction ${formatNumber(selectedIndex + 1)} of ${formatNumber(filtered.length)}: ${formatDate(current.date)}, ${current.type} ${formatRupees(current.amount)}, ${current.note}`}
          target={{ statementId: current.statementId, page: current.page, bbox: current.bbox, boxLabel: `${current.type === 'debit' ? 'Debit' : 'Credit'} ${formatRupees(current.amount)}` }}
          noPage="This transaction came from Account Aggregator data: there is no statement page to show."
          details={<RowDetails row={current} findings={findingsOf(current.hash)} statementName={statementName} />}
          statementName={statementName}
          itemName="transaction"
          hasPrevious={selectedIndex > 0}
          hasNext={selectedIndex < filtered.length - 1}
          onPrevious={() => setSelected(filtered[selectedIndex - 1]?.hash ?? selected)}
          onNext={() => setSelected(filtered[selectedIndex + 1]?.hash ?? selected)}
          onClose={closeViewer}
        />
      )}
      {currentEvidence && viewer?.kind === 'evidence' && (
        <EvidenceViewer
          sessionId={sessionId}
          item={currentEvidence}
          at={viewer.at}
          count={evidence.length}
          row={currentEvidence.evidence.transaction_hash ? (byHash.get(currentEvidence.evidence.transaction_hash) ?? null) : null}
          statementName={statementName}
          onMove={(at) => setViewer({ kind: 'evidence', at })}
          onClose={closeViewer}
        />
      )}
    </>
  );
}

function EvidenceViewer(props: {
  sessionId: string;
  item: EvidenceItem;
  at: number;
  count: number;
  row: Row | null;
  statementName: (id: string) => string | null;
  onMove: (at: number) => void;
  onClose: () => void;
}) {
  const { item, at, count, row } = props;
  const type = fraudTypeLabel(item.finding.fraud_type);
  const target: ViewerTarget = { statementId: item.evidence.statement_id, page: item.evidence.page, bbox: item.evidence.bbox, boxLabel: item.boxes > 1 ? `Evidence ${item.boxIndex + 1} of ${item.boxes}` : 'Evidence' };
  return (
    <StatementViewer
      sessionId={props.sessionId}
      heading={`Fraud finding: ${type}`}
      announce={`Evidence ${at + 1} of ${count}: ${type}, page ${item.evidence.page}`}
      target={target}
      noPage=""
      itemName="evidence box"
      details={
        <div class="viewer-detail-stack">
          <p class="viewer-position">
            Evidence {formatNumber(at + 1)} of {formatNumber(count)}
          </p>
          <div class="viewer-finding">
            <p class="flag flag-warn">
              <span aria-hidden="true">⚠</span> {type}
            </p>
            <p>{item.finding.reason}</p>
            {item.boxes > 1 && (
              <p class="muted small">
                Box {item.boxIndex + 1} of the {item.boxes} this finding points at.
              </p>
            )}
          </div>
          {row ? <RowDetails row={row} findings={[]} statementName={props.statementName} /> : <p class="muted">This box is not a transaction row (a total or a heading of the statement).</p>}
        </div>
      }
      statementName={props.statementName}
      hasPrevious={at > 0}
      hasNext={at < count - 1}
      onPrevious={() => props.onMove(at - 1)}
      onNext={() => props.onMove(at + 1)}
      onClose={props.onClose}
    />
  );
}

function RowDetails({ row, findings, statementName }: { row: Row; findings: FraudWire[]; statementName: (id: string) => string | null }) {
  return (
    <div class="viewer-detail-stack">
      <dl class="viewer-facts">
        <div>
          <dt>Date</dt>
          <dd>{formatDate(row.date)}</dd>
        </div>
        <div>
          <dt>{row.type === 'debit' ? 'Debit' : 'Credit'}</dt>
          <dd class={`viewer-amount is-${row.type}`}>
            {row.type === 'debit' ? '− ' : '+ '}
            {formatRupees(row.amount)}
          </dd>
        </div>
        <div>
          <dt>Balance after</dt>
          <dd>{formatRupees(row.balance)}</dd>
        </div>
        <div class="viewer-fact-wide">
          <dt>Narration</dt>
          <dd class="viewer-narration">{row.note || '—'}</dd>
        </div>
        {row.merchant && (
          <div class="viewer-fact-wide">
            <dt>Merchant or counterparty</dt>
            <dd>{row.merchant}</dd>
          </div>
        )}
        <div>
          <dt>Channel</dt>
          <dd>{channelLabel(row.channel)}</dd>
        </div>
        <div>
          <dt>Category</dt>
          <dd>{categoryLabel(row.category)}</dd>
        </div>
        <div class="viewer-fact-wide">
          <dt>Printed on</dt>
          <dd>{row.page ? `Page ${row.page} of ${statementName(row.statementId) ?? 'the statement'}` : 'No page (Account Aggregator data)'}</dd>
        </div>
      </dl>
      {findings.map((f, i) => (
        <div key={i} class="viewer-finding">
          <p class="flag flag-warn">
            <span aria-hidden="true">⚠</span> Fraud finding: {fraudTypeLabel(f.fraud_type)}
          </p>
          <p>{f.reason}</p>
        </div>
      ))}
    </div>
  );
}

const FINDINGS_SHOWN = 3;

function FraudStrip({ findings, evidence, onShow }: { findings: FraudWire[]; evidence: EvidenceItem[]; onShow: (at: number) => void }) {
  const [all, setAll] = useState(false);
  const headingId = useId();
  if (findings.length === 0) {
    return (
      <p class="txn-fraud-none">
        <span class="flag flag-ok">
          <span aria-hidden="true">✓</span> No fraud findings
        </span>{' '}
        <span class="muted">in this account's statements.</span>
      </p>
    );
  }
  const shown = all ? findings : findings.slice(0, FINDINGS_SHOWN);
  return (
    <section class="txn-fraud" aria-labelledby={headingId}>
      <h2 id={headingId} class="txn-fraud-title">
        <span aria-hidden="true">⚠</span> Fraud findings <span class="count">{formatNumber(findings.length)}</span>
      </h2>
      <ul class="txn-fraud-list">
        {shown.map((finding, i) => {
          const first = evidence.findIndex((e) => e.findingIndex === i);
          const box = first >= 0 ? evidence[first]!.evidence : null;
          return (
            <li key={i}>
              <span class="finding-type">{fraudTypeLabel(finding.fraud_type)}</span>
              <span class="txn-fraud-reason">{finding.reason}</span>
              {box ? (
                <button type="button" class="button button-secondary button-small" onClick={() => onShow(first)} aria-label={`Show on page ${box.page}: ${fraudTypeLabel(finding.fraud_type)}`}>
                  Show on page {box.page}
                </button>
              ) : (
                <span class="muted small">No box on a page</span>
              )}
            </li>
          );
        })}
      </ul>
      {findings.length > FINDINGS_SHOWN && (
        <button type="button" class="button button-ghost button-small" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${formatNumber(findings.length)} findings`}
        </button>
      )}
    </section>
  );
}

function FilterBar({ rows, filters, go }: { rows: Row[]; filters: Filters; go: (changes: Partial<Filters>, options?: { replace?: boolean }) => void }) {
  const channels = useMemo(() => optionsOf(rows, (r) => r.channel, channelLabel), [rows]);
  const categories = useMemo(() => optionsOf(rows, (r) => r.category, categoryLabel), [rows]);
  // Typed values are applied after a pause (and on Enter, or leaving the field), into the URL.
  const [typed, setTyped] = useState({ q: filters.q, min: filters.min, max: filters.max });
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    setTyped((t) => ({ q: t.q.trim() === filters.q ? t.q : filters.q, min: t.min === filters.min ? t.min : filters.min, max: t.max === filters.max ? t.max : filters.max }));
  }, [filters.q, filters.min, filters.max]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const apply = (values: typeof typed) => {
    window.clearTimeout(timer.current);
    const amount = (v: string) => (/^\d+(\.\d{0,2})?$/.test(v.trim()) ? v.trim() : '');
    const next = { q: values.q.trim(), min: amount(values.min), max: amount(values.max) };
    if (next.q !== filters.q || next.min !== filters.min || next.max !== filters.max) go(next, { replace: true });
  };
  const type = (key: keyof typeof typed, value: string) => {
    const next = { ...typed, [key]: value };
    setTyped(next);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => apply(next), key === 'q' ? 250 : 500);
  };

  return (
    <form
      class="filters txn-filters"
      role="search"
      aria-label="Transactions"
      onSubmit={(event) => {
        event.preventDefault();
        apply(typed);
      }}
    >
      <div class="field field-search">
        <label for="txn-q">Search</label>
        <div class="input-icon">
          <svg viewBox="0 0 20 20" aria-hidden="true">
            <circle cx="9" cy="9" r="5.5" />
            <path d="M13 13l4 4" />
          </svg>
          <input id="txn-q" type="search" placeholder="Narration or merchant" autoComplete="off" spellcheck={false} value={typed.q} onInput={(e) => type('q', e.currentTarget.value)} onBlur={() => apply(typed)} />
        </div>
      </div>
      <div class="field">
        <label for="txn-channel">Channel</label>
        <select id="txn-channel" value={filters.channel} onChange={(e) => go({ channel: e.currentTarget.value })}>
          <option value="">Any channel</option>
          {filters.channel && !channels.some((c) => c.value === filters.channel) && <option value={filters.channel}>{channelLabel(filters.channel)}</option>}
          {channels.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label} ({formatNumber(c.count)})
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="txn-category">Category</label>
        <select id="txn-category" value={filters.category} onChange={(e) => go({ category: e.currentTarget.value })}>
          <option value="">Any category</option>
          {filters.category && !categories.some((c) => c.value === filters.category) && <option value={filters.category}>{categoryLabel(filters.category)}</option>}
          {categories.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label} ({formatNumber(c.count)})
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="txn-type">Debit or credit</label>
        <select id="txn-type" value={filters.type} onChange={(e) => go({ type: e.currentTarget.value as Filters['type'] })}>
          <option value="">Both</option>
          <option value="debit">Debits</option>
          <option value="credit">Credits</option>
        </select>
      </div>
      <div class="field field-amount">
        <label for="txn-min">Min amount (₹)</label>
        <input id="txn-min" type="number" inputMode="decimal" min="0" step="0.01" placeholder="0" value={typed.min} onInput={(e) => type('min', e.currentTarget.value)} onBlur={() => apply(typed)} />
      </div>
      <div class="field field-amount">
        <label for="txn-max">Max amount (₹)</label>
        <input id="txn-max" type="number" inputMode="decimal" min="0" step="0.01" placeholder="Any" value={typed.max} onInput={(e) => type('max', e.currentTarget.value)} onBlur={() => apply(typed)} />
      </div>
      <div class="field field-date">
        <label for="txn-from">Date from</label>
        <input id="txn-from" type="date" value={filters.from} max={filters.to || undefined} onChange={(e) => go({ from: e.currentTarget.value })} />
      </div>
      <div class="field field-date">
        <label for="txn-to">Date to</label>
        <input id="txn-to" type="date" value={filters.to} min={filters.from || undefined} onChange={(e) => go({ to: e.currentTarget.value })} />
      </div>
      {hasFilters(filters) && (
        <button type="button" class="button button-ghost filters-clear" onClick={() => go({ ...EMPTY_FILTERS, account: filters.account })}>
          Clear filters
        </button>
      )}
    </form>
  );
}

const COLUMNS = [
  { label: 'Date', class: 'col-date' },
  { label: 'Narration', class: 'col-note' },
  { label: 'Channel', class: 'col-channel' },
  { label: 'Category', class: 'col-category' },
  { label: 'Debit (₹)', class: 'col-money' },
  { label: 'Credit (₹)', class: 'col-money' },
  { label: 'Balance (₹)', class: 'col-balance' },
  { label: 'Page', class: 'col-page' },
] as const;

interface Cells {
  date: string;
  channel: string;
  category: string;
  debit: string;
  credit: string;
  balance: string;
}

/** A row's cells as text, made the first time it scrolls into view and kept (formatting costs more than the rest of a row's render). */
const cellCache = new WeakMap<Row, Cells>();
const dates = new Map<string, string>();
function cellsOf(row: Row): Cells {
  let cells = cellCache.get(row);
  if (!cells) {
    let date = dates.get(row.date);
    if (date === undefined) dates.set(row.date, (date = formatDate(row.date)));
    cells = {
      date,
      channel: channelLabel(row.channel),
      category: categoryLabel(row.category),
      debit: row.type === 'debit' ? formatAmount(row.amount) : '',
      credit: row.type === 'credit' ? formatAmount(row.amount) : '',
      balance: formatAmount(row.balance),
    };
    cellCache.set(row, cells);
  }
  return cells;
}

/**
 * The table: an ARIA grid the keyboard moves in (↑ ↓ or K J a row, Page Up / Page Down a screen,
 * Home / End, Enter opens the viewer), one stop of the Tab key. It scrolls with the window, its
 * header stuck under the top bar. Only the rows in view (and a few either side) are in the page,
 * each placed where it belongs in a body as tall as all of them; a row is its own layout root
 * (styles.css, .txn-row), so a row coming into view costs its own layout and nothing else's.
 */
function TransactionTable(props: { rows: Row[]; gridRef: { current: HTMLDivElement | null }; selectedIndex: number; onSelect: (i: number) => void; onOpen: (i: number) => void }) {
  const { rows, selectedIndex } = props;
  const wrap = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const idPrefix = useId();
  // Where the first row starts in the page, and what covers the window's top (the top bar, the
  // table's header): measured, since what is above the table changes (filters, findings shown).
  const [layout, setLayout] = useState({ margin: 0, covered: TOP_BAR_HEIGHT + HEAD_HEIGHT });
  const measure = () => {
    if (!body.current) return;
    const bar = document.querySelector('.topbar')?.getBoundingClientRect().height ?? TOP_BAR_HEIGHT;
    const margin = Math.round(body.current.getBoundingClientRect().top + window.scrollY);
    const covered = Math.round(bar + (head.current?.getBoundingClientRect().height ?? HEAD_HEIGHT));
    setLayout((l) => (l.margin === margin && l.covered === covered ? l : { margin, covered }));
  };
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: layout.margin,
    scrollPaddingStart: layout.covered,
  });
  const items = virtualizer.getVirtualItems();

  // On the first render and when the table changes; the observer sees the rest (content above, the window's width).
  useLayoutEffect(measure, [rows]);
  useEffect(() => {
    const page = wrap.current?.parentElement;
    if (!page) return;
    const observer = new ResizeObserver(() => measure());
    observer.observe(page);
    return () => observer.disconnect();
  }, []);

  // The selected row is kept in view (keyboard, the viewer's Next and Previous).
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex]);
  // New filters: back to the table's top if it was scrolled past, unless a selected row is still listed.
  useEffect(() => {
    if (selectedIndex < 0 && layout.margin > 0 && window.scrollY > layout.margin - layout.covered) window.scrollTo({ top: Math.max(0, layout.margin - layout.covered - 8) });
  }, [rows]);

  const move = (to: number) => props.onSelect(Math.max(0, Math.min(rows.length - 1, to)));
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.metaKey || event.ctrlKey) return;
    const at = selectedIndex;
    const viewTop = window.scrollY + layout.covered;
    const firstInView = items.find((item) => item.start >= viewTop)?.index ?? items[0]?.index ?? 0;
    const screen = Math.max(1, Math.floor((window.innerHeight - layout.covered) / ROW_HEIGHT) - 1);
    const key = event.key;
    let handled = true;
    if (key === 'ArrowDown' || key === 'j') move(at < 0 ? firstInView : at + 1);
    else if (key === 'ArrowUp' || key === 'k') move(at < 0 ? firstInView : at - 1);
    else if (key === 'PageDown') move(at < 0 ? firstInView : at + screen);
    else if (key === 'PageUp') move(at < 0 ? firstInView : at - screen);
    else if (key === 'Home') move(0);
    else if (key === 'End') move(rows.length - 1);
    else if (key === 'Enter' || key === ' ') {
      if (at >= 0) props.onOpen(at);
      else move(firstInView);
    } else handled = false;
    if (handled) event.preventDefault();
  };

  const activeRendered = selectedIndex >= 0 && items.some((item) => item.index === selectedIndex);

  return (
    <div ref={wrap} class="txn-scroll">
      <div
        ref={props.gridRef}
        class="txn-grid"
        role="grid"
        tabIndex={0}
        aria-label="Transactions"
        aria-describedby={`${idPrefix}-keys`}
        aria-rowcount={rows.length + 1}
        aria-colcount={COLUMNS.length}
        aria-activedescendant={activeRendered ? `${idPrefix}-row-${selectedIndex}` : undefined}
        onKeyDown={onKeyDown}
      >
        <div ref={head} class="txn-head" role="rowgroup">
          <div class="txn-tr" role="row" aria-rowindex={1}>
            {COLUMNS.map((c, i) => (
              <div key={i} role="columnheader" class={`txn-th ${c.class}`} aria-colindex={i + 1}>
                {c.label}
              </div>
            ))}
          </div>
        </div>
        <div ref={body} class="txn-body" role="rowgroup" style={{ height: `${virtualizer.getTotalSize()}px` }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            const cells = cellsOf(row);
            const isSelected = item.index === selectedIndex;
            return (
              <div
                key={item.key}
                id={`${idPrefix}-row-${item.index}`}
                role="row"
                class={`txn-tr txn-row${isSelected ? ' is-selected' : ''}${row.flagged ? ' is-flagged' : ''}`}
                style={{ transform: `translateY(${item.start - layout.margin}px)` }}
                aria-rowindex={item.index + 2}
                aria-selected={isSelected}
                onClick={() => {
                  if (window.getSelection()?.toString()) return;
                  props.gridRef.current?.focus({ preventScroll: true });
                  props.onOpen(item.index);
                }}
              >
                <div role="gridcell" class="txn-td col-date">
                  {cells.date}
                </div>
                <div role="gridcell" class="txn-td col-note" title={row.note}>
                  {row.flagged && (
                    <span class="txn-flag" title="Named in a fraud finding">
                      <span aria-hidden="true">⚠</span>
                      <span class="sr-only">Fraud finding: </span>
                    </span>
                  )}
                  {row.note || <span class="muted">No narration</span>}
                </div>
                <div role="gridcell" class="txn-td col-channel">
                  {cells.channel}
                </div>
                <div role="gridcell" class="txn-td col-category">
                  {cells.category}
                </div>
                <div role="gridcell" class="txn-td col-money num is-debit">
                  {cells.debit}
                </div>
                <div role="gridcell" class="txn-td col-money num is-credit">
                  {cells.credit}
                </div>
                <div role="gridcell" class="txn-td col-balance num">
                  {cells.balance}
                </div>
                <div role="gridcell" class="txn-td col-page num">
                  {row.page ?? <span class="muted">—</span>}
                </div>
              </div>
            );
          })}
        </div>
      </div>
      <p id={`${idPrefix}-keys`} class="sr-only">
        Arrow keys or J and K move between rows, Page Up and Page Down by a screen; Enter opens the row's page of the statement.
      </p>
    </div>
  );
}
