/**
 * Users (`/console/users`, admins only): the client's console users, inviting one (the
 * generated password shown once), disabling one (after asking). And the audit log
 * (`/console/audit`, admins only): every change made in the console, newest first, paged back
 * with "Older entries".
 */
import { useRef, useState } from 'preact/hooks';
import { adminApi, ApiError, messageOf, type AuditEntry, type ConsoleUser, type Me, type Role } from '../api.ts';
import { AdminOnly, fieldMessage, useAdminResource } from '../admin-common.tsx';
import { EmptyState, ErrorNotice, LocalDate, Spinner, Timestamp, useTitle } from '../components.tsx';
import { ConfirmDialog, SecretDialog } from '../dialog.tsx';
import { formatNumber } from '../format.ts';
import { Link, navigate, type Location } from '../router.tsx';

export function UsersPage({ me }: { me: Me }) {
  const isAdmin = me.user.role === 'admin';
  const { state, retry, set } = useAdminResource(isAdmin, (signal) => adminApi.users(signal).then((data) => data.users));
  const [invited, setInvited] = useState<{ user: ConsoleUser; password: string } | null>(null);
  const [disabling, setDisabling] = useState<ConsoleUser | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useTitle('Users');
  if (state.kind === 'forbidden') return <AdminOnly title="Users" />;

  const users = state.kind === 'loaded' ? state.value : [];
  const replace = (user: ConsoleUser) => {
    if (state.kind !== 'loaded') return;
    const found = users.some((u) => u.user_id === user.user_id);
    set(found ? users.map((u) => (u.user_id === user.user_id ? user : u)) : [...users, user]);
  };

  const disable = async () => {
    if (!disabling) return;
    const user = await adminApi.disableUser(disabling.user_id);
    replace(user);
    setDisabling(null);
    setNotice(`${user.name || user.email} is disabled and signed out everywhere.`);
  };

  const enable = async (target: ConsoleUser) => {
    try {
      const user = await adminApi.enableUser(target.user_id);
      replace(user);
      setNotice(`${user.name || user.email} can sign in again, with the password they had.`);
    } catch (e) {
      setNotice(`${target.name || target.email} could not be enabled: ${messageOf(e)}`);
    }
  };

  return (
    <div class="page users-page">
      <div class="page-header">
        <div>
          <h1 tabIndex={-1}>Users</h1>
          <p class="page-lead">The people of {me.client.name} who can sign in to this console. Admins also manage settings, keys and users.</p>
        </div>
        <Link href="/console/audit" class="button button-secondary">
          Audit log
        </Link>
      </div>

      <InviteForm
        onInvited={(user, password) => {
          replace(user);
          setNotice(`${user.name} (${user.email}) is invited as ${roleLabel(user.role).toLowerCase()}.`);
          if (password) setInvited({ user, password });
        }}
      />

      <p class="copy-status users-notice" role="status">
        {notice}
      </p>

      {state.kind === 'loading' && <Spinner label="Loading the users…" />}
      {state.kind === 'error' && <ErrorNotice title="The users could not be loaded" message={state.message} onRetry={retry} />}
      {state.kind === 'loaded' && (
        <section class="card card-flush" aria-labelledby="users-heading">
          <h2 id="users-heading" class="card-title">
            Users <span class="count">{formatNumber(users.length)}</span>
          </h2>
          <div class="table-wrap table-wrap-flush">
            <table class="table table-users">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Added</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.map((user) => {
                  const self = user.user_id === me.user.user_id;
                  return (
                    <tr key={user.user_id} class={user.disabled_at ? 'is-disabled' : undefined}>
                      <td data-label="Name" class="cell-primary">
                        <span class="row-title">{user.name || <span class="muted">No name</span>}</span>
                        {self && <span class="users-you">You</span>}
                      </td>
                      <td data-label="Email" class="break">
                        {user.email}
                      </td>
                      <td data-label="Role">{roleLabel(user.role)}</td>
                      <td data-label="Status">
                        {user.disabled_at ? (
                          <span class="flag flag-bad">
                            <span aria-hidden="true">⊘</span> Disabled <span class="muted small">(<LocalDate iso={user.disabled_at} />)</span>
                          </span>
                        ) : (
                          <span class="flag flag-ok">
                            <span aria-hidden="true">✓</span> Active
                          </span>
                        )}
                      </td>
                      <td data-label="Added" class="nowrap">
                        <LocalDate iso={user.created_at} />
                      </td>
                      <td class="users-actions">
                        {user.disabled_at && !self && (
                          <button type="button" class="button button-secondary" onClick={() => void enable(user)} aria-label={`Enable ${user.name || user.email}`}>
                            Enable
                          </button>
                        )}
                        {!user.disabled_at && !self && (
                          <button type="button" class="button button-secondary button-danger-outline" onClick={() => setDisabling(user)} aria-label={`Disable ${user.name || user.email}`}>
                            Disable
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {disabling && (
        <ConfirmDialog title={`Disable ${disabling.name || disabling.email}?`} confirmLabel="Disable user" busyLabel="Disabling…" onConfirm={disable} onCancel={() => setDisabling(null)}>
          <p>
            <strong>{disabling.email}</strong> is signed out on every device at once and can no longer sign in. The console cannot enable a user again: you would invite them anew
            with another address.
          </p>
        </ConfirmDialog>
      )}
      {invited && (
        <SecretDialog title={`Password for ${invited.user.name}`} secrets={[{ label: 'Password', value: invited.password }]} onClose={() => setInvited(null)}>
          <p>
            Give it to <strong>{invited.user.email}</strong> over a channel you trust. They sign in at <span class="mono break">{window.location.origin}/console</span>.
          </p>
        </SecretDialog>
      )}
    </div>
  );
}

export function roleLabel(role: string): string {
  return role === 'admin' ? 'Admin' : role === 'analyst' ? 'Analyst' : role;
}

type InviteField = 'email' | 'name' | 'role';

function InviteForm({ onInvited }: { onInvited: (user: ConsoleUser, password: string | null) => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<InviteField | 'form', string>>>({});
  const emailInput = useRef<HTMLInputElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const local: Partial<Record<InviteField, string>> = {};
    if (!email.trim()) local.email = 'Enter their email address.';
    if (!name.trim()) local.name = 'Enter their name.';
    if (local.email || local.name) {
      setErrors(local);
      (local.email ? emailInput : nameInput).current?.focus();
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const created = await adminApi.inviteUser({ email: email.trim(), name: name.trim(), role });
      onInvited(created.user, created.password);
      setEmail('');
      setName('');
      setRole('analyst');
    } catch (e) {
      const next = serverErrors(e);
      setErrors(next);
      if (next.email) emailInput.current?.focus();
      else if (next.name) nameInput.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading" class="card-title">
        Invite a user
      </h2>
      <p class="card-lead">A password is generated and shown to you once, for you to give them.</p>
      <form class="invite-form" onSubmit={(e) => void submit(e)} noValidate>
        <div class="field">
          <label for="invite-email">Email</label>
          <input
            ref={emailInput}
            id="invite-email"
            type="email"
            autoComplete="off"
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            aria-invalid={errors.email ? true : undefined}
            aria-describedby="invite-email-error"
          />
          <p id="invite-email-error" class="field-error">
            {errors.email}
          </p>
        </div>
        <div class="field">
          <label for="invite-name">Name</label>
          <input
            ref={nameInput}
            id="invite-name"
            type="text"
            autoComplete="off"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby="invite-name-error"
          />
          <p id="invite-name-error" class="field-error">
            {errors.name}
          </p>
        </div>
        <div class="field">
          <label for="invite-role">Role</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)} aria-describedby="invite-role-hint">
            <option value="analyst">Analyst</option>
            <option value="admin">Admin</option>
          </select>
          <p id="invite-role-hint" class="field-hint">
            {role === 'admin' ? 'Also manages settings, keys and users.' : 'Reads sessions, downloads, replays webhooks.'}
          </p>
        </div>
        <div class="invite-submit">
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Inviting…' : 'Invite user'}
          </button>
        </div>
      </form>
      <div role="alert" class={errors.form ? 'notice notice-error invite-errors' : 'visually-empty'}>
        {errors.form}
      </div>
    </section>
  );
}

/** The server's answer, put beside the field it is about. */
function serverErrors(e: unknown): Partial<Record<InviteField | 'form', string>> {
  if (e instanceof ApiError && e.code === 'EMAIL_TAKEN') return { email: e.message };
  if (e instanceof ApiError && e.code === 'INVALID_REQUEST') {
    for (const field of ['email', 'name', 'role'] as const) {
      if (e.message.startsWith(`${field}, `)) return { [field]: fieldMessage(e, field) };
    }
  }
  return { form: messageOf(e) };
}

/* The audit log */

const PAGE_SIZE = 50;

const ACTIONS: Record<string, string> = {
  sign_in: 'Signed in',
  'sign_in.failed': 'Failed to sign in',
  sign_out_everywhere: 'Signed out everywhere',
  'user.create': 'Created a user',
  'user.disable': 'Disabled a user',
  'webhook.replay': 'Replayed a webhook',
  'webhook.test': 'Sent a test webhook',
  'webhook.set_url': 'Set the webhook URL',
  'webhook.rotate_secret': 'Rotated the webhook secret',
  'api_keys.rotate': 'Rotated the API keys',
  'settings.update': 'Changed the settings',
};

export function actionLabel(action: string): string {
  return ACTIONS[action] ?? action;
}

export function AuditPage({ me, location }: { me: Me; location: Location }) {
  const isAdmin = me.user.role === 'admin';
  const before = new URLSearchParams(location.search).get('before');
  const { state, retry } = useAdminResource(isAdmin, (signal) => adminApi.auditLog(before, PAGE_SIZE, signal), before);

  useTitle('Audit log');
  if (state.kind === 'forbidden') return <AdminOnly title="Audit log" />;

  return (
    <div class="page audit-page">
      <div class="page-header">
        <div>
          <h1 tabIndex={-1}>Audit log</h1>
          <p class="page-lead">Every change made in this console, and to its users, newest first: who did what, and when.</p>
        </div>
        <Link href="/console/users" class="button button-secondary">
          Users
        </Link>
      </div>
      {state.kind === 'loading' && <Spinner label="Loading the audit log…" />}
      {state.kind === 'error' && <ErrorNotice title="The audit log could not be loaded" message={state.message} onRetry={retry} />}
      {state.kind === 'loaded' && (
        <>
          {state.value.entries.length === 0 ? (
            <EmptyState title={before ? 'No older entries' : 'Nothing recorded yet'} />
          ) : (
            <div class="table-wrap">
              <table class="table table-audit">
                <caption class="sr-only">Audit log entries{before ? ', older page' : ', newest first'}</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">Action</th>
                    <th scope="col">Target</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {state.value.entries.map((entry) => (
                    <AuditRow key={entry.seq} entry={entry} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav class="pagination" aria-label="Audit log pages">
            <span class="muted">{before ? 'Older entries' : 'The newest entries'}</span>
            <div class="pagination-controls">
              {before && (
                <Link href="/console/audit" class="button button-secondary">
                  <span aria-hidden="true">«</span> Newest
                </Link>
              )}
              {state.value.next_before ? (
                <button type="button" class="button button-secondary" onClick={() => navigate(`/console/audit?before=${encodeURIComponent(state.value.next_before!)}`)}>
                  Older entries <span aria-hidden="true">›</span>
                </button>
              ) : (
                state.value.entries.length > 0 && <span class="muted">No older entries</span>
              )}
            </div>
          </nav>
        </>
      )}
    </div>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const details = Object.entries(entry.details ?? {});
  return (
    <tr>
      <td data-label="When" class="nowrap">
        <Timestamp iso={entry.at} />
      </td>
      <td data-label="Who" class="audit-who">
        {entry.actor}
      </td>
      <td data-label="Action" class="cell-primary-ish">
        <span class="audit-action">{actionLabel(entry.action)}</span>
        <span class="mono small muted audit-code">{entry.action}</span>
      </td>
      <td data-label="Target">{entry.target ? <span class="mono small audit-target" title={entry.target}>{entry.target}</span> : <span class="muted">—</span>}</td>
      <td data-label="Details">
        {details.length === 0 ? (
          <span class="muted">—</span>
        ) : (
          <dl class="audit-details">
            {details.map(([key, value]) => (
              <div key={key}>
                <dt>{key.replaceAll('_', ' ')}</dt>
                <dd class="break">{detailText(value)}</dd>
              </div>
            ))}
          </dl>
        )}
      </td>
    </tr>
  );
}

function detailText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}
