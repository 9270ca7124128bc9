/**
 * A session's analysis as charts (issue 14): monthly credits and debits, the end-of-day balance
 * with the salary and EMI days marked, expense categories, salary per month and bounces per
 * month. Every chart has a heading and a description, its numbers as a table, and lists the
 * transactions behind a bar or point that is clicked (or picked with the keyboard, on the chart
 * or in its table). Loaded on demand (pages/analysis-route.tsx): uPlot is not in the first view.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { ApiError, isAbort, messageOf } from '../api.ts';
import {
  accountMonths,
  bouncesByMonth,
  dayOf,
  eodDays,
  expenseCategories,
  fetchInsights,
  monthlyCreditsDebits,
  salaryByMonth,
  type AccountData,
  type BounceRow,
  type CategoryRow,
  type EodDay,
  type Insights,
  type MonthlyRow,
  type SalaryRow,
  type Tx,
} from '../charts/insights.ts';
import { rupees, rupeesShort } from '../charts/money.ts';
import { COLORS, drawMarker, hatch, Legend } from '../charts/palette.tsx';
import { UPlotChart, type Pick } from '../charts/uplot-chart.tsx';
import { EmptyState, ErrorNotice, Spinner, useTitle } from '../components.tsx';
import { bankLabel, formatDate, formatMonth, formatNumber, plural } from '../format.ts';
import { Link, navigate, useLocation } from '../router.tsx';

type State =
  | { kind: 'loading' }
  | { kind: 'loaded'; insights: Insights }
  | { kind: 'not-processed'; code: string; message: string }
  | { kind: 'not-found' }
  | { kind: 'error'; message: string };

export function AnalysisPage({ sessionId }: { sessionId: string }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const sessionHref = `/console/sessions/${encodeURIComponent(sessionId)}`;

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => (s.kind === 'loaded' ? s : { kind: 'loading' }));
    fetchInsights(sessionId, controller.signal)
      .then((insights) => setState({ kind: 'loaded', insights }))
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        if (e instanceof ApiError && (e.code === 'PROCESSING_NOT_REQUESTED' || e.code === 'PROCESSING_NOT_COMPLETED')) setState({ kind: 'not-processed', code: e.code, message: e.message });
        else if (e instanceof ApiError && (e.code === 'SESSION_NOT_FOUND' || e.code === 'SESSION_DELETED' || e.status === 404)) setState({ kind: 'not-found' });
        else setState({ kind: 'error', message: messageOf(e) });
      });
    return () => controller.abort();
  }, [sessionId, attempt]);

  const linkId = state.kind === 'loaded' ? state.insights.link_id : null;
  useTitle(linkId ? `Analysis · ${linkId}` : 'Analysis');

  return (
    <div class="page analysis-page">
      <Link href={sessionHref} class="back-link">
        <span aria-hidden="true">←</span> Session{linkId ? ` ${linkId}` : ''}
      </Link>
      {state.kind === 'loading' && (
        <>
          <h1 tabIndex={-1}>Analysis</h1>
          <Spinner label="Loading the analysis…" />
        </>
      )}
      {state.kind === 'not-found' && (
        <>
          <h1 tabIndex={-1}>Session not found</h1>
          <EmptyState title="No session of yours has this ID">
            <p class="muted">
              It may have been mistyped, deleted, or it belongs to another lender. <Link href="/console/sessions">Back to the sessions</Link>
            </p>
          </EmptyState>
        </>
      )}
      {state.kind === 'not-processed' && (
        <>
          <h1 tabIndex={-1}>Analysis</h1>
          <EmptyState title={state.code === 'PROCESSING_NOT_REQUESTED' ? 'Not processed yet' : 'Processing is still running'}>
            <p class="muted analysis-empty-text">
              {state.code === 'PROCESSING_NOT_REQUESTED'
                ? 'The charts appear once the session’s statements are processed. Processing starts when the borrower submits the journey, or when your system calls initiate_processing.'
                : 'The statements are being analysed. The charts appear when processing completes, usually within a minute.'}
            </p>
            <div class="analysis-empty-actions">
              <button type="button" class="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
                Check again
              </button>
              <Link href={sessionHref}>Back to the session</Link>
            </div>
          </EmptyState>
        </>
      )}
      {state.kind === 'error' && (
        <>
          <h1 tabIndex={-1}>Analysis</h1>
          <ErrorNotice title="The analysis could not be loaded" message={state.message} onRetry={() => setAttempt((n) => n + 1)} />
        </>
      )}
      {state.kind === 'loaded' && <AnalysisView insights={state.insights} />}
    </div>
  );
}

function accountName(data: AccountData): string {
  const d = data.account_details;
  return [bankLabel(d.bank), d.account_number].filter(Boolean).join(' ');
}

function AnalysisView({ insights }: { insights: Insights }) {
  const location = useLocation();
  const accounts = insights.accounts;
  const asked = new URLSearchParams(location.search).get('account');
  const account = accounts.find((a) => a.account_id === asked) ?? accounts[0];

  const choose = (accountId: string) => {
    const query = new URLSearchParams(location.search);
    query.set('account', accountId);
    navigate(`${location.pathname}?${query.toString()}`, { replace: true });
  };

  return (
    <>
      <div class="page-header analysis-header">
        <div>
          <h1 tabIndex={-1}>Analysis</h1>
          <p class="page-lead">
            {insights.link_id} <span class="mono muted small">{insights.session_id}</span>
          </p>
        </div>
        {accounts.length > 1 && account && (
          <div class="field analysis-account">
            <label for="analysis-account">Bank account</label>
            <select id="analysis-account" value={account.account_id} onChange={(e) => choose(e.currentTarget.value)}>
              {accounts.map((a) => (
                <option key={a.account_id} value={a.account_id}>
                  {accountName(a.data)}
                  {a.data.account_details.name ? ` · ${a.data.account_details.name}` : ''}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {!account ? (
        <EmptyState title="No account was analysed">
          <p class="muted">Processing found no account in this session’s statements.</p>
        </EmptyState>
      ) : (
        <AccountCharts key={account.account_id} data={account.data} />
      )}
    </>
  );
}

function AccountCharts({ data }: { data: AccountData }) {
  const byHash = useMemo(() => {
    const map = new Map<string, Tx>();
    for (const list of [data.lender_transactions, data.bounced_or_penal_transactions, data.salary_transactions, data.transactions]) for (const tx of list) map.set(tx.hash, tx);
    return map;
  }, [data]);
  const months = useMemo(() => accountMonths(data), [data]);
  const name = accountName(data);
  const d = data.account_details;

  return (
    <>
      <p class="analysis-account-line">
        <span class="analysis-account-name">{name}</span>
        {d.name && <span class="muted"> · {d.name}</span>}
        {months.length > 0 && (
          <span class="muted">
            {' '}
            · {formatMonth(months[0]!)} – {formatMonth(months.at(-1)!)} ({plural(data.transactions.length, 'transaction', 'transactions')})
          </span>
        )}
      </p>
      {data.transactions.length === 0 ? (
        <EmptyState title="This account has no transactions">
          <p class="muted">Its statements were read, but no transaction was found in them.</p>
        </EmptyState>
      ) : (
        <div class="chart-grid">
          <MonthlyChart data={data} months={months} byHash={byHash} account={name} />
          <EodChart data={data} byHash={byHash} account={name} />
          <CategoriesChart data={data} byHash={byHash} account={name} />
          <SalaryChart data={data} byHash={byHash} account={name} />
          <BouncesChart data={data} months={months} byHash={byHash} account={name} />
        </div>
      )}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// What the charts share

interface Listing {
  title: string;
  hashes: string[];
  /** The key of what was picked, to mark it in the table. */
  key: string;
}

