/** Labels and dates, in the browser's locale. */
import catalogue from '../../src/banks/catalogue.json';
import type { Status } from './api.ts';

const STATUS_LABELS: Record<Status, string> = {
  created: 'Created',
  in_progress: 'In progress',
  processing: 'Processing',
  completed: 'Completed',
  expired: 'Expired',
  deleted: 'Deleted',
};

export function statusLabel(status: string): string {
  return (STATUS_LABELS as Record<string, string>)[status] ?? humanize(status);
}

const MODE_LABELS: Record<string, string> = {
  pdf: 'PDF upload',
  aa: 'Account Aggregator',
  online: 'Net banking',
};

export function modeLabel(mode: string | null | undefined): string {
  if (!mode) return 'Not chosen';
  return MODE_LABELS[mode] ?? humanize(mode);
}

const BANK_NAMES = new Map<string, string>(catalogue.map((b) => [b.name, b.full_name]));

/** The catalogue's name for a bank id (`hdfc` → HDFC Bank), or the id itself. */
export function bankLabel(bank: string | null | undefined): string {
  if (!bank) return '—';
  return BANK_NAMES.get(bank) ?? bank;
}

export const BANK_OPTIONS: ReadonlyArray<{ id: string; name: string }> = catalogue
  .map((b) => ({ id: b.name, name: b.full_name }))
  .sort((a, b) => a.name.localeCompare(b.name));

function humanize(value: string): string {
  const words = value.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const monthShortFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: '2-digit', timeZone: 'UTC' });
const localDateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const timestampFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit' });
const fullTimestampFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' });

/** A calendar date (`YYYY-MM-DD`), the same day whatever the browser's time zone. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return '—';
  const parsed = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? date : dateFormat.format(parsed);
}

/** Two calendar dates as one range, as the locale writes it ("1 Jun – 30 Nov 2026"). */
export function formatPeriod(from: string | null | undefined, to: string | null | undefined): string {
  if (!from && !to) return '—';
  const start = from ? new Date(`${from.slice(0, 10)}T00:00:00Z`) : null;
  const end = to ? new Date(`${to.slice(0, 10)}T00:00:00Z`) : null;
  if (start && end && !Number.isNaN(start.getTime()) && !Number.isNaN(end.getTime()) && start <= end) return dateFormat.formatRange(start, end);
  return `${formatDate(from)} – ${formatDate(to)}`;
}

/** `YYYY-MM` → "Mar 2026" (`short`: "Mar 26"). */
export function formatMonth(month: string, short = false): string {
  const parsed = new Date(`${month}-01T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return month;
  return (short ? monthShortFormat : monthFormat).format(parsed);
}

/** An instant, in the browser's time zone. */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return '—';
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime()) ? iso : timestampFormat.format(parsed);
}

export function formatLocalDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime()) ? iso : localDateFormat.format(parsed);
}

export function fullTimestamp(iso: string): string {
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime()) ? iso : fullTimestampFormat.format(parsed);
}

const numberFormat = new Intl.NumberFormat();

export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

export function plural(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}
