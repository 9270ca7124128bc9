import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_CONSOLE_USER, ensureDemoConsoleUser } from '../../src/usecases/demo.ts';
import { body, buildTestApp } from '../helper.ts';

test('the demo console user: made once, an admin of the demo client, signs in with the printed password', async (t) => {
  const app = await buildTestApp(t, 'pglite', { demo: true });
  const [first, second] = await Promise.all([ensureDemoConsoleUser(app.deps), ensureDemoConsoleUser(app.deps)]);
  assert.deepEqual(first, second);
  await ensureDemoConsoleUser(app.deps);
  const res = await app.inject({ method: 'POST', url: '/console/api/sign-in', payload: { email: DEMO_CONSOLE_USER.email, password: DEMO_CONSOLE_USER.password } });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(body(res).client.name, 'demo');
  assert.equal(body(res).user.role, 'admin');
  const users = await app.inject({ method: 'GET', url: `/admin/v1/clients/${body(res).client.client_id}/console-users`, headers: { authorization: 'Bearer test-admin-token-0123456789' } });
  assert.equal(body(users).count, 1);
});
