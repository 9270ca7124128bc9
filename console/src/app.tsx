/**
 * The console: who is signed in (GET /console/api/me on load, which also gives a reloaded page
 * its CSRF token), and which screen the URL names. Any 401 sends the user to the sign-in page,
 * which brings them back to where they were (`next`).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, messageOf, onSignInRequired, setCsrfToken, type Me } from './api.ts';
import { ErrorNotice, Spinner, useTitle } from './components.tsx';
import { SessionPage } from './pages/session.tsx';
import { SessionsPage } from './pages/sessions.tsx';
import { NewSessionPage } from './pages/new-session.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { SettingsPage } from './pages/settings.tsx';
import { AuditPage, UsersPage } from './pages/users.tsx';
import { WebhooksPage } from './pages/webhooks.tsx';
import { Link, navigate, safeNext, useLocation } from './router.tsx';
import { Shell } from './shell.tsx';
import { AnalysisRoute } from './pages/analysis-route.tsx';
import { TransactionsPage } from './pages/transactions.tsx';

type Auth =
  | { kind: 'checking' }
  | { kind: 'signed-out'; notice: string | null }
  | { kind: 'signed-in'; me: Me }
  | { kind: 'unreachable'; message: string };

type Screen = { name: 'sign-in' } | { name: 'sessions' } | { name: 'session'; sessionId: string } | { name: 'root' } | { name: 'not-found' } | AdminScreen | { name: 'analysis'; sessionId: string } | { name: 'transactions'; sessionId: string } | { name: 'new-session' };

/** The webhook log, settings, users and the audit log (pages/webhooks.tsx, settings.tsx, users.tsx). */
type AdminScreen = { name: 'webhooks'; sessionId: string } | { name: 'settings' } | { name: 'users' } | { name: 'audit' };

function adminScreenOf(path: string): AdminScreen | null {
  if (path === '/console/settings') return { name: 'settings' };
  if (path === '/console/users') return { name: 'users' };
  if (path === '/console/audit') return { name: 'audit' };
  const m = /^\/console\/sessions\/([^/]+)\/webhooks$/.exec(path);
  if (m) {
    try {
      return { name: 'webhooks', sessionId: decodeURIComponent(m[1]!) };
    } catch {
      return null;
    }
  }
  return null;
}

function adminSection(screen: Screen): 'sessions' | 'settings' | 'users' | null {
  if (screen.name === 'webhooks') return 'sessions';
  if (screen.name === 'settings') return 'settings';
  if (screen.name === 'users' || screen.name === 'audit') return 'users';
  return null;
}

function screenOf(pathname: string): Screen {
  const path = pathname.replace(/\/+$/, '');
  if (path === '/console' || path === '') return { name: 'root' };
  if (path === '/console/sign-in') return { name: 'sign-in' };
  const admin = adminScreenOf(path);
  if (admin) return admin;
  const analysis = /^\/console\/sessions\/([^/]+)\/analysis$/.exec(path);
  if (analysis) {
    try {
      return { name: 'analysis', sessionId: decodeURIComponent(analysis[1]!) };
    } catch {
      return { name: 'not-found' };
    }
  }
  const transactions = /^\/console\/sessions\/([^/]+)\/transactions$/.exec(path);
  if (transactions) {
    try {
      return { name: 'transactions', sessionId: decodeURIComponent(transactions[1]!) };
    } catch {
      return { name: 'not-found' };
    }
  }
  if (path === '/console/sessions') return { name: 'sessions' };
  if (path === '/console/new-session') return { name: 'new-session' };
  const m = /^\/console\/sessions\/([^/]+)$/.exec(path);
  if (m) {
    try {
      return { name: 'session', sessionId: decodeURIComponent(m[1]!) };
    } catch {
      return { name: 'not-found' };
    }
  }
  return { name: 'not-found' };
}

function signInHref(): string {
  const here = window.location.pathname + window.location.search;
  return `/console/sign-in?next=${encodeURIComponent(here)}`;
}

