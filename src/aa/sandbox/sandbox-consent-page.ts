/**
 * The sandbox AA's consent screen: what a customer sees before approving a consent request
 * (who asks, why, for which period, how often, from which accounts). Plain HTML forms, no
 * script, so it works in any browser, in a test's fetch, and with a screen reader.
 */
import type { SandboxAccount } from './sandbox-customers.ts';

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** ReBIT purpose codes (aa.md §8), for a request that sends a code without its text. */
export const PURPOSE_TEXTS: Readonly<Record<string, string>> = {
  '101': 'Wealth management service',
  '102': 'Customer spending patterns, budget or other reportings',
  '103': 'Aggregated statement',
  '104': 'Explicit consent for monitoring of the accounts',
  '105': 'Explicit one-time consent for the accounts',
};

export interface ConsentPageView {
  fiuId: string;
  aaId: string;
  purposeCode: string;
  purposeText: string | null;
  /** IST calendar days */
  dataFrom: string;
  dataTo: string;
  consentExpiry: string;
  fetchType: string;
  frequency: { unit: string; value: number };
  consentTypes: string[];
  maskedMobile: string;
  accounts: SandboxAccount[];
  handle: string;
  /** Query string (with its `?`) carried into the form actions, so the redirect survives. */
  query: string;
}

const UNIT_WORDS: Record<string, string> = { HOUR: 'hour', DAY: 'day', MONTH: 'month', YEAR: 'year', INF: 'consent' };

function frame(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Passbook sandbox AA</title>
<style>
body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
dt{font-weight:600}dd{margin:0 0 .6rem 0}
fieldset{border:1px solid #888;padding:.5rem 1rem;margin:1rem 0}
button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.8rem}
.note{color:#444;font-size:.9rem}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export function consentPage(view: ConsentPageView): string {
  // Relative to /consent/<handle>, so the page works under any prefix the sandbox is mounted at.
  const action = (decision: string) => esc(`${encodeURIComponent(view.handle)}/${decision}${view.query}`);
  const purpose = view.purposeText ?? PURPOSE_TEXTS[view.purposeCode] ?? `purpose ${view.purposeCode}`;
  const fetch =
    view.fetchType === 'PERIODIC'
      ? `Recurring: up to ${view.frequency.value} time${view.frequency.value === 1 ? '' : 's'} per ${UNIT_WORDS[view.frequency.unit] ?? view.frequency.unit.toLowerCase()}`
      : 'One time';
  const accounts = view.accounts
    .map(
      (a) =>
        `<div><input type="checkbox" name="account" value="${esc(a.linkRefNumber)}" id="acc-${a.index}" checked> <label for="acc-${a.index}">${esc(a.bank.name)} savings account ${esc(a.maskedAccNumber)}</label></div>`,
    )
    .join('\n');
  const choose =
    view.accounts.length > 0
      ? `<fieldset>
<legend>Share data from these accounts</legend>
${accounts}
</fieldset>`
      : `<p>No bank accounts are linked to mobile ${esc(view.maskedMobile)}, so there is nothing to share. You can only reject this request.</p>`;
  const body = `<h1>Approve sharing your bank data?</h1>
<p><strong>${esc(view.fiuId)}</strong> asks to see your bank account data through ${esc(view.aaId)}.</p>
<dl>
<dt>Purpose</dt><dd>${esc(purpose)}</dd>
<dt>Data from</dt><dd>${esc(view.dataFrom)} to ${esc(view.dataTo)}</dd>
<dt>How often</dt><dd>${esc(fetch)}</dd>
<dt>What</dt><dd>${esc(view.consentTypes.map((t) => t.toLowerCase()).join(', '))}</dd>
<dt>Consent valid until</dt><dd>${esc(view.consentExpiry)}</dd>
<dt>Your mobile</dt><dd>${esc(view.maskedMobile)}</dd>
</dl>
<form method="post" action="${action('approve')}">
${choose}
${view.accounts.length > 0 ? '<button type="submit">Approve</button>' : ''}
<button type="submit" formaction="${action('reject')}">Reject</button>
</form>
<p class="note">This is the Passbook development sandbox. The accounts and their transactions are generated from the mobile number; no real bank is involved.</p>`;
  return frame('Consent request', body);
}

/** The page shown after a decision when the request named no redirect_url, or for a request already decided. */
export function decidedPage(status: string, redirect: string | null): string {
  const link = redirect ? `<p><a href="${esc(redirect)}">Return to the requester</a></p>` : '<p>You can close this page.</p>';
  return frame('Consent request', `<h1>Consent request ${esc(status.toLowerCase())}</h1>\n${link}`);
}

export function problemPage(status: number, message: string): string {
  return frame('Problem', `<h1>${status === 404 ? 'Not found' : 'Cannot continue'}</h1>\n<p>${esc(message)}</p>`);
}
