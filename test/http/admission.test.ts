/** Admission control (src/http/admission.ts): a bounded number of requests worked on at once. */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import Fastify from 'fastify';
import { registerAdmission } from '../../src/http/admission.ts';
import { readMultipart } from '../../src/http/multipart-body.ts';
import { until } from '../helper.ts';

function gatedApp(limit: number) {
  const app = Fastify();
  registerAdmission(app, limit);
  const started: string[] = [];
  const gates = new Map<string, () => void>();
  app.get('/work/:name', async (request) => {
    const { name } = request.params as { name: string };
    started.push(name);
    await new Promise<void>((resolve) => gates.set(name, resolve));
    return { name };
  });
  app.get('/healthz', { config: { unqueued: true } }, async () => ({ status: 'ok' }));
  const open = (name: string) => {
    gates.get(name)!();
    gates.delete(name);
  };
  return { app, started, open };
}

test('beyond the limit requests wait, first come first served; an unqueued route never waits', async (t) => {
  const { app, started, open } = gatedApp(2);
  t.after(() => app.close());
  const answers = ['a', 'b', 'c', 'd'].map((name) => app.inject({ method: 'GET', url: `/work/${name}` }));
  await until('two admitted', async () => [...started], (s) => s.length === 2);
  assert.deepEqual(started, ['a', 'b'], 'c and d wait');
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200, 'answered while the two slots are taken');
  open('b');
  await until('c admitted', async () => [...started], (s) => s.length === 3);
  assert.deepEqual(started, ['a', 'b', 'c'], 'the freed slot goes to the first in line');
  open('a');
  await until('d admitted', async () => [...started], (s) => s.length === 4);
  open('c');
  open('d');
  const bodies = (await Promise.all(answers)).map((r) => JSON.parse(r.body).name);
  assert.deepEqual(bodies, ['a', 'b', 'c', 'd']);
});

test('a client that gives up while waiting leaves the line; one that gives up while admitted frees its slot', async (t) => {
  const { app, started, open } = gatedApp(1);
  t.after(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const get = (name: string) => {
    const req = http.get({ port, host: '127.0.0.1', path: `/work/${name}`, agent: false });
    const answer = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
    });
    answer.catch(() => {});
    return { req, answer };
  };
  const first = get('first');
  await until('first admitted', async () => [...started], (s) => s.length === 1);
  const quitter = get('quitter');
  const third = get('third');
  await new Promise((resolve) => setTimeout(resolve, 50));
  quitter.req.destroy();
  await new Promise((resolve) => setTimeout(resolve, 50));
  // The slot goes to the next one still waiting, not to the one that left.
  first.req.destroy();
  await until('third admitted', async () => [...started], (s) => s.length === 2);
  assert.deepEqual(started, ['first', 'third']);
  open('third');
  assert.equal(await third.answer, 200);
  // Every slot came back: a new request is admitted at once.
  const fourth = get('fourth');
  await until('fourth admitted', async () => [...started], (s) => s.length === 3);
  open('fourth');
  assert.equal(await fourth.answer, 200);
  open('first');
});

test('a multipart body still arriving holds no slot; its request takes one once the body is in', async (t) => {
  const app = Fastify();
  registerAdmission(app, 1);
  await app.register((await import('@fastify/multipart')).default);
  const started: string[] = [];
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  app.post('/form', async (request) => {
    const fields: Record<string, string> = {};
    await readMultipart(request, { fields: 10 }, (part) => {
      if (part.type === 'field') fields[part.fieldname] = String(part.value);
    });
    started.push(`form ${fields.name}`);
    return fields;
  });
  app.get('/work/:name', async (request) => {
    started.push((request.params as { name: string }).name);
    await gate;
    return {};
  });
  t.after(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const boundary = 'b0undary';
  const head = `--${boundary}\r\ncontent-disposition: form-data; name="name"\r\n\r\n`;
  const tail = `slow\r\n--${boundary}--\r\n`;
  const slow = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/form', agent: false, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + tail.length } });
  const slowAnswer = new Promise<string>((resolve, reject) => {
    slow.on('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve(text));
    });
    slow.on('error', reject);
  });
  slow.write(head);
  await new Promise((resolve) => setTimeout(resolve, 100));
  // The only slot is free while the form trickles in: another request gets it.
  const other = fetch(`http://127.0.0.1:${port}/work/other`);
  await until('other admitted', async () => [...started], (s) => s.includes('other'));
  slow.end(tail);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(started, ['other'], 'the form, now read, waits for the slot');
  openGate();
  assert.equal((await other).status, 200);
  assert.deepEqual(JSON.parse(await slowAnswer), { name: 'slow' });
  assert.deepEqual(started, ['other', 'form slow']);
});
