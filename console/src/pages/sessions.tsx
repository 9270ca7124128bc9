/**
 * The session list: status chips with counts, search, mode/bank/date filters, sortable columns and
 * server-side pages. Every filter lives in the URL's query, so a reload or a shared link shows the
 * same list; the API is asked with the same parameters.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, isAbort, messageOf, MODES, SORTS, STATUSES, type SessionList, type SessionRow, type Sort } from '../api.ts';
import { EmptyState, LocalDate, ErrorNotice, StatusBadge, Timestamp, useTitle } from '../components.tsx';
import { BANK_OPTIONS, bankLabel, formatNumber, formatPeriod, modeLabel, statusLabel } from '../format.ts';
import { Link, navigate, type Location } from '../router.tsx';

const PAGE_SIZES = [25, 50, 100] as const;
const DEFAULT_SORT: Sort = '-created_at';
const FILTER_KEYS = ['q', 'status', 'mode', 'bank', 'created_from', 'created_to'] as const;

interface ListQuery {
  q: string;
  status: string;
  mode: string;
  bank: string;
  created_from: string;
  created_to: string;
  sort: Sort;
  page: number;
  page_size: number;
}

const LIST_SEARCH_KEY = 'passbook-console:list-search';

/** The list's last query string, for the session page's back link. */
export function lastListHref(): string {
  let search = '';
  try {
    search = window.sessionStorage.getItem(LIST_SEARCH_KEY) ?? '';
  } catch {
    // Storage refused (private mode): the back link goes to the unfiltered list.
  }
  return `/console/sessions${search}`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseQuery(search: string): ListQuery {
  const p = new URLSearchParams(search);
  const pick = (key: string, allowed?: readonly string[]) => {
    const value = p.get(key)?.trim() ?? '';
    return allowed && !allowed.includes(value) ? '' : value;
  };
  const whole = (key: string, fallback: number, max: number) => {
    const n = Number(p.get(key));
    return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
  };
  const date = (key: string) => {
    const value = pick(key);
    return ISO_DATE.test(value) ? value : '';
  };
  const sort = p.get('sort');
  return {
    q: pick('q'),
    status: pick('status', STATUSES),
    mode: pick('mode', MODES),
    bank: pick('bank'),
    created_from: date('created_from'),
    created_to: date('created_to'),
    sort: (SORTS as readonly string[]).includes(sort ?? '') ? (sort as Sort) : DEFAULT_SORT,
    page: whole('page', 1, 1_000_000),
    page_size: (PAGE_SIZES as readonly number[]).includes(Number(p.get('page_size'))) ? Number(p.get('page_size')) : PAGE_SIZES[0],
  };
}

/** The query as the page's URL carries it: defaults left out, so links stay short. */
function toSearch(query: ListQuery): string {
  const p = new URLSearchParams();
  for (const key of FILTER_KEYS) if (query[key]) p.set(key, query[key]);
  if (query.sort !== DEFAULT_SORT) p.set('sort', query.sort);
  if (query.page !== 1) p.set('page', String(query.page));
  if (query.page_size !== PAGE_SIZES[0]) p.set('page_size', String(query.page_size));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The same query for the API, every parameter spelled out. */
function toApiQuery(query: ListQuery): URLSearchParams {
  const p = new URLSearchParams();
  for (const key of FILTER_KEYS) if (query[key]) p.set(key, query[key]);
  p.set('sort', query.sort);
  p.set('page', String(query.page));
  p.set('page_size', String(query.page_size));
  return p;
}

function hasFilters(query: ListQuery): boolean {
  return FILTER_KEYS.some((key) => query[key] !== '');
}

export function SessionsPage({ location }: { location: Location }) {
  useTitle('Sessions');
  const query = parseQuery(location.search);
  const search = toSearch(query);
  const apiSearch = toApiQuery(query).toString();
  const [list, setList] = useState<SessionList | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    try {
      window.sessionStorage.setItem(LIST_SEARCH_KEY, search);
    } catch {
      // See lastListHref.
    }
  }, [search]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api
      .sessions(new URLSearchParams(apiSearch), controller.signal)
      .then((result) => {
        setList(result);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        setError(messageOf(e));
        setLoading(false);
      });
    return () => controller.abort();
  }, [apiSearch, attempt]);

  const go = (changes: Partial<ListQuery>, options: { replace?: boolean } = {}) => {
    // A new filter or order starts again at the first page.
    const next = { ...query, page: 1, ...changes };
    navigate(`/console/sessions${toSearch(next)}`, options);
  };

  const counts = list?.counts ?? {};
  const countsKnown = list?.counts !== undefined;
  const total = STATUSES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);

  return (
    <div class="page">
      <div class="page-header">
        <div>
          <h1 tabIndex={-1}>Sessions</h1>
          <p class="page-lead">The sessions your backend created through the Session API, and those made here.</p>
        </div>
        <Link class="button button-primary" href="/console/new-session">
          New session
        </Link>
      </div>

      <nav class="chips" aria-label="Filter by status">
        <StatusChip label="All" count={countsKnown ? total : undefined} current={query.status === ''} href={`/console/sessions${toSearch({ ...query, status: '', page: 1 })}`} />
        {STATUSES.map((status) => (
          <StatusChip
            key={status}
            label={statusLabel(status)}
            status={status}
            count={countsKnown ? (counts[status] ?? 0) : undefined}
            current={query.status === status}
            href={`/console/sessions${toSearch({ ...query, status, page: 1 })}`}
          />
        ))}
      </nav>

      <Filters query={query} go={go} />

      <div class="sr-only" role="status">
        {loading ? 'Loading sessions…' : list && !error ? `${formatNumber(list.count)} ${list.count === 1 ? 'session' : 'sessions'} found` : ''}
      </div>

      {error ? (
        <ErrorNotice title="The sessions could not be loaded" message={error} onRetry={() => setAttempt((n) => n + 1)} />
      ) : list === null ? (
        <TableSkeleton />
      ) : list.results.length === 0 ? (
        <EmptyState title={hasFilters(query) ? 'No sessions match these filters' : list.page > 1 ? 'This page is empty' : 'No sessions yet'}>
          {hasFilters(query) ? (
            <button type="button" class="button button-secondary" onClick={() => go({ q: '', status: '', mode: '', bank: '', created_from: '', created_to: '' })}>
              Clear filters
            </button>
          ) : list.page > 1 ? (
            <button type="button" class="button button-secondary" onClick={() => go({})}>
              Go to the first page
            </button>
          ) : (
            <p class="muted">Sessions your backend creates through the Session API appear here.</p>
          )}
        </EmptyState>
      ) : (
        <>
          <SessionTable rows={list.results} sort={query.sort} busy={loading} onSort={(sort) => go({ sort })} />
          <Pagination list={list} query={query} busy={loading} go={go} />
        </>
      )}
    </div>
  );
}