interface CardProps {
  id: string;
  title: string;
  description: ComponentChildren;
  legend?: ComponentChildren;
  hint: string;
  chart: (describedBy: string) => ComponentChildren;
  table: ComponentChildren;
  listing: Listing | null;
  byHash: Map<string, Tx>;
  onClose: () => void;
  wide?: boolean;
}

function ChartCard({ id, title, description, legend, hint, chart, table, listing, byHash, onClose, wide }: CardProps) {
  const [showTable, setShowTable] = useState(false);
  const listingRef = useRef<HTMLElement>(null);
  const listingKey = listing ? `${listing.key}:${listing.title}` : null;
  useEffect(() => {
    if (listingKey) listingRef.current?.scrollIntoView({ block: 'nearest' });
  }, [listingKey]);

  return (
    <section id={id} class={`card chart-card${wide ? ' chart-card-wide' : ''}`} aria-labelledby={`${id}-heading`}>
      <div class="chart-head">
        <h2 id={`${id}-heading`} class="card-title chart-title">
          {title}
        </h2>
        <button type="button" class="button button-secondary chart-toggle" aria-expanded={showTable} aria-controls={`${id}-table`} onClick={() => setShowTable(!showTable)}>
          {showTable ? 'Hide table' : 'Show as table'}
        </button>
      </div>
      <p id={`${id}-description`} class="chart-description">
        {description}
      </p>
      {legend}
      {chart(`${id}-description ${id}-hint`)}
      <p id={`${id}-hint`} class="chart-hint">
        {hint}
      </p>
      <div id={`${id}-table`} class="chart-table" hidden={!showTable}>
        {showTable && table}
      </div>
      <p class="sr-only" role="status">
        {listing ? `${plural(listing.hashes.length, 'transaction', 'transactions')} listed: ${listing.title}.` : ''}
      </p>
      {listing && (
        <section ref={listingRef} class="tx-listing" aria-labelledby={`${id}-listing-heading`}>
          <TxListing id={`${id}-listing`} listing={listing} byHash={byHash} onClose={onClose} />
        </section>
      )}
    </section>
  );
}

