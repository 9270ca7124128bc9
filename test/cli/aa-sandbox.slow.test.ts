/**
 * `passbook aa-sandbox` as an operator runs it: a process of its own that prints the environment
 * a Passbook server needs, and a Passbook server (another process) configured only with that
 * environment, as with a real AA (config.aa.kind 'remote', not the built-in sandbox). A whole
 * one-time AA journey then runs over real sockets: consent, the sandbox's consent page, signed
 * notifications to PUBLIC_URL/aa, the FI request and fetch, decryption and storage.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, request, startServer, storeEnv } from '../process-helper.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(ROOT, 'bin/passbook.mjs');
const MOBILE = '9876543216'; // last digit 6: two accounts, at two banks
/** What the command prints, in this order (docs/aa.md, "Running the sandbox on its own"). */
const NAMES = [
  'AA_BASE_URL', 'AA_ID', 'AA_API_KEY', 'AA_NOTIFICATION_API_KEY', 'AA_PUBLIC_KEY', 'AA_HANDLE',
  'FIU_ID', 'FIU_SIGNING_KEY', 'FIU_SIGNING_KEY_ID', 'AA_DATA_KEY', 'AA_CONSENT_URL',
];
const LISTENING = /^# passbook aa-sandbox listening on (http:\/\/\S+) /m;

// The CLI runs from dist/ (bin/passbook.mjs), as the server does: build it if src/ changed.
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });

interface Sandbox {
  proc: ChildProcess;
  url: string;
  env: Record<string, string>;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts `passbook aa-sandbox ARGS` and waits for its environment and its "listening" line. */
async function startSandbox(t: TestContext, args: string[]): Promise<Sandbox> {
  const proc = spawn(process.execPath, [BIN, 'aa-sandbox', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  t.after(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    return exited;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`passbook aa-sandbox did not start:\n${out}${err}`)), 30_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const listening = LISTENING.exec(out);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]!);
      }
    });
    proc.stderr.on('data', (d) => (err += d));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`passbook aa-sandbox exited (${code}):\n${out}${err}`));
    });
  });
  const lines = out.slice(0, out.search(LISTENING)).split('\n').filter(Boolean);
  const env = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  assert.deepEqual(lines.map((line) => line.slice(0, line.indexOf('='))), NAMES, 'one NAME=value line per variable, in order, before the listening line');
  return { proc, url, env, stdout: () => out, stderr: () => err, exited };
}

