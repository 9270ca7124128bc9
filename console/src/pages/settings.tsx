/**
 * Settings (`/console/settings`, admins only): the webhook URL and its signing secret, the API
 * keys, and the redirect hosts and frame origins the hosted journey may use. Secrets and keys
 * are answered once by the server, so they are shown once, in a dialog with copy buttons;
 * rotating asks first.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { adminApi, type Settings } from '../api.ts';
import { AdminOnly, fieldMessage, useAdminResource } from '../admin-common.tsx';
import { ErrorNotice, Spinner, Timestamp, useTitle } from '../components.tsx';
import { ConfirmDialog, SecretDialog, type Secret } from '../dialog.tsx';
import { fullTimestamp, modeLabel } from '../format.ts';
import { Link } from '../router.tsx';

type Shown = { title: string; secrets: Secret[]; note?: string } | null;

export function SettingsPage({ isAdmin }: { isAdmin: boolean }) {
  const { state, retry, set: update } = useAdminResource(isAdmin, (signal) => adminApi.settings(signal));
  const [shown, setShown] = useState<Shown>(null);

  useTitle('Settings');
  if (state.kind === 'forbidden') return <AdminOnly title="Settings" />;


  return (
    <div class="page settings-page">
      <div class="page-header">
        <div>
          <h1 tabIndex={-1}>Settings</h1>
          <p class="page-lead">How Passbook talks to your systems. Every change here is written to the <Link href="/console/audit">audit log</Link>.</p>
        </div>
        <Link href="/console/users" class="button button-secondary">
          Users
        </Link>
      </div>
      {state.kind === 'loading' && <Spinner label="Loading the settings…" />}
      {state.kind === 'error' && <ErrorNotice title="The settings could not be loaded" message={state.message} onRetry={retry} />}
      {state.kind === 'loaded' && (
        <>
          <Organisation settings={state.value} />
          <div class="settings-grid">
            <WebhookCard settings={state.value} onChange={update} onSecret={setShown} />
            <ApiKeysCard onChange={(client) => update({ ...state.value, client })} onSecret={setShown} />
          </div>
          <div class="settings-grid">
            <ListEditor
              field="allowed_redirect_hosts"
              title="Redirect hosts"
              lead="Hosts a session's redirect_url may point at: an exact host (app.lender.example), or *.lender.example for its sub-domains."
              emptyText="No host listed: a redirect_url may point at any host."
              itemName="host"
              placeholder="app.lender.example"
              values={state.value.client.allowed_redirect_hosts}
              onSave={async (list) => update(await adminApi.updateSettings({ allowed_redirect_hosts: list }))}
            />
            <ListEditor
              field="frame_origins"
              title="Frame origins"
              lead="Origins (scheme, host and port) of your pages that embed the journey in an iframe and receive its events, besides the redirect_url's origin."
              emptyText="No origin listed: the journey sends its events only to the redirect_url's origin."
              itemName="origin"
              placeholder="https://app.lender.example"
              values={state.value.client.frame_origins}
              onSave={async (list) => update(await adminApi.updateSettings({ frame_origins: list }))}
            />
          </div>
        </>
      )}
      {shown && (
        <SecretDialog title={shown.title} secrets={shown.secrets} onClose={() => setShown(null)}>
          {shown.note && <p>{shown.note}</p>}
        </SecretDialog>
      )}
    </div>
  );
}

function Organisation({ settings }: { settings: Settings }) {
  const { client } = settings;
  return (
    <section class="card" aria-labelledby="org-heading">
      <h2 id="org-heading" class="card-title">
        Organisation
      </h2>
      <dl class="summary">
        <div class="summary-item">
          <dt>Name</dt>
          <dd>{client.name}</dd>
        </div>
        <div class="summary-item">
          <dt>Client ID</dt>
          <dd class="mono">{client.client_id}</dd>
        </div>
        <div class="summary-item">
          <dt>Plan</dt>
          <dd>{client.plan_status === 'active' ? 'Active' : client.plan_status === 'expired' ? 'Expired' : client.plan_status}</dd>
        </div>
        <div class="summary-item">
          <dt>Modes</dt>
          <dd>{client.enabled_modes.length === 0 ? <span class="muted">None</span> : client.enabled_modes.map((m) => modeLabel(m)).join(', ')}</dd>
        </div>
      </dl>
    </section>
  );
}

function WebhookCard({ settings, onChange, onSecret }: { settings: Settings; onChange: (s: Settings) => void; onSecret: (s: Shown) => void }) {
  const [url, setUrl] = useState(settings.webhook_url ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const current = settings.webhook_url;

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    setSaved(null);
    const value = url.trim();
    if (!value) {
      setError('Enter the URL of your webhook receiver, such as https://lender.example/hooks/passbook.');
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const answer = await adminApi.setWebhookUrl(value);
      onChange({ ...settings, webhook_url: answer.webhook_url });
      setUrl(answer.webhook_url);
      setSaved('Saved: events are sent to this URL from now on, including those waiting to be sent.');
      if (answer.webhook_secret) {
        onSecret({
          title: 'Your webhook signing secret',
          secrets: [{ label: 'Signing secret', value: answer.webhook_secret }],
          note: 'Your receiver uses it to check the signature of every delivery (docs/webhooks.md). You can rotate it at any time.',
        });
      }
    } catch (e) {
      setError(fieldMessage(e, 'webhook_url'));
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const rotate = async () => {
    const answer = await adminApi.rotateWebhookSecret();
    setConfirming(false);
    const until = answer.previous_secret_valid_until;
    onSecret({
      title: 'Your new webhook signing secret',
      secrets: [{ label: 'Signing secret', value: answer.webhook_secret }],
      note: until
        ? `Deliveries are signed with both the new and the previous secret until ${fullTimestamp(until)}; after that only with the new one. Deploy it to your receiver before then.`
        : 'Deliveries are signed with this secret from now on.',
    });
  };

  return (
    <section class="card" aria-labelledby="webhook-heading">
      <h2 id="webhook-heading" class="card-title">
        Webhook
      </h2>
      <p class="card-lead">Where Passbook sends session events (user finished, expired, processed). Each delivery is signed.</p>
      <form class="form settings-form" onSubmit={(e) => void save(e)} noValidate>
        <div class="field">
          <label for="webhook-url">Webhook URL</label>
          <div class="copy-row">
            <input
              ref={input}
              id="webhook-url"
              type="url"
              inputMode="url"
              class="mono"
              placeholder="https://lender.example/hooks/passbook"
              autoComplete="off"
              spellcheck={false}
              value={url}
              onInput={(e) => setUrl(e.currentTarget.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby="webhook-url-hint webhook-url-error"
            />
            <button type="submit" class="button button-primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save URL'}
            </button>
          </div>
          <p id="webhook-url-hint" class="field-hint">
            {current ? (
              <>
                Now: <span class="mono break">{current}</span>
              </>
            ) : (
              'Not set yet. When you first save one, its signing secret is shown once.'
            )}
          </p>
          <p id="webhook-url-error" class="field-error" role="alert">
            {error && (
              <>
                <span aria-hidden="true">✕ </span>
                {error}
              </>
            )}
          </p>
          <p class="copy-status" role="status">
            {saved}
          </p>
        </div>
      </form>
      <div class="settings-subsection">
        <h3 class="settings-subtitle">Signing secret</h3>
        {current ? (
          <>
            <p class="muted">A new secret is shown once. The previous one keeps signing beside it for 24 hours, so you can deploy the new one without missing a delivery.</p>
            <button type="button" class="button button-secondary" onClick={() => setConfirming(true)}>
              Rotate signing secret
            </button>
          </>
        ) : (
          <p class="muted">Set a URL first: its secret is shown when you save it.</p>
        )}
        <p class="muted small settings-more">
          Check the delivery with <strong>Send test webhook</strong> on any session's Webhooks page.
        </p>
      </div>
      {confirming && (
        <ConfirmDialog title="Rotate the webhook signing secret?" confirmLabel="Rotate secret" busyLabel="Rotating…" onConfirm={rotate} onCancel={() => setConfirming(false)}>
          <p>A new signing secret is made and shown to you once. For the next 24 hours deliveries carry a signature with each secret; after that the current secret no longer signs.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function ApiKeysCard({ onChange, onSecret }: { onChange: (client: Settings['client']) => void; onSecret: (s: Shown) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [rotatedAt, setRotatedAt] = useState<string | null>(null);

  const rotate = async () => {
    const client = await adminApi.rotateApiKeys();
    setConfirming(false);
    setRotatedAt(new Date().toISOString());
    const { api_key, server_hash, ...rest } = client;
    onChange(rest);
    onSecret({
      title: 'Your new API keys',
      secrets: [
        { label: 'API key', value: api_key ?? '' },
        { label: 'Server hash', value: server_hash ?? '' },
      ],
      note: 'Put them in your systems now: the previous API key and server hash no longer work.',
    });
  };

  return (
    <section class="card" aria-labelledby="keys-heading">
      <h2 id="keys-heading" class="card-title">
        API keys
      </h2>
      <p class="card-lead">
        Your systems call the Passbook API with an API key (<span class="mono">x-api-key</span>) and a server hash (<span class="mono">server-hash</span>). They are shown only when
        made; Passbook keeps only their hashes.
      </p>
      <div class="notice notice-warn">
        <p>
          <span aria-hidden="true">⚠ </span>
          <strong>Rotating stops the current keys at once.</strong> Every request made with them is refused until your systems use the new ones.
        </p>
      </div>
      <button type="button" class="button button-danger" onClick={() => setConfirming(true)}>
        Rotate API keys
      </button>
      <p class="copy-status" role="status">
        {rotatedAt && (
          <>
            Keys rotated at <Timestamp iso={rotatedAt} />.
          </>
        )}
      </p>
      {confirming && (
        <ConfirmDialog title="Rotate the API keys?" confirmLabel="Rotate keys" busyLabel="Rotating…" onConfirm={rotate} onCancel={() => setConfirming(false)}>
          <p>
            A new API key and server hash are made and shown to you once. <strong>The current ones stop working immediately</strong>: every request your systems make with them is
            refused until you replace them.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

interface ListEditorProps {
  field: 'allowed_redirect_hosts' | 'frame_origins';
  title: string;
  lead: string;
  emptyText: string;
  itemName: string;
  placeholder: string;
  values: string[];
  onSave: (list: string[]) => Promise<void>;
}

/** A list of strings to add to and remove from, saved as a whole (the server replaces the list). */
function ListEditor({ field, title, lead, emptyText, itemName, placeholder, values, onSave }: ListEditorProps) {
  const [draft, setDraft] = useState<string[]>(values);
  const [entry, setEntry] = useState('');
  const [entryError, setEntryError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const id = useId();
  const headingId = `${field}-heading`;
  const an = /^[aeiou]/i.test(itemName) ? 'an' : 'a';
  const inputId = `${field}-new`;
  const changed = draft.length !== values.length || draft.some((v, i) => v !== values[i]);

  // The saved list changed (saved here, or loaded again): start from it.
  const savedKey = values.join('\n');
  useEffect(() => setDraft(values), [savedKey]);

  const add = (event: Event) => {
    event.preventDefault();
    setSaved(null);
    const value = entry.trim();
    if (!value) {
      setEntryError(`Type ${an} ${itemName} to add.`);
      input.current?.focus();
      return;
    }
    if (draft.some((v) => v.toLowerCase() === value.toLowerCase())) {
      setEntryError(`${value} is already in the list.`);
      input.current?.focus();
      return;
    }
    setEntryError(null);
    setDraft([...draft, value]);
    setEntry('');
    input.current?.focus();
  };

  const remove = (index: number) => {
    setSaved(null);
    const next = draft.filter((_, i) => i !== index);
    setDraft(next);
    focusAfterRemove.current = index;
  };

  // After a removal, the focus goes to the entry now in its place, or the one before it, or the text field.
  const focusAfterRemove = useRef<number | null>(null);
  useLayoutEffect(() => {
    const index = focusAfterRemove.current;
    if (index === null) return;
    focusAfterRemove.current = null;
    const buttons = list.current?.querySelectorAll<HTMLButtonElement>('button') ?? [];
    const target = buttons[Math.min(index, buttons.length - 1)];
    if (target) target.focus();
    else input.current?.focus();
  }, [draft]);

  const save = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      await onSave(draft);
      setSaved(`Saved. ${draft.length === 0 ? 'The list is empty.' : `${draft.length} ${draft.length === 1 ? itemName : `${itemName}s`} in the list.`}`);
    } catch (e) {
      setError(fieldMessage(e, field));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby={headingId}>
      <h2 id={headingId} class="card-title">
        {title} <span class="count">{draft.length}</span>
      </h2>
      <p class="card-lead">{lead}</p>
      {draft.length === 0 ? (
        <p class="muted list-editor-empty">{emptyText}</p>
      ) : (
        <ul ref={list} class="list-editor" aria-labelledby={headingId}>
          {draft.map((value, index) => (
            <li key={value} class={`list-editor-item${values.includes(value) ? '' : ' is-new'}`}>
              <span class="mono break">{value}</span>
              {!values.includes(value) && <span class="list-editor-tag">Not saved</span>}
              <button type="button" class="button button-ghost list-editor-remove" onClick={() => remove(index)} aria-label={`Remove ${value}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="list-editor-add" onSubmit={add} noValidate>
        <div class="field">
          <label for={inputId}>
            Add {an} {itemName}
          </label>
          <div class="copy-row">
            <input
              ref={input}
              id={inputId}
              type="text"
              class="mono"
              placeholder={placeholder}
              autoComplete="off"
              spellcheck={false}
              value={entry}
              onInput={(e) => {
                setEntry(e.currentTarget.value);
                setEntryError(null);
              }}
              aria-invalid={entryError ? true : undefined}
              aria-describedby={`${id}-entry-error`}
            />
            <button type="submit" class="button button-secondary">
              Add
            </button>
          </div>
          <p id={`${id}-entry-error`} class="field-error" role="alert">
            {entryError}
          </p>
        </div>
      </form>
      <div class="list-editor-actions">
        <button type="button" class="button button-primary" onClick={() => void save()} disabled={busy || !changed} aria-describedby={`${id}-save-error`}>
          {busy ? 'Saving…' : `Save ${title.toLowerCase()}`}
        </button>
        {changed && (
          <button
            type="button"
            class="button button-ghost"
            onClick={() => {
              setDraft(values);
              setError(null);
            }}
            disabled={busy}
          >
            Discard changes
          </button>
        )}
        {changed && !busy && <span class="list-editor-unsaved">Unsaved changes</span>}
      </div>
      <p id={`${id}-save-error`} class="field-error" role="alert">
        {error && (
          <>
            <span aria-hidden="true">✕ </span>
            {error}
          </>
        )}
      </p>
      <p class="copy-status" role="status">
        {saved}
      </p>
    </section>
  );
}