export function App() {
  const location = useLocation();
  const screen = screenOf(location.pathname);
  const [auth, setAuth] = useState<Auth>({ kind: 'checking' });
  const [check, setCheck] = useState(0);
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const signedIn = useRef(false);
  signedIn.current = auth.kind === 'signed-in';

  // A 401 from any call once signed in: the sign-in ended (signed out elsewhere, or timed out).
  useEffect(() => {
    onSignInRequired(() => {
      if (!signedIn.current) return;
      setCsrfToken(null);
      setAuth({ kind: 'signed-out', notice: 'Your sign-in has ended. Sign in again to continue.' });
      if (screenOf(window.location.pathname).name !== 'sign-in') navigate(signInHref(), { replace: true });
    });
  }, []);

  useEffect(() => {
    setAuth({ kind: 'checking' });
    api
      .me()
      .then((me) => {
        setCsrfToken(me.csrf_token);
        setAuth({ kind: 'signed-in', me });
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) setAuth({ kind: 'signed-out', notice: null });
        else setAuth({ kind: 'unreachable', message: messageOf(e) });
      });
  }, [check]);

  // Redirects the URL alone decides, once it is known who is signed in.
  useEffect(() => {
    if (screen.name === 'root') navigate('/console/sessions', { replace: true });
    else if (auth.kind === 'signed-out' && screen.name !== 'sign-in') navigate(signInHref(), { replace: true });
    else if (auth.kind === 'signed-in' && screen.name === 'sign-in') navigate(safeNext(new URLSearchParams(location.search).get('next')), { replace: true });
  }, [auth.kind, screen.name, location.search]);

  // A new screen: start at its top, and put the keyboard and screen reader there (not on a filter change).
  const firstPath = useRef(location.pathname);
  useEffect(() => {
    if (location.pathname === firstPath.current) return;
    firstPath.current = '';
    window.scrollTo(0, 0);
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.pathname]);

  const signOut = async (everywhere: boolean) => {
    setSignOutError(null);
    try {
      await (everywhere ? api.signOutEverywhere() : api.signOut());
    } catch (e) {
      // Already signed out (401) is what was asked; anything else is said, and the user stays.
      if (!(e instanceof ApiError && e.status === 401)) {
        setSignOutError(messageOf(e));
        return;
      }
    }
    setCsrfToken(null);
    setAuth({ kind: 'signed-out', notice: everywhere ? 'You have signed out on every device.' : 'You have signed out.' });
    navigate('/console/sign-in', { replace: true });
  };

  if (auth.kind === 'unreachable') {
    return <Unreachable message={auth.message} onRetry={() => setCheck((n) => n + 1)} />;
  }
  if (screen.name === 'sign-in') {
    if (auth.kind !== 'signed-out') return <FullPageSpinner />;
    return (
      <SignInPage
        notice={auth.notice}
        onSignedIn={(me) => {
          setCsrfToken(me.csrf_token);
          setAuth({ kind: 'signed-in', me });
        }}
      />
    );
  }
  if (auth.kind !== 'signed-in' || screen.name === 'root') return <FullPageSpinner />;

  return (
    <Shell me={auth.me} section={adminSection(screen) ?? (screen.name === 'sessions' || screen.name === 'new-session' || screen.name === 'session' || screen.name === 'analysis' || screen.name === 'transactions' ? 'sessions' : null)} onSignOut={signOut}>
      {signOutError && <ErrorNotice title="Signing out failed" message={signOutError} />}
      {screen.name === 'sessions' && <SessionsPage location={location} />}
      {screen.name === 'new-session' && <NewSessionPage />}
      {screen.name === 'session' && <SessionPage key={screen.sessionId} sessionId={screen.sessionId} />}
      {screen.name === 'analysis' && <AnalysisRoute key={screen.sessionId} sessionId={screen.sessionId} />}
      {screen.name === 'transactions' && <TransactionsPage key={screen.sessionId} sessionId={screen.sessionId} location={location} />}
      {screen.name === 'webhooks' && <WebhooksPage key={screen.sessionId} sessionId={screen.sessionId} isAdmin={auth.me.user.role === 'admin'} />}
      {screen.name === 'settings' && <SettingsPage isAdmin={auth.me.user.role === 'admin'} />}
      {screen.name === 'users' && <UsersPage me={auth.me} />}
      {screen.name === 'audit' && <AuditPage me={auth.me} location={location} />}
      {screen.name === 'not-found' && <NotFound />}
    </Shell>
  );
}

function FullPageSpinner() {
  return (
    <div class="full-page" id="main" tabIndex={-1}>
      <Spinner label="Loading the console…" />
    </div>
  );
}

function Unreachable({ message, onRetry }: { message: string; onRetry: () => void }) {
  useTitle('Unavailable');
  return (
    <main class="full-page" id="main" tabIndex={-1}>
      <div class="full-page-box">
        <h1>The console is not available</h1>
        <ErrorNotice title="The server did not answer as expected" message={message} onRetry={onRetry} />
      </div>
    </main>
  );
}

function NotFound() {
  useTitle('Page not found');
  return (
    <div class="page">
      <h1 tabIndex={-1}>Page not found</h1>
      <p class="page-lead">
        There is no console page at this address. <Link href="/console/sessions">Go to the sessions</Link>
      </p>
    </div>
  );
}
