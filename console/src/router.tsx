/**
 * Client-side routing with the history API: every /console/… path is served the same page, and
 * the app picks the screen from `location`. Links are real `<a href>`s (open in a new tab,
 * copy, middle-click all work); a plain click is turned into `navigate()`.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export interface Location {
  pathname: string;
  search: string;
}

const listeners = new Set<() => void>();

function current(): Location {
  return { pathname: window.location.pathname, search: window.location.search };
}

window.addEventListener('popstate', () => {
  for (const listener of listeners) listener();
});

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin) {
    window.location.assign(url.href);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  if (target === window.location.pathname + window.location.search + window.location.hash) return;
  if (options.replace) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  for (const listener of listeners) listener();
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    // A navigation between the first render and this effect.
    update();
    return () => {
      listeners.delete(update);
    };
  }, []);
  return location;
}

interface LinkProps {
  href: string;
  class?: string;
  title?: string;
  'aria-current'?: 'page' | 'true';
  children?: ComponentChildren;
}

export function Link({ href, ...rest }: LinkProps) {
  return (
    <a
      href={href}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(href);
      }}
      {...rest}
    />
  );
}

/**
 * Where to go after signing in: only a console page of this origin (never another site, and
 * never the sign-in page itself), otherwise the session list.
 */
export function safeNext(next: string | null): string {
  const fallback = '/console/sessions';
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return fallback;
  try {
    const url = new URL(next, window.location.origin);
    if (url.origin !== window.location.origin || !url.pathname.startsWith('/console/') || url.pathname.startsWith('/console/sign-in')) return fallback;
    if (url.pathname.startsWith('/console/api/') || url.pathname.startsWith('/console/assets/')) return fallback;
    return url.pathname + url.search;
  } catch {
    return fallback;
  }
}
