/**
 * `/demo`: a local page for newcomers (registered only when `config.demo`). It offers sample
 * statements to download and opens the journey on a fresh session of the sandbox client
 * "demo"; when the server offers Account Aggregator mode (`deps.aa`), it also opens an AA
 * session of the client "demo-aa". The journey comes back to `/demo/done`, which checks the
 * redirect's signature as a lender would. Plain HTML forms and links, no script, so the
 * journey's CSP applies as is.
 */
import { Type } from 'typebox';
import { createDemoAaSession, createDemoSession, DEMO_AA, DEMO_AA_CLIENT_NAME, DEMO_SAMPLES, demoOutcome, demoRange, demoSamplePdf } from '../../usecases/demo.ts';
import type { Deps } from '../../usecases/deps.ts';
import { JOURNEY_MODES, type JourneyMode } from '../../domain/session.ts';
import { AppError } from '../../errors/codes.ts';
import { formatDayMonthYear } from '../../lib/calendar-date.ts';
import { PARAMETER_MEDIA_TYPES } from '../request-params.ts';
import type { Router } from '../route.ts';
import type { Fields } from '../../wire/fields.ts';
import { journeyAssets, pageHeaders } from './journey-page.ts';

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `root` leads from the page's URL back to the server root, so links survive a proxy prefix. */
function page(root: string, title: string, body: string): string {
  const { version } = journeyAssets();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Passbook demo</title>
<link rel="stylesheet" href="${root}journey/assets/journey.css?v=${version}">
</head>
<body>
<header class="top"><span class="top-title">Passbook demo</span></header>
<main class="demo">
<h1>${esc(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** Documents the demo form; the handler reads journey_mode itself (its own message). */
const demoSessionFields = {
  journey_mode: { type: 'choice', choices: ['', ...JOURNEY_MODES], description: 'Empty: one bank, one PDF.' },
} as const satisfies Fields;

const MODES: [JourneyMode | '', string][] = [
  ['', 'One bank, one PDF'],
  ['multi_pdf', 'Several PDFs (journey_mode multi_pdf)'],
  ['multi_banking', 'Several banks (journey_mode multi_banking)'],
];

export function demoRoutes(router: Router, deps: Deps): void {
  router.route({
    method: 'GET',
    url: '/demo',
    auth: 'none',
    summary: 'The newcomer demo (local setups only)',
    responses: { 200: { description: 'The demo page', contentType: 'text/html; charset=utf-8' } },
    async handler() {
      const { from, to } = demoRange(deps);
      const samples = DEMO_SAMPLES.map((s) =>
        `<li><a href="demo/samples/${s.file}" download>${esc(s.title)}</a>${s.password ? `: password <code>${esc(s.password)}</code>` : ''}</li>`,
      ).join('\n');
      const modes = MODES.map(([value, label], i) =>
        `<label><input type="radio" name="journey_mode" value="${value}"${i === 0 ? ' checked' : ''}> ${esc(label)}</label>`,
      ).join('\n');
      const bank = deps.banks.find(DEMO_AA.bankName)?.full_name ?? DEMO_AA.bankName;
      const aa = deps.aa
        ? `
<h2>3. Or share through an Account Aggregator</h2>
<p>No PDF at all: the user approves a consent at an Account Aggregator, and Passbook fetches the bank data from it. Unless <code>AA_BASE_URL</code> names a real AA, that is the built-in sandbox AA, served by this server under <code>aa-sandbox/</code>. The session is for a second sandbox client, “${esc(DEMO_AA_CLIENT_NAME)}” (AA mode only), with <code>mode=aa</code>, <code>bank_name=${esc(DEMO_AA.bankName)}</code> (${esc(bank)}), the same range as the PDF sessions (${formatDayMonthYear(from)} to ${formatDayMonthYear(to)}) and the mobile number <code>${esc(DEMO_AA.mobileNumber)}</code>.</p>
<form method="post" action="demo/aa-sessions">
<button type="submit" class="primary">Try Account Aggregator mode</button>
</form>
<p class="hint">The journey lets you change the number: in the sandbox, a number's last digit sets how many accounts it has (1–4: one, 5–8: two at different banks, 9: three, 0: none). Approve on the sandbox's consent page; the journey then waits for the data and brings you back to the page that checks the signed redirect, as with PDFs. How it works is described in <code>docs/aa.md</code>.</p>`
        : '';
      const body = `
<p>This server runs on the embedded store, without <code>ADMIN_TOKEN</code> and outside production, so it offers this demo. It creates sessions for a sandbox client named “demo”, the way a lender's backend would.</p>
<h2>1. Download sample statements</h2>
<p>Generated statements dated from ${formatDayMonthYear(from)} to ${formatDayMonthYear(to)}, the range a demo session asks for.</p>
<ul class="demo-samples">
${samples}
</ul>
<h2>2. Open the journey</h2>
<form method="post" action="demo/sessions">
<fieldset><legend>Kind of journey</legend>
${modes}
</fieldset>
<button type="submit" class="primary">Open the journey</button>
</form>
<p class="hint">Choose a bank, upload a sample (try the wrong bank or a wrong password too), then submit. You come back to a page that checks the signed redirect, as the lender's server would. How it works is described in <code>docs/journey.md</code>.</p>${aa}`;
      return { body: page('', 'Try the Passbook journey', body), contentType: 'text/html; charset=utf-8', headers: pageHeaders() };
    },
  });

  router.route({
    method: 'POST',
    url: '/demo/sessions',
    auth: 'none',
    body: { maxParameters: 5 },
    summary: 'Create a demo session and go to its journey',
    requestBody: { consumes: PARAMETER_MEDIA_TYPES, fields: demoSessionFields },
    responses: { 303: { description: 'To the journey (location header)', redirect: true } },
    async handler({ params }) {
      const mode = typeof params.journey_mode === 'string' && params.journey_mode !== '' ? params.journey_mode : null;
      if (mode !== null && !(JOURNEY_MODES as readonly string[]).includes(mode)) throw new AppError('INVALID_REQUEST', 'Unknown journey_mode.');
      const { journeyUrl } = await createDemoSession(deps, mode as JourneyMode | null);
      return { status: 303, headers: { location: journeyUrl, 'cache-control': 'no-store' }, body: '' };
    },
  });

  router.route({
    method: 'POST',
    url: '/demo/aa-sessions',
    auth: 'none',
    summary: 'Create a demo Account Aggregator session (sandbox customer, editable number) and go to its journey',
    responses: { 303: { description: 'To the journey (location header)', redirect: true } },
    errors: ['MODE_NOT_ENABLED'],
    async handler() {
      const { journeyUrl } = await createDemoAaSession(deps);
      return { status: 303, headers: { location: journeyUrl, 'cache-control': 'no-store' }, body: '' };
    },
  });

  router.route({
    method: 'GET',
    url: '/demo/samples/:file',
    auth: 'none',
    summary: 'A sample statement for the demo',
    params: Type.Object({ file: Type.String() }),
    responses: { 200: { description: 'The sample', contentType: 'application/pdf' } },
    errors: ['NOT_FOUND'],
    async handler({ path }) {
      const sample = DEMO_SAMPLES.find((s) => s.file === path.file);
      if (!sample) throw new AppError('NOT_FOUND');
      return {
        body: await demoSamplePdf(deps, sample),
        contentType: 'application/pdf',
        headers: { 'content-disposition': `attachment; filename="${sample.file}"`, 'cache-control': 'no-store' },
      };
    },
  });

  router.route({
    method: 'GET',
    url: '/demo/done',
    auth: 'none',
    summary: "Where the demo journey returns: checks the redirect's signature as a lender would",
    responses: { 200: { description: 'The outcome page', contentType: 'text/html; charset=utf-8' } },
    async handler({ request }) {
      const query = new URL(request.url, 'http://x').searchParams;
      const { success, signatureValid, view } = await demoOutcome(deps, query);
      const accounts = view?.accounts ?? [];
      const rows = accounts.map((a) => `<li>${esc(deps.banks.find(a.bankName)?.full_name ?? a.bankName)}: ${a.statements.length} statement(s), months ${esc(a.months.join(', '))}</li>`).join('\n');
      const body = `
<p>The journey sent the user back to the lender's <code>redirect_url</code>:</p>
<p><code>${esc(request.url)}</code></p>
<ul>
<li>Outcome: <strong>${success ? 'success' : 'the user exited'}</strong></li>
<li>Signature: <strong>${signatureValid ? 'valid' : 'NOT valid'}</strong> (HMAC-SHA256 keyed with SHA-256 of the client's server hash; see <code>docs/journey.md</code>)</li>
${view ? `<li>Session <code>${esc(view.session.sessionId)}</code>, state ${esc(view.state)}</li>` : ''}
</ul>
${rows ? `<h2>Accounts shared</h2>\n<ul>\n${rows}\n</ul>` : ''}
<p><a href="../demo">Start another demo session</a></p>`;
      return { body: page('../', success ? 'Statements received' : 'Journey left', body), contentType: 'text/html; charset=utf-8', headers: pageHeaders() };
    },
  });
}
