/** Email and password; the server's message (wrong password, too many attempts) in an alert. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, messageOf, type Me } from '../api.ts';
import { useTitle } from '../components.tsx';

export function SignInPage({ onSignedIn, notice }: { onSignedIn: (me: Me) => void; notice: string | null }) {
  useTitle('Sign in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const emailInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    emailInput.current?.focus();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (pending) return;
    setError(null);
    setPending(true);
    try {
      onSignedIn(await api.signIn(email.trim(), password));
    } catch (e) {
      setError(messageOf(e));
      setPassword('');
      passwordInput.current?.focus();
    } finally {
      setPending(false);
    }
  };

  return (
    <div class="auth">
      <main id="main" class="auth-card">
        <div class="auth-brand">
          <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="7" />
            <path d="M8 7h11l5 5v13H8z" />
          </svg>
          <span class="brand-name">Passbook</span>
        </div>
        <h1 tabIndex={-1}>Sign in to the console</h1>
        <p class="auth-lead">Use the email and password your administrator gave you.</p>
        {notice && !error && (
          <p class="notice notice-info" role="status">
            {notice}
          </p>
        )}
        <div role="alert" class={error ? 'notice notice-error' : 'visually-empty'}>
          {error}
        </div>
        <form class="form" onSubmit={(e) => void submit(e)}>
          <div class="field">
            <label for="sign-in-email">Email</label>
            <input
              ref={emailInput}
              id="sign-in-email"
              name="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
              aria-invalid={error ? true : undefined}
            />
          </div>
          <div class="field">
            <label for="sign-in-password">Password</label>
            <input
              ref={passwordInput}
              id="sign-in-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
              aria-invalid={error ? true : undefined}
            />
          </div>
          <button type="submit" class="button button-primary button-block" disabled={pending}>
            {pending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </main>
    </div>
  );
}