function TxListing({ id, listing, byHash, onClose }: { id: string; listing: Listing; byHash: Map<string, Tx>; onClose: () => void }) {
  const txs = listing.hashes.flatMap((h) => byHash.get(h) ?? []).sort((a, b) => a.date.localeCompare(b.date));
  const credits = txs.filter((t) => t.transaction_type === 'credit').reduce((s, t) => s + t.amount, 0);
  const debits = txs.filter((t) => t.transaction_type === 'debit').reduce((s, t) => s + t.amount, 0);
  return (
    <>
      <div class="tx-listing-head">
        <div>
          <h3 id={`${id}-heading`} class="tx-listing-title">
            {listing.title}
          </h3>
          <p class="muted small">
            {plural(txs.length, 'transaction', 'transactions')}
            {credits > 0 && ` · credits ${rupees(credits)}`}
            {debits > 0 && ` · debits ${rupees(debits)}`}
          </p>
        </div>
        <button type="button" class="button button-ghost" onClick={onClose}>
          Close <span class="sr-only">the list of {listing.title.toLowerCase()}</span>
        </button>
      </div>
      {txs.length === 0 ? (
        <p class="muted">No transactions.</p>
      ) : (
        <div class="table-wrap chart-table-wrap">
          <table class="table tx-table" id={id}>
            <caption class="sr-only">{listing.title}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Narration</th>
                <th scope="col">Type</th>
                <th scope="col" class="num">
                  Amount
                </th>
                <th scope="col" class="num">
                  Balance
                </th>
              </tr>
            </thead>
            <tbody>
              {txs.map((t) => (
                <tr key={t.hash} data-hash={t.hash}>
                  <td data-label="Date" class="nowrap">
                    <time dateTime={dayOf(t)}>{formatDate(dayOf(t))}</time>
                  </td>
                  <td data-label="Narration" class="tx-narration break">
                    {t.transaction_note}
                  </td>
                  <td data-label="Type">
                    <span class={`tx-side tx-side-${t.transaction_type}`}>{t.transaction_type === 'credit' ? 'Credit' : 'Debit'}</span>
                  </td>
                  <td data-label="Amount" class="num nowrap">
                    {t.transaction_type === 'credit' ? '+' : '−'}
                    {rupees(t.amount)}
                  </td>
                  <td data-label="Balance" class="num nowrap">
                    {t.balance == null ? <span class="muted">—</span> : rupees(t.balance)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** A table row that lists its transactions on a click, or on Enter or Space once focused. */
function PickRow({ picked, onPick, children, ...rest }: { picked: boolean; onPick: () => void; children: ComponentChildren; 'data-key'?: string }) {
  return (
    <tr
      tabIndex={0}
      class={`row-link pick-row${picked ? ' is-picked' : ''}`}
      aria-current={picked ? 'true' : undefined}
      onClick={onPick}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onPick();
        }
      }}
      {...rest}
    >
      {children}
    </tr>
  );
}

function DataTable({ caption, head, children }: { caption: string; head: ComponentChildren; children: ComponentChildren }) {
  return (
    <div class="table-wrap chart-table-wrap">
      <table class="table chart-data-table">
        <caption class="chart-caption">
          {caption} <span class="muted small">Select a row (Enter) to list its transactions.</span>
        </caption>
        <thead>
          <tr>{head}</tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

function axis(extra: uPlot.Axis = {}): uPlot.Axis {
  return { stroke: COLORS.axis, font: AXIS_FONT, grid: { stroke: COLORS.grid, width: 1 }, ticks: { stroke: COLORS.grid, width: 1, size: 4 }, ...extra };
}

/** An axis of months by index, labelled "Mar 26", every other one (or fewer) when they would crowd. */
function monthAxis(months: string[]): uPlot.Axis {
  return axis({
    size: 36,
    grid: { show: false },
    splits: () => months.map((_, i) => i),
    values: (u, splits) => {
      const every = Math.max(1, Math.ceil((months.length * 56) / Math.max(1, u.bbox.width / uPlot.pxRatio)));
      return splits.map((i) => {
        const month = Number.isInteger(i) && i % every === 0 ? months[i] : undefined;
        return month ? formatMonth(month, true) : '';
      });
    },
  });
}

const rupeeAxis = (): uPlot.Axis => axis({ size: 72, values: (_u, splits) => splits.map((v) => rupeesShort(v)) });

const indexRange = (n: number): uPlot.Scale.Range => () => [-0.5, n - 0.5];
const fromZero: uPlot.Scale.Range = (_u, _min, max) => uPlot.rangeNum(0, max > 0 ? max : 1, 0.1, true);
const noDrag: uPlot.Cursor = { drag: { x: false, y: false, setScale: false }, points: { show: false }, y: false };
const barHeight = (w: number) => (w < 560 ? 240 : 300);

/** Which of two side-by-side bars a click was on: the left one (-1) or the right (1); both (0) from the keyboard. */
function sideOf(pick: Pick, idx: number): -1 | 0 | 1 {
  if (pick.keyboard || pick.left === undefined) return 0;
  return pick.left < pick.plot.valToPos(idx, 'x') ? -1 : 1;
}

// ---------------------------------------------------------------------------------------------
// 1. Monthly credits and debits

type Part = 'credits' | 'debits' | 'both';

function MonthlyChart({ data, months, byHash, account }: { data: AccountData; months: string[]; byHash: Map<string, Tx>; account: string }) {
  const rows = useMemo(() => monthlyCreditsDebits(data, months), [data, months]);
  const [picked, setPicked] = useState<{ idx: number; part: Part } | null>(null);
  const plotData = useMemo<uPlot.AlignedData>(() => [rows.map((_, i) => i), rows.map((r) => r.credits), rows.map((r) => r.debits)], [rows]);
  const options = useMemo(
    () => (width: number) => ({
      scales: { x: { time: false, range: indexRange(rows.length) }, y: { range: fromZero } },
      axes: [monthAxis(months), rupeeAxis()],
      series: [
        {},
        { label: 'Credits', fill: COLORS.credit, stroke: COLORS.credit, width: 1, paths: uPlot.paths.bars!({ size: [0.36, width < 560 ? 18 : 32], align: -1 }), points: { show: false } },
        { label: 'Debits', fill: () => hatch(COLORS.debit), stroke: COLORS.debit, width: 1.5, paths: uPlot.paths.bars!({ size: [0.36, width < 560 ? 18 : 32], align: 1 }), points: { show: false } },
      ],
      legend: { show: false },
      cursor: noDrag,
    }),
    [rows, months],
  );
  const totalCredits = rows.reduce((s, r) => s + r.credits, 0);
  const totalDebits = rows.reduce((s, r) => s + r.debits, 0);
  const top = rows.reduce<MonthlyRow | null>((best, r) => (!best || r.credits > best.credits ? r : best), null);
  const pick = (idx: number, part: Part) => setPicked({ idx, part });
  const listing = picked && rows[picked.idx] ? monthlyListing(rows[picked.idx]!, picked.part) : null;

  return (
    <ChartCard
      id="chart-monthly"
      wide
      title="Monthly credits and debits"
      description={
        rows.length === 0
          ? 'No months to show.'
          : `Total credited and debited in each month from ${formatMonth(months[0]!)} to ${formatMonth(months.at(-1)!)}: credits ${rupees(totalCredits)}, debits ${rupees(totalDebits)} in all.${top && top.credits > 0 ? ` The most was credited in ${formatMonth(top.month)} (${rupees(top.credits)}).` : ''}`
      }
      legend={
        <Legend
          items={[
            { swatch: { kind: 'solid', color: COLORS.credit }, label: 'Credits (solid, left bar)' },
            { swatch: { kind: 'hatched', color: COLORS.debit }, label: 'Debits (hatched, right bar)' },
          ]}
        />
      }
      hint="Click a bar to list its credits or debits; on the focused chart, the arrow keys move between months and Enter lists both."
      chart={(describedBy) => (
        <UPlotChart
          label={`Monthly credits and debits, ${account}`}
          describedBy={describedBy}
          options={options}
          data={plotData}
          height={barHeight}
          selected={picked?.idx ?? null}
          describe={(i) => {
            const r = rows[i];
            return r ? `${formatMonth(r.month)}: credits ${rupees(r.credits)} (${formatNumber(r.creditCount)}), debits ${rupees(r.debits)} (${formatNumber(r.debitCount)})` : '';
          }}
          onPick={(i, p) => {
            const side = sideOf(p, i);
            pick(i, side === -1 ? 'credits' : side === 1 ? 'debits' : 'both');
          }}
        />
      )}
      table={
        <DataTable
          caption={`Monthly credits and debits, ${account}`}
          head={
            <>
              <th scope="col">Month</th>
              <th scope="col" class="num">
                Credits
              </th>
              <th scope="col" class="num">
                No. of credits
              </th>
              <th scope="col" class="num">
                Debits
              </th>
              <th scope="col" class="num">
                No. of debits
              </th>
            </>
          }
        >
          {rows.map((r, i) => (
            <PickRow key={r.month} data-key={r.month} picked={picked?.idx === i} onPick={() => pick(i, 'both')}>
              <th scope="row" data-label="Month">
                {formatMonth(r.month)}
              </th>
              <td data-label="Credits" class="num" data-value={r.credits}>
                {rupees(r.credits)}
              </td>
              <td data-label="No. of credits" class="num">
                {formatNumber(r.creditCount)}
              </td>
              <td data-label="Debits" class="num" data-value={r.debits}>
                {rupees(r.debits)}
              </td>
              <td data-label="No. of debits" class="num">
                {formatNumber(r.debitCount)}
              </td>
            </PickRow>
          ))}
        </DataTable>
      }
      listing={listing}
      byHash={byHash}
      onClose={() => setPicked(null)}
    />
  );
}

function monthlyListing(r: MonthlyRow, part: Part): Listing {
  const month = formatMonth(r.month);
  if (part === 'credits') return { key: r.month, title: `Credits in ${month}`, hashes: r.creditHashes };
  if (part === 'debits') return { key: r.month, title: `Debits in ${month}`, hashes: r.debitHashes };
  return { key: r.month, title: `Credits and debits in ${month}`, hashes: [...r.creditHashes, ...r.debitHashes] };
}

// ---------------------------------------------------------------------------------------------
// 2. End-of-day balance, salary and EMI days marked

/** An axis label: "1 Apr" (the calendar day, whatever the browser's time zone). */
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
const secondsOf = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 1000;

function EodChart({ data, byHash, account }: { data: AccountData; byHash: Map<string, Tx>; account: string }) {
  const days = useMemo(() => eodDays(data), [data]);
  const [picked, setPicked] = useState<number | null>(null);
  const plotData = useMemo<uPlot.AlignedData>(() => [days.map((d) => secondsOf(d.date)), days.map((d) => d.balance)], [days]);
  const options = useMemo(
    () => (): Omit<uPlot.Options, 'width' | 'height'> => ({
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
      scales: { x: { time: true }, y: { range: (_u, min, max) => uPlot.rangeNum(Math.min(0, min), max, 0.1, true) } },
      axes: [axis({ space: 64, size: 36, values: (_u, splits) => splits.map((t) => dayMonth.format(new Date(t * 1000))) }), rupeeAxis()],
      series: [{}, { label: 'End-of-day balance', stroke: COLORS.line, width: 2, fill: COLORS.lineFill, points: { show: false } }],
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 9, fill: COLORS.line, stroke: '#ffffff', width: 2 } },
      hooks: {
        draw: [
          (u: uPlot) => {
            const r = 6.5 * uPlot.pxRatio;
            const ctx = u.ctx;
            ctx.save();
            days.forEach((d, i) => {
              if (d.balance == null || (d.salaryHashes.length === 0 && d.emiHashes.length === 0)) return;
              const x = u.valToPos(plotData[0][i]!, 'x', true);
              const y = u.valToPos(d.balance, 'y', true);
              // Salary above the line, EMI below: both stay visible on a day with both.
              if (d.salaryHashes.length > 0) drawMarker(ctx, 'triangle', x, y - (d.emiHashes.length > 0 ? r : 0), r, COLORS.salary);
              if (d.emiHashes.length > 0) drawMarker(ctx, 'diamond', x, y + (d.salaryHashes.length > 0 ? r : 0), r, COLORS.emi);
            });
            ctx.restore();
          },
        ],
      },
    }),
    [days, plotData],
  );
  const salaryCount = days.reduce((s, d) => s + d.salaryHashes.length, 0);
  const emiCount = days.reduce((s, d) => s + d.emiHashes.length, 0);
  const withBalance = days.filter((d): d is EodDay & { balance: number } => d.balance != null);
  const low = withBalance.reduce<(typeof withBalance)[number] | null>((m, d) => (!m || d.balance < m.balance ? d : m), null);
  const high = withBalance.reduce<(typeof withBalance)[number] | null>((m, d) => (!m || d.balance > m.balance ? d : m), null);
  const dayListing = (i: number): Listing | null => {
    const d = days[i];
    if (!d) return null;
    const hashes = data.transactions.filter((t) => dayOf(t) === d.date).map((t) => t.hash);
    return { key: d.date, title: `Transactions on ${formatDate(d.date)}`, hashes };
  };
  const marks = (d: EodDay) => [d.salaryHashes.length > 0 ? 'salary credited' : '', d.emiHashes.length > 0 ? 'EMI paid' : ''].filter(Boolean).join(', ');

  if (days.length === 0) {
    return (
      <section id="chart-eod" class="card chart-card chart-card-wide" aria-labelledby="chart-eod-heading">
        <h2 id="chart-eod-heading" class="card-title">
          End-of-day balance
        </h2>
        <p class="muted">The statements print no balances, so there are no end-of-day balances to show.</p>
      </section>
    );
  }
  return (
    <ChartCard
      id="chart-eod"
      wide
      title="End-of-day balance"
      description={`The balance at the end of each day from ${formatDate(days[0]!.date)} to ${formatDate(days.at(-1)!.date)}${low && high ? `: lowest ${rupees(low.balance)} on ${formatDate(low.date)}, highest ${rupees(high.balance)} on ${formatDate(high.date)}` : ''}. ${plural(salaryCount, 'salary credit is', 'salary credits are')} marked with triangles and ${plural(emiCount, 'EMI debit', 'EMI debits')} with diamonds.`}
      legend={
        <Legend
          items={[
            { swatch: { kind: 'line', color: COLORS.line }, label: 'End-of-day balance' },
            { swatch: { kind: 'marker', shape: 'triangle', color: COLORS.salary }, label: `Salary credited (triangle, ${formatNumber(salaryCount)})` },
            { swatch: { kind: 'marker', shape: 'diamond', color: COLORS.emi }, label: `EMI paid (diamond, ${formatNumber(emiCount)})` },
          ]}
        />
      }
      hint="Click a day to list its transactions; on the focused chart, the arrow keys move a day (Page Up and Page Down a week) and Enter lists them."
      chart={(describedBy) => (
        <UPlotChart
          label={`End-of-day balance, ${account}`}
          describedBy={describedBy}
          options={options}
          data={plotData}
          height={(w) => (w < 560 ? 240 : 320)}
          selected={picked}
          describe={(i) => {
            const d = days[i];
            if (!d) return '';
            const m = marks(d);
            return `${formatDate(d.date)}: ${d.balance == null ? 'no balance' : rupees(d.balance)}${m ? ` · ${m}` : ''}`;
          }}
          onPick={(i) => setPicked(i)}
        />
      )}
      table={
        <DataTable
          caption={`End-of-day balance, ${account}`}
          head={
            <>
              <th scope="col">Date</th>
              <th scope="col" class="num">
                End-of-day balance
              </th>
              <th scope="col">Marked</th>
            </>
          }
        >
          {days.map((d, i) => (
            <PickRow key={d.date} data-key={d.date} picked={picked === i} onPick={() => setPicked(i)}>
              <th scope="row" data-label="Date" class="nowrap">
                {formatDate(d.date)}
              </th>
              <td data-label="End-of-day balance" class="num">
                {d.balance == null ? <span class="muted">—</span> : rupees(d.balance)}
              </td>
              <td data-label="Marked">
                {d.salaryHashes.length > 0 && (
                  <span class="mark mark-salary">
                    <span aria-hidden="true">▲</span> Salary
                  </span>
                )}
                {d.emiHashes.length > 0 && (
                  <span class="mark mark-emi">
                    <span aria-hidden="true">◆</span> EMI
                  </span>
                )}
              </td>
            </PickRow>
          ))}
        </DataTable>
      }
      listing={picked === null ? null : dayListing(picked)}
      byHash={byHash}
      onClose={() => setPicked(null)}
    />
  );
}

// ---------------------------------------------------------------------------------------------
// 3. Expense categories (horizontal bars)

function CategoriesChart({ data, byHash, account }: { data: AccountData; byHash: Map<string, Tx>; account: string }) {
  const rows = useMemo(() => expenseCategories(data), [data]);
  const [picked, setPicked] = useState<number | null>(null);
  const plotData = useMemo<uPlot.AlignedData>(() => [rows.map((_, i) => i), rows.map((r) => r.percentage)], [rows]);
  const options = useMemo(
    () =>
      (width: number): Omit<uPlot.Options, 'width' | 'height'> => {
        const longest = rows.reduce((m, r) => Math.max(m, r.category.length), 0);
        const labelWidth = Math.min(Math.round(width * 0.42), 16 + longest * 7);
        return {
          scales: { x: { time: false, ori: 1, dir: -1, range: indexRange(rows.length) }, y: { ori: 0, range: (_u, _min, max) => [0, Math.max(10, Math.ceil(max / 10) * 10)] } },
          axes: [
            axis({
              scale: 'x',
              side: 3,
              size: labelWidth,
              grid: { show: false },
              splits: () => rows.map((_, i) => i),
              values: (_u, splits) => splits.map((i) => clip(rows[i]?.category ?? '', Math.floor((labelWidth - 14) / 7))),
            }),
            axis({ scale: 'y', side: 2, size: 36, values: (_u, splits) => splits.map((v) => `${v}%`) }),
          ],
          series: [{}, { label: 'Share of debits', fill: COLORS.category, stroke: COLORS.category, width: 0, paths: uPlot.paths.bars!({ size: [0.7, 26] }), points: { show: false } }],
          legend: { show: false },
          cursor: { ...noDrag, x: false, y: true },
        };
      },
    [rows],
  );
  if (rows.length === 0) {
    return (
      <section id="chart-categories" class="card chart-card" aria-labelledby="chart-categories-heading">
        <h2 id="chart-categories-heading" class="card-title">
          Expense categories
        </h2>
        <p class="muted">This account has no debits, so no expense categories.</p>
      </section>
    );
  }
  const top = rows.slice(0, 3).map((r) => `${r.category} ${r.percentage}%`).join(', ');
  const pickedRow = picked === null ? null : rows[picked];

  return (
    <ChartCard
      id="chart-categories"
      title="Expense categories"
      description={`How the debited amount splits by what it was spent on, in percent of all debits: ${plural(rows.length, 'category', 'categories')}, the largest ${top}.`}
      hint="Click a bar to list the category’s debits; on the focused chart, the arrow keys move between categories and Enter lists them."
      chart={(describedBy) => (
        <UPlotChart
          label={`Expense categories, ${account}`}
          describedBy={describedBy}
          options={options}
          data={plotData}
          height={() => Math.max(160, rows.length * 30 + 44)}
          selected={picked}
          describe={(i) => {
            const r = rows[i];
            return r ? `${r.category}: ${r.percentage}% of debits, ${rupees(r.amount)} (${plural(r.hashes.length, 'debit', 'debits')})` : '';
          }}
          onPick={(i) => setPicked(i)}
        />
      )}
      table={
        <DataTable
          caption={`Expense categories, ${account}`}
          head={
            <>
              <th scope="col">Category</th>
              <th scope="col" class="num">
                Share of debits
              </th>
              <th scope="col" class="num">
                Amount
              </th>
              <th scope="col" class="num">
                Debits
              </th>
            </>
          }
        >
          {rows.map((r: CategoryRow, i) => (
            <PickRow key={r.category} data-key={r.category} picked={picked === i} onPick={() => setPicked(i)}>
              <th scope="row" data-label="Category">
                {r.category}
              </th>
              <td data-label="Share of debits" class="num">
                {r.percentage}%
              </td>
              <td data-label="Amount" class="num">
                {rupees(r.amount)}
              </td>
              <td data-label="Debits" class="num">
                {formatNumber(r.hashes.length)}
              </td>
            </PickRow>
          ))}
        </DataTable>
      }
      listing={pickedRow ? { key: pickedRow.category, title: `Debits in ${pickedRow.category}`, hashes: pickedRow.hashes } : null}
      byHash={byHash}
      onClose={() => setPicked(null)}
    />
  );
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

// ---------------------------------------------------------------------------------------------
// 4. Salary per month

function SalaryChart({ data, byHash, account }: { data: AccountData; byHash: Map<string, Tx>; account: string }) {
  const rows = useMemo(() => salaryByMonth(data), [data]);
  const months = useMemo(() => rows.map((r) => r.month), [rows]);
  const [picked, setPicked] = useState<number | null>(null);
  const plotData = useMemo<uPlot.AlignedData>(() => [rows.map((_, i) => i), rows.map((r) => r.amount)], [rows]);
  const options = useMemo(
    () => (): Omit<uPlot.Options, 'width' | 'height'> => ({
      scales: { x: { time: false, range: indexRange(rows.length) }, y: { range: fromZero } },
      axes: [monthAxis(months), rupeeAxis()],
      series: [
        {},
        {
          label: 'Salary',
          stroke: COLORS.salary,
          width: 2,
          spanGaps: false,
          points: { show: true, size: 10, width: 2, stroke: '#ffffff', fill: COLORS.salary },
        },
      ],
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 12, fill: COLORS.salary, stroke: '#ffffff', width: 2 }, y: false },
    }),
    [rows, months],
  );
  if (rows.length === 0) {
    return (
      <section id="chart-salary" class="card chart-card" aria-labelledby="chart-salary-heading">
        <h2 id="chart-salary-heading" class="card-title">
          Salary over time
        </h2>
        <p class="muted">No salary credit was found in this account’s statements.</p>
      </section>
    );
  }
  const paid = rows.filter((r): r is SalaryRow & { amount: number } => r.amount != null);
  const missing = rows.length - paid.length;
  const first = paid[0];
  const last = paid.at(-1);
  const pickedRow = picked === null ? null : rows[picked];

  return (
    <ChartCard
      id="chart-salary"
      title="Salary over time"
      description={`Salary received for each month it pays for, ${formatMonth(rows[0]!.month)} to ${formatMonth(rows.at(-1)!.month)}${first && last ? `: ${rupees(first.amount)} for ${formatMonth(first.month)}, ${rupees(last.amount)} for ${formatMonth(last.month)}` : ''}.${missing > 0 ? ` ${plural(missing, 'month has', 'months have')} no salary (a gap in the line).` : ''}`}
      legend={<Legend items={[{ swatch: { kind: 'marker', shape: 'circle', color: COLORS.salary }, label: 'Salary for the month (by the month it pays for)' }]} />}
      hint="Click a point to list the salary credits of that month; on the focused chart, the arrow keys move between months and Enter lists them."
      chart={(describedBy) => (
        <UPlotChart
          label={`Salary over time, ${account}`}
          describedBy={describedBy}
          options={options}
          data={plotData}
          height={(w) => (w < 560 ? 220 : 260)}
          selected={picked}
          describe={(i) => {
            const r = rows[i];
            return r ? `${formatMonth(r.month)}: ${r.amount == null ? 'no salary' : `${rupees(r.amount)} (${plural(r.hashes.length, 'credit', 'credits')})`}` : '';
          }}
          onPick={(i) => setPicked(i)}
        />
      )}
      table={
        <DataTable
          caption={`Salary per month, ${account}`}
          head={
            <>
              <th scope="col">Salary month</th>
              <th scope="col" class="num">
                Salary
              </th>
              <th scope="col">Credited on</th>
              <th scope="col">Employer</th>
            </>
          }
        >
          {rows.map((r, i) => (
            <PickRow key={r.month} data-key={r.month} picked={picked === i} onPick={() => setPicked(i)}>
              <th scope="row" data-label="Salary month">
                {formatMonth(r.month)}
              </th>
              <td data-label="Salary" class="num">
                {r.amount == null ? <span class="muted">None found</span> : rupees(r.amount)}
              </td>
              <td data-label="Credited on">{r.hashes.map((h) => (byHash.get(h) ? formatDate(dayOf(byHash.get(h)!)) : '')).join(', ') || <span class="muted">—</span>}</td>
              <td data-label="Employer">{r.employers.join(', ') || <span class="muted">—</span>}</td>
            </PickRow>
          ))}
        </DataTable>
      }
      listing={pickedRow ? { key: pickedRow.month, title: `Salary for ${formatMonth(pickedRow.month)}`, hashes: pickedRow.hashes } : null}
      byHash={byHash}
      onClose={() => setPicked(null)}
    />
  );
}

// ---------------------------------------------------------------------------------------------
// 5. Bounces per month

function BouncesChart({ data, months, byHash, account }: { data: AccountData; months: string[]; byHash: Map<string, Tx>; account: string }) {
  const rows = useMemo(() => bouncesByMonth(data, months), [data, months]);
  const shownMonths = useMemo(() => rows.map((r) => r.month), [rows]);
  const [picked, setPicked] = useState<{ idx: number; part: 'returns' | 'charges' | 'both' } | null>(null);
  const plotData = useMemo<uPlot.AlignedData>(() => [rows.map((_, i) => i), rows.map((r) => r.returns || null), rows.map((r) => r.charges || null)], [rows]);
  const options = useMemo(
    () => (width: number) => ({
      scales: { x: { time: false, range: indexRange(rows.length) }, y: { range: (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, Math.max(2, Math.ceil(max) + 1)] } },
      axes: [monthAxis(shownMonths), axis({ size: 44, incrs: [1, 2, 5, 10, 20, 50, 100], values: (_u: uPlot, splits: number[]) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) })],
      series: [
        {},
        { label: 'Returns', fill: COLORS.returns, stroke: COLORS.returns, width: 1, paths: uPlot.paths.bars!({ size: [0.36, width < 560 ? 16 : 28], align: -1 }), points: { show: false } },
        { label: 'Charges', fill: () => hatch(COLORS.charges), stroke: COLORS.charges, width: 1.5, paths: uPlot.paths.bars!({ size: [0.36, width < 560 ? 16 : 28], align: 1 }), points: { show: false } },
      ],
      legend: { show: false },
      cursor: noDrag,
    }),
    [rows, shownMonths],
  );
  const returns = rows.reduce((s, r) => s + r.returns, 0);
  const charges = rows.reduce((s, r) => s + r.charges, 0);
  const worst = rows.reduce<BounceRow | null>((m, r) => (r.returns + r.charges > 0 && (!m || r.returns + r.charges > m.returns + m.charges) ? r : m), null);
  const pickedRow = picked ? rows[picked.idx] : null;
  const listing: Listing | null =
    picked && pickedRow
      ? picked.part === 'returns'
        ? { key: pickedRow.month, title: `Returns in ${formatMonth(pickedRow.month)}`, hashes: pickedRow.returnHashes }
        : picked.part === 'charges'
          ? { key: pickedRow.month, title: `Bounce and penal charges in ${formatMonth(pickedRow.month)}`, hashes: pickedRow.chargeHashes }
          : { key: pickedRow.month, title: `Bounces and charges in ${formatMonth(pickedRow.month)}`, hashes: [...pickedRow.returnHashes, ...pickedRow.chargeHashes] }
      : null;

  return (
    <ChartCard
      id="chart-bounces"
      title="Bounces per month"
      description={
        returns + charges === 0
          ? `No bounced or returned item and no bounce or penal charge from ${formatMonth(rows[0]?.month ?? months[0] ?? '')} to ${formatMonth(rows.at(-1)?.month ?? months.at(-1) ?? '')}.`
          : `Returned cheques and mandates (${formatNumber(returns)}) and the bank’s bounce and penal charges (${formatNumber(charges)}) in each month.${worst ? ` The most were in ${formatMonth(worst.month)} (${formatNumber(worst.returns)} returned, ${formatNumber(worst.charges)} charged).` : ''}`
      }
      legend={
        <Legend
          items={[
            { swatch: { kind: 'solid', color: COLORS.returns }, label: 'Returns (solid, left bar)' },
            { swatch: { kind: 'hatched', color: COLORS.charges }, label: 'Charges and penalties (hatched, right bar)' },
          ]}
        />
      }
      hint="Click a bar to list its returns or charges; on the focused chart, the arrow keys move between months and Enter lists both."
      chart={(describedBy) => (
        <UPlotChart
          label={`Bounces per month, ${account}`}
          describedBy={describedBy}
          options={options}
          data={plotData}
          height={(w) => (w < 560 ? 200 : 240)}
          selected={picked?.idx ?? null}
          describe={(i) => {
            const r = rows[i];
            return r ? `${formatMonth(r.month)}: ${plural(r.returns, 'return', 'returns')}, ${plural(r.charges, 'charge', 'charges')}` : '';
          }}
          onPick={(i, p) => {
            const side = sideOf(p, i);
            setPicked({ idx: i, part: side === -1 ? 'returns' : side === 1 ? 'charges' : 'both' });
          }}
        />
      )}
      table={
        <DataTable
          caption={`Bounces per month, ${account}`}
          head={
            <>
              <th scope="col">Month</th>
              <th scope="col" class="num">
                Returns
              </th>
              <th scope="col" class="num">
                Charges and penalties
              </th>
            </>
          }
        >
          {rows.map((r, i) => (
            <PickRow key={r.month} data-key={r.month} picked={picked?.idx === i} onPick={() => setPicked({ idx: i, part: 'both' })}>
              <th scope="row" data-label="Month">
                {formatMonth(r.month)}
              </th>
              <td data-label="Returns" class="num">
                {formatNumber(r.returns)}
              </td>
              <td data-label="Charges and penalties" class="num">
                {formatNumber(r.charges)}
              </td>
            </PickRow>
          ))}
        </DataTable>
      }
      listing={listing}
      byHash={byHash}
      onClose={() => setPicked(null)}
    />
  );
}
