/** What the webhooks, settings and users pages share: the "admins only" state and the server's field messages. */
import { ApiError } from './api.ts';
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
