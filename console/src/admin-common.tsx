/** What the webhooks, settings and users pages share: loading what only admins may read, the "admins only" state, the server's field messages. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, isAbort, messageOf } from './api.ts';
import { EmptyState, useTitle } from './components.tsx';
import { Link } from './router.tsx';

/** True for the answer an analyst gets on an admin route. */
export function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'CONSOLE_ROLE_FORBIDDEN' || error.status === 403);
}

/** The page an analyst sees at an admin address: said plainly, not an error. */
export function AdminOnly({ title }: { title: string }) {
  useTitle(title);
  return (
    <div class="page">
      <h1 tabIndex={-1}>{title}</h1>
      <EmptyState title="You are not allowed to see this page">
        <p class="muted">
          Only an admin of your organisation can see and change this. Ask an admin if you need something changed here.{' '}
          <Link href="/console/sessions">Go to the sessions</Link>
        </p>
      </EmptyState>
    </div>
  );
}

/**
 * The server's validation messages name the field first ("frame_origins, "x" is not an
 * origin…"); beside the field itself, the name is said already.
 */
export function fieldMessage(error: unknown, field: string): string {
  const message = error instanceof Error ? error.message : 'Something went wrong. Try again.';
  const prefix = `${field}, `;
  if (!message.startsWith(prefix)) return message;
  const rest = message.slice(prefix.length);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

export type AdminResource<T> = { kind: 'loading' } | { kind: 'loaded'; value: T } | { kind: 'forbidden' } | { kind: 'error'; message: string };

/**
 * Loads what an admin page shows: `forbidden` at once for an analyst (and when the server says
 * so), loading again whenever `key` changes or `retry` is called; `set` replaces the loaded value
 * after a change the page made itself.
 */
export function useAdminResource<T>(isAdmin: boolean, load: (signal: AbortSignal) => Promise<T>, key: unknown = null) {
  const [state, setState] = useState<AdminResource<T>>(isAdmin ? { kind: 'loading' } : { kind: 'forbidden' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!isAdmin) {
      setState({ kind: 'forbidden' });
      return;
    }
    const controller = new AbortController();
    setState({ kind: 'loading' });
    load(controller.signal)
      .then((value) => setState({ kind: 'loaded', value }))
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        setState(isForbidden(e) ? { kind: 'forbidden' } : { kind: 'error', message: messageOf(e) });
      });
    return () => controller.abort();
  }, [isAdmin, key, attempt]);
  return { state, retry: () => setAttempt((n) => n + 1), set: (value: T) => setState({ kind: 'loaded', value }) };
}