function StatusChip({ label, status, count, current, href }: { label: string; status?: string; count: number | undefined; current: boolean; href: string }) {
  return (
    <Link href={href} class={`chip${current ? ' chip-current' : ''}`} {...(current ? { 'aria-current': 'true' } : {})}>
      {status && <span class={`chip-dot dot-${status}`} aria-hidden="true" />}
      <span>{label}</span>
      {count !== undefined && <span class="chip-count">{formatNumber(count)}</span>}
    </Link>
  );
}

function Filters({ query, go }: { query: ListQuery; go: (changes: Partial<ListQuery>, options?: { replace?: boolean }) => void }) {
  const [q, setQ] = useState(query.q);
  const typing = useRef<number | undefined>(undefined);
  // The URL changed under the box (back button, a link): show its query.
  useEffect(() => {
    setQ((typed) => (typed.trim() === query.q ? typed : query.q));
  }, [query.q]);
  useEffect(() => () => window.clearTimeout(typing.current), []);

  const applySearch = (value: string) => {
    window.clearTimeout(typing.current);
    if (value.trim() !== query.q) go({ q: value.trim() }, { replace: true });
  };

  return (
    <form
      class="filters"
      role="search"
      aria-label="Sessions"
      onSubmit={(event) => {
        event.preventDefault();
        applySearch(q);
      }}
    >
      <div class="field field-search">
        <label for="filter-q">Search</label>
        <div class="input-icon">
          <svg viewBox="0 0 20 20" aria-hidden="true">
            <circle cx="9" cy="9" r="5.5" />
            <path d="M13 13l4 4" />
          </svg>
          <input
            id="filter-q"
            type="search"
            placeholder="Link ID or session ID"
            autoComplete="off"
            spellcheck={false}
            value={q}
            onInput={(event) => {
              const value = event.currentTarget.value;
              setQ(value);
              window.clearTimeout(typing.current);
              typing.current = window.setTimeout(() => applySearch(value), 400);
            }}
          />
        </div>
      </div>
      <div class="field">
        <label for="filter-mode">Mode</label>
        <select id="filter-mode" value={query.mode} onChange={(event) => go({ mode: event.currentTarget.value })}>
          <option value="">Any mode</option>
          {MODES.map((mode) => (
            <option key={mode} value={mode}>
              {modeLabel(mode)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-bank">Bank</label>
        <select id="filter-bank" value={query.bank} onChange={(event) => go({ bank: event.currentTarget.value })}>
          <option value="">Any bank</option>
          {query.bank && !BANK_OPTIONS.some((b) => b.id === query.bank) && <option value={query.bank}>{query.bank}</option>}
          {BANK_OPTIONS.map((bank) => (
            <option key={bank.id} value={bank.id}>
              {bank.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field field-date">
        <label for="filter-from">Created from</label>
        <input id="filter-from" type="date" value={query.created_from} max={query.created_to || undefined} onChange={(event) => go({ created_from: event.currentTarget.value })} />
      </div>
      <div class="field field-date">
        <label for="filter-to">Created to</label>
        <input id="filter-to" type="date" value={query.created_to} min={query.created_from || undefined} onChange={(event) => go({ created_to: event.currentTarget.value })} />
      </div>
      {hasFilters(query) && (
        <button type="button" class="button button-ghost filters-clear" onClick={() => go({ q: '', status: '', mode: '', bank: '', created_from: '', created_to: '' })}>
          Clear filters
        </button>
      )}
    </form>
  );
}

const COLUMNS: ReadonlyArray<{ label: string; sort?: 'created_at' | 'link_id' | 'expires_at'; class?: string }> = [
  { label: 'Link ID', sort: 'link_id' },
  { label: 'Status' },
  { label: 'Mode', class: 'col-mode' },
  { label: 'Bank', class: 'col-bank' },
  { label: 'Statements', class: 'num' },
  { label: 'Period asked', class: 'col-period' },
  { label: 'Created', sort: 'created_at', class: 'col-created' },
  { label: 'Expires', sort: 'expires_at' },
];

function SessionTable({ rows, sort, busy, onSort }: { rows: SessionRow[]; sort: Sort; busy: boolean; onSort: (sort: Sort) => void }) {
  return (
    <div class={`table-wrap${busy ? ' is-busy' : ''}`} aria-busy={busy}>
      <table class="table table-sessions">
        <caption class="sr-only">Sessions; the column headers with buttons sort the list</caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => {
              if (!column.sort) {
                return (
                  <th key={column.label} scope="col" class={column.class}>
                    {column.label}
                  </th>
                );
              }
              const key = column.sort;
              const direction = sort === key ? 'ascending' : sort === `-${key}` ? 'descending' : undefined;
              // Dates sort newest first on the first click, link ids A→Z.
              const nextSort: Sort = direction === 'ascending' ? `-${key}` : direction === 'descending' ? key : key === 'link_id' ? key : `-${key}`;
              return (
                <th key={column.label} scope="col" aria-sort={direction ?? 'none'} class={column.class}>
                  <button type="button" class="sort-button" onClick={() => onSort(nextSort)}>
                    {column.label}
                    <SortIcon direction={direction} />
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <SessionRowView key={row.session_id} row={row} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SortIcon({ direction }: { direction: 'ascending' | 'descending' | undefined }) {
  return (
    <svg class={`sort-icon${direction ? ' is-active' : ''}`} viewBox="0 0 12 16" aria-hidden="true">
      <path class={direction === 'descending' ? 'is-dim' : ''} d="M3 6l3-3 3 3" />
      <path class={direction === 'ascending' ? 'is-dim' : ''} d="M3 10l3 3 3-3" />
    </svg>
  );
}

function SessionRowView({ row }: { row: SessionRow }) {
  const href = `/console/sessions/${encodeURIComponent(row.session_id)}`;
  const banks = row.banks && row.banks.length > 0 ? row.banks : row.bank_name ? [row.bank_name] : [];
  return (
    <tr
      class="row-link"
      onClick={(event) => {
        // The whole row opens the session for a mouse; the link in the first cell does for keyboards.
        const target = event.target as HTMLElement;
        if (target.closest('a, button') || window.getSelection()?.toString()) return;
        navigate(href);
      }}
    >
      <td data-label="Link ID" class="cell-primary">
        <div class="cell-stack">
          <Link href={href} class="row-title">
            {row.link_id || 'No link ID'}
          </Link>
          <span class="mono muted session-id" title={row.session_id}>
            {row.session_id}
          </span>
        </div>
      </td>
      <td data-label="Status">
        <StatusBadge status={row.status} />
      </td>
      <td data-label="Mode" class="col-mode">{row.mode ? modeLabel(row.mode) : <span class="muted">Not chosen</span>}</td>
      <td data-label="Bank" class="col-bank">{banks.length === 0 ? <span class="muted">Any</span> : banks.map(bankLabel).join(', ')}</td>
      <td data-label="Statements" class="num">
        {formatNumber(row.statement_count ?? 0)}
      </td>
      <td data-label="Period asked" class="col-period">
        {formatPeriod(row.from_date, row.to_date)}
      </td>
      <td data-label="Created" class="col-created">
        <Timestamp iso={row.created_at} />
      </td>
      <td data-label="Expires" class="nowrap">
        <LocalDate iso={row.expires_at} />
      </td>
    </tr>
  );
}

function Pagination({ list, query, busy, go }: { list: SessionList; query: ListQuery; busy: boolean; go: (changes: Partial<ListQuery>) => void }) {
  const first = list.count === 0 ? 0 : (list.page - 1) * list.page_size + 1;
  const last = Math.min(list.count, (list.page - 1) * list.page_size + list.results.length);
  const pages = Math.max(1, Math.ceil(list.count / list.page_size));
  return (
    <nav class="pagination" aria-label="Pages">
      <p class="pagination-range">
        <strong>
          {formatNumber(first)}–{formatNumber(last)}
        </strong>{' '}
        of <strong>{formatNumber(list.count)}</strong>
      </p>
      <div class="pagination-controls">
        <label class="inline-label" for="page-size">
          Rows per page
        </label>
        <select id="page-size" value={String(query.page_size)} onChange={(event) => go({ page_size: Number(event.currentTarget.value) })}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={String(size)}>
              {size}
            </option>
          ))}
        </select>
        {/* aria-disabled, not disabled: a button that becomes disabled under the keyboard's focus drops it. */}
        <button type="button" class="button button-secondary" aria-disabled={busy || list.page <= 1} onClick={() => !busy && list.page > 1 && go({ ...query, page: list.page - 1 })}>
          <span aria-hidden="true">←</span> Previous
        </button>
        <span class="pagination-page">
          Page {formatNumber(list.page)} of {formatNumber(pages)}
        </span>
        <button type="button" class="button button-secondary" aria-disabled={busy || list.page >= pages} onClick={() => !busy && list.page < pages && go({ ...query, page: list.page + 1 })}>
          Next <span aria-hidden="true">→</span>
        </button>
      </div>
    </nav>
  );
}

function TableSkeleton() {
  return (
    <div class="table-wrap skeleton" aria-hidden="true">
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} class="skeleton-row">
          <span class="skeleton-bar w-40" />
          <span class="skeleton-bar w-15" />
          <span class="skeleton-bar w-20" />
          <span class="skeleton-bar w-15" />
        </div>
      ))}
    </div>
  );
}
