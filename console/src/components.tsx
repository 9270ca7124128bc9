/** Small pieces the pages share. */
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { formatDate, formatLocalDate, formatTimestamp, fullTimestamp, statusLabel } from './format.ts';

/** Status as text and colour (the colour is never the only signal). */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`badge badge-${/^[a-z_]+$/.test(status) ? status : 'other'}`}>
      <span class="badge-dot" aria-hidden="true" />
      {statusLabel(status)}
    </span>
  );
}

/** An instant in the browser's locale, with the full form on hover and for machines. */
export function Timestamp({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span class="muted">—</span>;
  return (
    <time dateTime={iso} title={fullTimestamp(iso)}>
      {formatTimestamp(iso)}
    </time>
  );
}

/** The day of an instant, in the browser's time zone (the time on hover). */
export function LocalDate({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span class="muted">—</span>;
  return (
    <time dateTime={iso} title={fullTimestamp(iso)}>
      {formatLocalDate(iso)}
    </time>
  );
}

export function CalendarDate({ date }: { date: string | null | undefined }) {
  if (!date) return <span class="muted">—</span>;
  return <time dateTime={date}>{formatDate(date)}</time>;
}

export function ErrorNotice({ title, message, onRetry }: { title: string; message: string; onRetry?: () => void }) {
  return (
    <div class="notice notice-error" role="alert">
      <div>
        <p class="notice-title">{title}</p>
        <p>{message}</p>
      </div>
      {onRetry && (
        <button type="button" class="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <div class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <svg class="empty-icon" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M4 4h11l5 5v11H4z M15 4v5h5 M8 13h8 M8 17h5" />
      </svg>
      <p class="empty-title">{title}</p>
      {children}
    </div>
  );
}

/** Sets the tab's title while the page is shown. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Passbook console` : 'Passbook console';
  }, [title]);
}
