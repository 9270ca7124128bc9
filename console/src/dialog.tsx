/**
 * Modal dialogs of the admin pages (settings, users): a real `<dialog>` opened with showModal()
 * (the rest of the page is inert), Tab and Shift+Tab kept inside it, Escape cancels, and focus
 * goes back to what opened it. ConfirmDialog asks before something that cannot be undone;
 * SecretDialog shows a secret the server answers only once, with copy buttons.
 */
import type { ComponentChildren } from 'preact';
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  title: string;
  /** Escape, the Cancel button, or whatever closes it without doing anything. */
  onCancel: () => void;
  /** `alertdialog` for a confirmation or a secret: something the user must answer. */
  role?: 'dialog' | 'alertdialog';
  /** A selector, inside the dialog, of what gets the focus when it opens (else the first control). */
  initialFocus?: string;
  tone?: 'default' | 'danger';
  children: ComponentChildren;
}

export function Dialog({ title, onCancel, role = 'dialog', initialFocus, tone = 'default', children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const cancel = useRef(onCancel);
  cancel.current = onCancel;

  // A layout effect: its cleanup runs before the dialog leaves the DOM (a passive one runs after
  // paint), so the focus goes straight back to the opener, never through <body>.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const first = (initialFocus && dialog.querySelector<HTMLElement>(initialFocus)) || dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    const onCancelEvent = (event: Event) => {
      // Escape: the app decides (it unmounts the dialog), the browser does not close it behind its back.
      event.preventDefault();
      cancel.current();
    };
    dialog.addEventListener('cancel', onCancelEvent);
    return () => {
      dialog.removeEventListener('cancel', onCancelEvent);
      if (dialog.open) dialog.close();
      // Back to the control that opened it, if it is still there.
      if (opener && opener.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      cancel.current();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
    if (items.length === 0) {
      event.preventDefault();
      return;
    }
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (event.shiftKey && (document.activeElement === first || !ref.current.contains(document.activeElement))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !ref.current.contains(document.activeElement))) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog ref={ref} class={`dlg${tone === 'danger' ? ' dlg-danger' : ''}`} role={role} aria-modal="true" aria-labelledby={titleId} aria-describedby={bodyId} onKeyDown={onKeyDown}>
      <h2 id={titleId} class="dlg-title">
        {title}
      </h2>
      <div id={bodyId} class="dlg-body">
        {children}
      </div>
    </dialog>
  );
}

interface ConfirmProps {
  title: string;
  confirmLabel: string;
  busyLabel?: string;
  /** Throws to keep the dialog open with the error shown in it. */
  onConfirm: () => Promise<void>;
  onCancel: () => void;
  children: ComponentChildren;
}

/** Asks before a destructive action; the focus starts on Cancel, the safe answer. */
export function ConfirmDialog({ title, confirmLabel, busyLabel, onConfirm, onCancel, children }: ConfirmProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Something went wrong. Try again.');
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} role="alertdialog" tone="danger" onCancel={() => !busy && onCancel()} initialFocus="[data-dialog-cancel]">
      <div class="dlg-text">{children}</div>
      <div role="alert" class={error ? 'notice notice-error dlg-error' : 'visually-empty'}>
        {error}
      </div>
      <div class="dlg-actions">
        <button type="button" class="button button-secondary" data-dialog-cancel onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" class="button button-danger" onClick={() => void confirm()} disabled={busy} aria-busy={busy}>
          {busy ? (busyLabel ?? 'Working…') : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

export interface Secret {
  label: string;
  value: string;
}

/** A secret answered once: each value with a copy button, and plainly said that it will not be shown again. */
export function SecretDialog({ title, secrets, onClose, children }: { title: string; secrets: Secret[]; onClose: () => void; children?: ComponentChildren }) {
  return (
    <Dialog title={title} role="alertdialog" onCancel={onClose} initialFocus="[data-copy]">
      <p class="dlg-once">
        <span class="dlg-once-icon" aria-hidden="true">
          !
        </span>
        <span>
          <strong>This is the only time you will see {secrets.length > 1 ? 'these values' : 'it'}.</strong> Copy {secrets.length > 1 ? 'them' : 'it'} now and keep{' '}
          {secrets.length > 1 ? 'them' : 'it'} somewhere safe: Passbook cannot show {secrets.length > 1 ? 'them' : 'it'} again.
        </span>
      </p>
      {children && <div class="dlg-text">{children}</div>}
      {secrets.map((secret) => (
        <SecretValue key={secret.label} secret={secret} />
      ))}
      <div class="dlg-actions">
        <button type="button" class="button button-primary" onClick={onClose}>
          I have copied it, close
        </button>
      </div>
    </Dialog>
  );
}

function SecretValue({ secret }: { secret: Secret }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    let ok = false;
    try {
      await navigator.clipboard.writeText(secret.value);
      ok = true;
    } catch {
      input.current?.select();
    }
    setCopied(ok ? 'copied' : 'failed');
  };
  return (
    <div class="field dlg-secret">
      <label for={id}>{secret.label}</label>
      <div class="copy-row">
        <input ref={input} id={id} class="mono" type="text" readOnly value={secret.value} spellcheck={false} autoComplete="off" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class="button button-secondary" data-copy onClick={() => void copy()} aria-label={`${copied === 'copied' ? 'Copied' : 'Copy'} ${secret.label}`}>
          {copied === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p class="copy-status" role="status">
        {copied === 'copied' ? `${secret.label} is copied.` : copied === 'failed' ? 'The browser did not allow copying: the value is selected, press Ctrl+C (⌘C) to copy it.' : ''}
      </p>
    </div>
  );
}
