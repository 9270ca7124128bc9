/** `npx passbook clients …` on PostgreSQL and on the embedded store, as an operator would run it. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { migratedDataDir, request, startServer, storeEnv } from '../process-helper.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function passbook(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(path.join(ROOT, 'bin/passbook.mjs'), args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('clients create, list, get, update, rotate on PostgreSQL (DATABASE_URL)', async (t) => {
  // The embedded store's own test is below; each command on it opens PGlite, a few seconds.
  const env = await storeEnv(t, 'postgres');

  const created = await passbook(['clients', 'create', '--name', 'acme', '--modes', 'pdf,aa', '--allowed-redirect-hosts', 'acme.example'], env);
  assert.equal(created.code, 0, created.stderr);
  const client = JSON.parse(created.stdout);
  assert.equal(client.name, 'acme');
  assert.deepEqual(client.enabled_modes, ['pdf', 'aa']);
  assert.deepEqual(client.allowed_redirect_hosts, ['acme.example']);
  assert.match(client.api_key, /^pbk_/);

  const listed = JSON.parse((await passbook(['clients', 'list'], env)).stdout);
  assert.equal(listed.count, 1);
  assert.equal(listed.clients[0].api_key, undefined);

  const updated = JSON.parse((await passbook(['clients', 'update', client.client_id, '--plan', 'expired'], env)).stdout);
  assert.equal(updated.plan_status, 'expired');
  assert.equal(JSON.parse((await passbook(['clients', 'get', client.client_id], env)).stdout).plan_status, 'expired');
  await passbook(['clients', 'update', client.client_id, '--plan', 'active'], env);
  const rotated = JSON.parse((await passbook(['clients', 'rotate', client.client_id], env)).stdout);
  assert.notEqual(rotated.api_key, client.api_key);

  const bad = await passbook(['clients', 'create', '--name', 'x', '--modes', 'fax'], env);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim(), 'passbook: INVALID_REQUEST: enabled_modes, "fax" is not a valid choice.');
  const usage = await passbook(['clients', 'frobnicate'], env);
  assert.equal(usage.code, 64);
  assert.match(usage.stderr, /Usage:/);
  const unknown = await passbook(['clients', 'get', '00000000-0000-4000-8000-000000000000'], env);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /CLIENT_NOT_FOUND/);
  // The admin API's reanalyse, from the shell (its success is tested through the API: test/http/session-insights.test.ts).
  const noSession = await passbook(['sessions', 'reanalyse', '00000000-0000-4000-8000-000000000000'], env);
  assert.equal(noSession.code, 1);
  assert.match(noSession.stderr, /SESSION_NOT_FOUND/);
  assert.equal((await passbook(['sessions', 'reanalyse'], env)).code, 64);

  // Console users: a generated password printed once, listed without it, disabled.
  const user = await passbook(['users', 'create', '--client', client.client_id, '--email', 'Ops@Acme.example', '--name', 'Ops', '--role', 'admin'], env);
  assert.equal(user.code, 0, user.stderr);
  const made = JSON.parse(user.stdout);
  assert.equal(made.user.email, 'ops@acme.example');
  assert.match(made.password, /^[A-Za-z0-9_-]{22}$/);
  const users = await passbook(['users', 'list', '--client', client.client_id], env);
  assert.equal(users.stdout.includes(made.password), false);
  assert.deepEqual(JSON.parse(users.stdout).users.map((u: { email: string; role: string }) => `${u.email} ${u.role}`), ['ops@acme.example admin']);
  const taken = await passbook(['users', 'create', '--client', client.client_id, '--email', 'ops@acme.example', '--name', 'Again', '--role', 'analyst'], env);
  assert.equal(taken.stderr.trim(), 'passbook: EMAIL_TAKEN: A console user with this email already exists.');
  assert.equal((await passbook(['users', 'create', '--email', 'x@acme.example'], env)).code, 64, 'no --client');

  const server = await startServer(t, env);
  const session = await request(server, 'POST', '/bank-connect/v1/session/', { json: { link_id: 'u', mode: 'aa', bank_name: 'hdfc' }, headers: { 'x-api-key': rotated.api_key } });
  assert.equal(session.status, 200, 'the server accepts the rotated key');
  const signIn = await request(server, 'POST', '/console/api/sign-in', { json: { email: 'ops@acme.example', password: made.password } });
  assert.equal(signIn.status, 200, 'the printed password signs in to the console');
  const disabled = await passbook(['users', 'disable', made.user.user_id], env);
  assert.ok(JSON.parse(disabled.stdout).disabled_at);
  assert.equal((await request(server, 'POST', '/console/api/sign-in', { json: { email: 'ops@acme.example', password: made.password } })).status, 401);
  const enabled = await passbook(['users', 'enable', made.user.user_id], env);
  assert.equal(JSON.parse(enabled.stdout).disabled_at, null);
  assert.equal((await request(server, 'POST', '/console/api/sign-in', { json: { email: 'ops@acme.example', password: made.password } })).status, 200, 'enabled: the same password signs in');
});

test('embedded store: a client the CLI made works on the server, and the CLI stays out while it runs', async (t) => {
  const env = { DATA_DIR: await migratedDataDir(t) };
  const created = await passbook(['clients', 'create', '--name', 'acme', '--modes', 'pdf,aa'], env);
  assert.equal(created.code, 0, created.stderr);
  const server = await startServer(t, env);
  const session = await request(server, 'POST', '/bank-connect/v1/session/', { json: { link_id: 'u', mode: 'aa', bank_name: 'hdfc' }, headers: { 'x-api-key': JSON.parse(created.stdout).api_key } });
  assert.equal(session.status, 200);
  const busy = await passbook(['clients', 'list'], env);
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, /in use by another Passbook process.*admin API/);
});

test('a bad configuration value stops a clients command with one line that names it', async () => {
  const result = await passbook(['clients', 'list'], { PORT: '70000', ADMIN_TOKEN: 'short-secret' });
  assert.equal(result.code, 1);
  assert.equal(
    result.stderr,
    'passbook: Invalid configuration: - PORT must be a whole number from 0 to 65535 (got "70000") - ADMIN_TOKEN must be at least 16 characters long\n',
  );
});

test('clients update --help lists --frame-origins; the flag sets, checks and empties the origins', async (t) => {
  const help = await passbook(['clients', 'update', '--help'], {});
  assert.equal(help.code, 0, help.stderr);
  assert.equal(help.stderr, '');
  assert.match(help.stdout, /^ {2}passbook clients update CLIENT_ID .*\[--frame-origins o1,o2\]$/m);
  assert.match(help.stdout, /^ {2}--frame-origins o1,o2 +origins \(scheme:\/\/host\[:port\]/m, 'the option is explained');
  assert.equal((await passbook(['clients', 'frobnicate'], {})).code, 64, 'a misuse is still an error');

  const env = await storeEnv(t, 'postgres');
  const created = await passbook(['clients', 'create', '--name', 'acme', '--frame-origins', 'https://app.lender.example'], env);
  assert.equal(created.code, 0, created.stderr);
  const client = JSON.parse(created.stdout);
  assert.deepEqual(client.frame_origins, ['https://app.lender.example']);

  const updated = await passbook(['clients', 'update', client.client_id, '--frame-origins', 'https://app.lender.example, https://lender.example:8443'], env);
  assert.equal(updated.code, 0, updated.stderr);
  assert.deepEqual(JSON.parse(updated.stdout).frame_origins, ['https://app.lender.example', 'https://lender.example:8443']);
  const bad = await passbook(['clients', 'update', client.client_id, '--frame-origins', 'https://app.lender.example/embed'], env);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'passbook: INVALID_REQUEST: frame_origins, "https://app.lender.example/embed" is not an origin such as https://app.example.com.\n');

  // What the journey does with them (posts its iframe events there): test/http/journey-api.test.ts.
  const emptied = await passbook(['clients', 'update', client.client_id, '--frame-origins', ''], env);
  assert.equal(emptied.code, 0, emptied.stderr);
  assert.deepEqual(JSON.parse(emptied.stdout).frame_origins, []);
});
