/**
 * Random bodies (seeded, so a failure reproduces) against session creation and the admin API:
 * whatever the input, the answer is a 200/201 or a 4xx in the envelope, never a 5xx.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSessionFields } from '../../src/wire/session-request.ts';
import { ADMIN_TOKEN, buildTestApp, forEachStore } from '../helper.ts';

function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

const ODD_VALUES: unknown[] = [
  null, true, false, 0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, '', ' ', 'x'.repeat(3000), 'a\u0000b', '\ud800', '😀', '<script>',
  "' or 1=1 --", '01/01/2026', '31/02/2026', '9876543210', '+919876543210', 'https://example.com/x', 'ftp://x', 'javascript:alert(1)',
  'hdfc', 'SBI', 'pdf', 'aa', 'online', 'only_recurring', 'month', '60', '5', '43200', 'true', [], ['a'], [1, 2], {}, { names: ['A'] },
  { names: 'A' }, { nested: { deep: [1, { x: null }] } },
];

forEachStore((kind) => {
  test('random session bodies never produce a 5xx', async (t) => {
    const app = await buildTestApp(t, kind);
    const { apiKey } = await app.client({ allowedRedirectHosts: ['example.com'] });
    const random = prng(kind === 'pglite' ? 7 : 11);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const fields = Object.keys(createSessionFields).filter((f) => f !== 'api_key');
    const statuses = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const payload: Record<string, unknown> = { link_id: `fuzz-${i}` };
      const n = 1 + Math.floor(random() * 6);
      for (let j = 0; j < n; j++) payload[pick(fields)] = pick(ODD_VALUES);
      if (random() < 0.1) delete payload.link_id;
      const asForm = random() < 0.3;
      const res = await app.inject({
        method: 'POST',
        url: '/bank-connect/v1/session/',
        headers: { 'x-api-key': apiKey, 'content-type': asForm ? 'application/x-www-form-urlencoded' : 'application/json' },
        payload: asForm
          ? new URLSearchParams(Object.entries(payload).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString()
          : JSON.stringify(payload),
      });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      assert.ok(res.statusCode < 500, `${res.statusCode} for ${JSON.stringify(payload).slice(0, 300)}: ${res.body}`);
      if (res.statusCode !== 200) {
        const err = JSON.parse(res.body).error;
        assert.equal(typeof err.code, 'string');
        assert.equal(typeof err.message, 'string');
      }
    }
    assert.ok((statuses.get(200) ?? 0) > 0 && (statuses.get(400) ?? 0) > 0, JSON.stringify([...statuses]));
  });

  test('random admin bodies never produce a 5xx', async (t) => {
    const app = await buildTestApp(t, kind);
    const random = prng(3);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const fields = ['name', 'enabled_modes', 'plan_status', 'allowed_redirect_hosts', 'other'];
    for (let i = 0; i < 150; i++) {
      const payload: Record<string, unknown> = {};
      for (let j = 0; j < 3; j++) payload[pick(fields)] = pick([...ODD_VALUES, ['pdf', 'aa'], ['*.example.com'], 'expired']);
      const res = await app.inject({
        method: random() < 0.5 ? 'POST' : 'PATCH',
        url: random() < 0.5 ? '/admin/v1/clients' : `/admin/v1/clients/${pick(['00000000-0000-4000-8000-000000000000', 'x', '%20'])}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
      assert.ok(res.statusCode < 500, `${res.statusCode} for ${JSON.stringify(payload)}: ${res.body}`);
    }
  });
});