function passbook(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** DD/MM/YYYY, `days` from today (the sandbox FIP serves rows up to its clock's now). */
function dayFromToday(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
}

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

test('a Passbook configured only by what `passbook aa-sandbox` prints runs a one-time AA journey over sockets', async (t) => {
  // Passbook's port first: the sandbox must know where to notify, Passbook where the AA is.
  const publicUrl = `http://127.0.0.1:${await freePort()}`;
  const sandbox = await startSandbox(t, ['--port', '0', '--fiu-url', `${publicUrl}/aa`]);
  const { env } = sandbox;
  assert.match(sandbox.url, /^http:\/\/127\.0\.0\.1:[1-9]\d*$/, 'port 0 prints the port it got');
  assert.equal(env.AA_BASE_URL, `${sandbox.url}/V2`);
  assert.equal(env.AA_CONSENT_URL, `${sandbox.url}/consent/{consent_handle}?redirect_url={redirect_url}`);
  assert.equal(env.AA_HANDLE, 'passbook-sandbox');
  assert.equal(Buffer.from(env.AA_DATA_KEY!, 'base64').length, 32);
  const fiuKey = JSON.parse(env.FIU_SIGNING_KEY!);
  assert.equal(fiuKey.kid, env.FIU_SIGNING_KEY_ID);
  assert.equal(typeof fiuKey.d, 'string', 'the FIU private key');
  assert.equal(JSON.parse(env.AA_PUBLIC_KEY!).d, undefined, "the AA's public key only");

  // PostgreSQL: a fresh embedded store costs the CLI and the server an initdb each (seconds).
  const store = await storeEnv(t, 'postgres');
  const created = await passbook(['clients', 'create', '--name', 'acme', '--modes', 'aa'], store);
  assert.equal(created.code, 0, created.stderr);
  const client = JSON.parse(created.stdout);
  const keys = { 'x-api-key': client.api_key, 'server-hash': client.server_hash };

  // One parse worker: no statement is parsed here, and each worker loads the PDF reader.
  const server = await startServer(t, { ...store, ...env, PORT: new URL(publicUrl).port, PUBLIC_URL: publicUrl, PARSE_WORKERS: '1' });
  assert.equal((await fetch(`${server.url}/aa-sandbox/V2/Heartbeat`)).status, 404, 'the built-in sandbox is not mounted');

  // The FIP takes a moment, as a real one does. Passbook stores the AA's FI sessionId only after
  // /FI/request has answered, and refuses an FI notification that comes before (see below).
  const controls = await fetch(`${sandbox.url}/sandbox/controls`, { method: 'POST', headers: { client_api_key: env.AA_API_KEY! }, body: JSON.stringify({ fipDelayMs: 1000 }) });
  assert.equal(controls.status, 200);

  const session = await request(server, 'POST', '/bank-connect/v1/session/', {
    headers: { 'x-api-key': client.api_key },
    json: { link_id: 'borrower-aa', mode: 'aa', bank_name: 'hdfc', mobile_number: MOBILE, from_date: dayFromToday(-90), to_date: dayFromToday(-1) },
  });
  assert.equal(session.status, 200, JSON.stringify(session.body));
  const sid = session.body.session_id as string;

  const started = await request(server, 'POST', `/journey/api/sessions/${sid}/aa/consent`, { json: {} });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const consentUrl = new URL(started.body.consent_url);
  assert.equal(consentUrl.origin, sandbox.url, "the consent page is the standalone sandbox's");
  assert.equal(consentUrl.pathname, `/consent/${started.body.consent_handle}`);
  assert.equal(new URL(consentUrl.searchParams.get('redirect_url')!).origin, publicUrl);

  const page = await fetch(consentUrl);
  assert.equal(page.status, 200);
  const html = await page.text();
  const action = /<form[^>]*action="([^"]*approve[^"]*)"/.exec(html);
  assert.ok(action, 'the consent page has an approve form');
  const accounts = [...html.matchAll(/<input type="checkbox" name="account" value="([^"]+)"/g)].map((m) => m[1]!);
  assert.equal(accounts.length, 2);
  // As a browser submits the form: its relative action, every account ticked.
  const approved = await fetch(new URL(action[1]!.replaceAll('&amp;', '&'), consentUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: accounts.map((a) => `account=${encodeURIComponent(a)}`).join('&'),
    redirect: 'manual',
  });
  assert.equal(approved.status, 303);
  const back = new URL(approved.headers.get('location')!);
  assert.equal(back.origin, publicUrl);
  assert.equal(back.searchParams.get('session_id'), sid);
  assert.equal(back.searchParams.get('status'), 'APPROVED');

  // Notifications bring the data; Passbook's own polling would first ask after 30 s.
  const deadline = Date.now() + 30_000;
  let status = (await request(server, 'GET', `/journey/api/sessions/${sid}/aa`)).body;
  while (status.state !== 'done' && status.state !== 'failed' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    status = (await request(server, 'GET', `/journey/api/sessions/${sid}/aa`)).body;
  }
  assert.deepEqual(status, { state: 'done', consent_status: 'ACTIVE', fi_status: 'DELIVERED', reason: null }, server.output().slice(-3000));

  const upload = await request(server, 'GET', `/bank-connect/v1/session_data/${sid}/session_upload_status/`, { headers: keys });
  assert.equal(upload.status, 200, JSON.stringify(upload.body));
  assert.equal(upload.body.accounts.length, 2);

  // The notifications reached Passbook over its socket and passed its checks (aa_api_key, signature,
  // notifier). The FI one may still be refused 400 InvalidSessionId when it overtakes Passbook's
  // storing of the sessionId (a race in src/usecases/aa-data-fetch.ts requestData); Passbook then
  // gets the data by polling /FI/fetch 5 s later, so the journey above ends done either way.
  const sent: { kind: string; status: string; outcome: string; httpStatus: number | null }[] = await (
    await fetch(`${sandbox.url}/sandbox/notifications`, { headers: { client_api_key: env.AA_API_KEY! } })
  ).json();
  assert.deepEqual(sent.map((n) => `${n.kind} ${n.status}`), ['Consent ACTIVE', 'FI COMPLETED']);
  assert.equal(sent[0]!.outcome, 'delivered');
  if (sent[1]!.outcome !== 'delivered') {
    assert.deepEqual([sent[1]!.outcome, sent[1]!.httpStatus], ['refused', 400]);
    t.diagnostic('the FI notification came before Passbook stored the FI sessionId and was refused; the data came by polling');
  }

  // The secrets are printed once, by the command, and logged by neither server.
  for (const secret of [env.AA_API_KEY!, env.AA_NOTIFICATION_API_KEY!, env.AA_DATA_KEY!, fiuKey.d as string]) {
    assert.equal(count(sandbox.stdout(), secret), 1);
    assert.equal(count(sandbox.stderr(), secret), 0);
    assert.equal(count(server.output(), secret), 0);
  }

  sandbox.proc.kill('SIGTERM');
  assert.equal(await sandbox.exited, 0, 'SIGTERM closes it cleanly');
  assert.match(sandbox.stderr(), /SIGTERM: closing\n.*stopped\n$/);
});

test('--keys keeps the keys and secrets across restarts; bad flags are usage errors', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'passbook-aa-sandbox-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'keys.json');

  const first = await startSandbox(t, ['--port', '0', '--keys', file]);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.match(first.stderr(), /no --fiu-url: no notifications are sent/);
  first.proc.kill('SIGINT');
  assert.equal(await first.exited, 0, 'SIGINT closes it cleanly');

  const kept = readFileSync(file, 'utf8');
  const second = await startSandbox(t, ['--port', '0', '--keys', file]);
  assert.equal(readFileSync(file, 'utf8'), kept, 'the file is reused as it is');
  const withoutUrls = (env: Record<string, string>) => Object.entries(env).filter(([name]) => name !== 'AA_BASE_URL' && name !== 'AA_CONSENT_URL');
  assert.deepEqual(withoutUrls(second.env), withoutUrls(first.env));
  second.proc.kill('SIGTERM');
  assert.equal(await second.exited, 0);

  // A file that is not a keys file is named, its content is not.
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ fiuApiKey: 'secret-value-0123456789' }));
  const refused = await passbook(['aa-sandbox', '--port', '0', '--keys', bad], {});
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /bad\.json is not a keys file of passbook aa-sandbox/);
  assert.doesNotMatch(refused.stderr, /secret-value/);

  const misuses = [['--port', '70000'], ['--fiu-url', 'http://fiu.example/aa?x=1'], ['extra']];
  const results = await Promise.all(misuses.map((args) => passbook(['aa-sandbox', ...args], {})));
  misuses.forEach((args, i) => {
    assert.equal(results[i]!.code, 64, `${args.join(' ')}: ${results[i]!.stderr}`);
    assert.equal(results[i]!.stdout, '');
  });
});
