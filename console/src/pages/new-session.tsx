/**
 * A session made from the console (POST /console/api/sessions), for a lender without an
 * integration: the borrower's reference, the months to ask for, and optionally where the journey
 * sends them at the end. The Session API's rules and messages apply; on success the session's
 * page opens, with its journey link to copy or show as a QR code.
 */
import { useState } from 'preact/hooks';
import { api, messageOf } from '../api.ts';
import { useTitle } from '../components.tsx';
import { Link, navigate } from '../router.tsx';

/** `YYYY-MM-DD` (a date input's value) as the Session API's `DD/MM/YYYY`. */
function dayMonthYear(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

export function NewSessionPage() {
  useTitle('New session');
  const [linkId, setLinkId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [redirectUrl, setRedirectUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      const created = await api.createSession({
        link_id: linkId.trim(),
        ...(from && to ? { from_date: dayMonthYear(from), to_date: dayMonthYear(to) } : {}),
        ...(redirectUrl.trim() ? { redirect_url: redirectUrl.trim() } : {}),
      });
      navigate(`/console/sessions/${encodeURIComponent(created.session_id)}`);
    } catch (err) {
      setError(messageOf(err));
      setPending(false);
    }
  };

  return (
    <div class="page">
      <p>
        <Link href="/console/sessions">← Sessions</Link>
      </p>
      <div class="page-header">
        <div>
          <h1 tabIndex={-1}>New session</h1>
          <p class="page-lead">Make a journey link to send a borrower: they open it, share their bank statements, and the session appears in your list.</p>
        </div>
      </div>
      <section class="card new-session">
        <div role="alert" class={error ? 'notice notice-error' : 'visually-empty'}>
          {error}
        </div>
        <form class="form" onSubmit={(e) => void submit(e)}>
          <div class="field">
            <label for="new-link-id">Borrower reference (link_id)</label>
            <input id="new-link-id" name="link_id" required maxLength={255} value={linkId} onInput={(e) => setLinkId(e.currentTarget.value)} aria-describedby="new-link-id-help" />
            <p id="new-link-id-help" class="muted">Your own id for this borrower, such as an application number.</p>
          </div>
          <fieldset class="field">
            <legend>Statement period (leave both empty for the last six months)</legend>
            <label for="new-from">From</label>
            <input id="new-from" name="from_date" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} required={to !== ''} />
            <label for="new-to">To</label>
            <input id="new-to" name="to_date" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} required={from !== ''} />
          </fieldset>
          <div class="field">
            <label for="new-redirect">After the journey, send the borrower to (optional)</label>
            <input id="new-redirect" name="redirect_url" type="url" placeholder="https://your-site.example/done" value={redirectUrl} onInput={(e) => setRedirectUrl(e.currentTarget.value)} />
          </div>
          <button type="submit" class="button button-primary" disabled={pending}>
            {pending ? 'Creating…' : 'Create session'}
          </button>
        </form>
      </section>
    </div>
  );
}
