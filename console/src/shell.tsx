/** The signed-in frame: a top bar (lender, navigation, the user's menu) and the page. */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { Me } from './api.ts';
import { Link } from './router.tsx';

export function Shell({ me, section, onSignOut, children }: { me: Me; section: 'sessions' | 'settings' | 'users' | null; onSignOut: (everywhere: boolean) => Promise<void>; children: ComponentChildren }) {
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <Link href="/console/sessions" class="brand">
            <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
              <rect width="32" height="32" rx="7" />
              <path d="M8 7h11l5 5v13H8z" />
            </svg>
            <span class="brand-name">Passbook</span>
          </Link>
          <span class="client-name" title="Lender">
            {me.client.name}
          </span>
          <nav class="topnav" aria-label="Console">
            <Link href="/console/sessions" class="topnav-link" {...(section === 'sessions' ? { 'aria-current': 'page' } : {})}>
              Sessions
            </Link>
            {me.user.role === 'admin' && (
              <>
                <Link href="/console/users" class="topnav-link" {...(section === 'users' ? { 'aria-current': 'page' } : {})}>
                  Users
                </Link>
                <Link href="/console/settings" class="topnav-link" {...(section === 'settings' ? { 'aria-current': 'page' } : {})}>
                  Settings
                </Link>
              </>
            )}
          </nav>
          <UserMenu me={me} onSignOut={onSignOut} />
        </div>
      </header>
      <main id="main" class="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [name.trim()[0]];
  return letters.join('').toUpperCase() || '?';
}

/** A menu button (WAI-ARIA menu pattern): arrows move, Escape closes and gives focus back. */
function UserMenu({ me, onSignOut }: { me: Me; onSignOut: (everywhere: boolean) => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const close = (giveFocusBack: boolean) => {
    setOpen(false);
    if (giveFocusBack) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const outside = (event: Event) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    document.addEventListener('focusin', outside);
    return () => {
      document.removeEventListener('pointerdown', outside);
      document.removeEventListener('focusin', outside);
    };
  }, [open]);

  const onMenuKey = (event: KeyboardEvent) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      event.preventDefault();
      list[(to + list.length) % list.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(at + 1);
    else if (event.key === 'ArrowUp') move(at - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(list.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') setOpen(false);
  };

  const signOut = async (everywhere: boolean) => {
    setBusy(true);
    try {
      await onSignOut(everywhere);
    } finally {
      setBusy(false);
      setOpen(false);
    }
  };

  return (
    <div class="user-menu">
      <button
        ref={button}
        type="button"
        class="user-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen(!open)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        <span class="avatar" aria-hidden="true">
          {initials(me.user.name || me.user.email)}
        </span>
        <span class="user-text">
          <span class="user-name">{me.user.name || me.user.email}</span>
          <span class="user-role">{me.user.role === 'admin' ? 'Admin' : 'Analyst'}</span>
        </span>
        <svg class="chevron" viewBox="0 0 16 16" aria-hidden="true">
          <path d="M4 6l4 4 4-4" />
        </svg>
      </button>
      <div ref={panel} class="menu" hidden={!open}>
        <div class="menu-header">
          <span class="menu-name">{me.user.name || me.user.email}</span>
          <span class="menu-email">{me.user.email}</span>
          <span class="menu-email">
            {me.user.role === 'admin' ? 'Admin' : 'Analyst'} · {me.client.name}
          </span>
        </div>
        <div ref={menu} id={menuId} role="menu" aria-label="Account" onKeyDown={onMenuKey}>
          <button type="button" role="menuitem" tabIndex={-1} class="menu-item" disabled={busy} onClick={() => void signOut(false)}>
            Sign out
          </button>
          <button type="button" role="menuitem" tabIndex={-1} class="menu-item" disabled={busy} onClick={() => void signOut(true)}>
            Sign out everywhere
            <span class="menu-hint">Ends your sign-ins on every device</span>
          </button>
        </div>
      </div>
    </div>
  );
}
