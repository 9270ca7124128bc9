import assert from 'node:assert/strict';
import { test } from 'node:test';
import { body, buildTestApp, forEachStore } from '../helper.ts';

const MOST_USED = ['sbi', 'hdfc', 'icici', 'axis', 'kotak', 'indusind', 'yesbnk', 'idfc', 'pnbbnk', 'baroda', 'boi', 'canara', 'ubi', 'iob', 'indbnk', 'central', 'uco', 'federal', 'rbl', 'idbi', 'citi', 'hsbc', 'stanchar', 'mahabk', 'karur', 'sib', 'ausfbnk', 'bandhan', 'dcbbnk', 'paytm', 'airtel'];

forEachStore((kind) => {
  test('bank catalogue: at least 50 banks in lower case, with the documented sample rows', async (t) => {
    const app = await buildTestApp(t, kind);
    const c = await app.client();
    const denied = await app.inject({ method: 'GET', url: '/bank-connect/v1/banks/catalogue/', headers: { 'x-api-key': c.apiKey } });
    assert.equal(denied.statusCode, 403);
    assert.equal(body(denied).error.code, 'ACCESS_DENIED');

    const res = await app.inject({ method: 'GET', url: '/bank-connect/v1/banks/catalogue', headers: { 'x-api-key': c.apiKey, 'server-hash': c.serverHash } });
    assert.equal(res.statusCode, 200);
    const { count, banks } = body(res);
    assert.equal(count, banks.length);
    assert.ok(count >= 50, `only ${count} banks`);
    const names = banks.map((b: { name: string }) => b.name);
    assert.equal(new Set(names).size, names.length, 'names are unique');
    for (const name of names) assert.match(name, /^[a-z0-9_]+$/);
    for (const id of MOST_USED) assert.ok(names.includes(id), `${id} missing`);

    const byName = Object.fromEntries(banks.map((b: { name: string }) => [b.name, b]));
    assert.deepEqual(byName.sbi, {
      name: 'sbi',
      full_name: 'State Bank of India',
      npci_code: 'SBIN',
      logo_url: 'https://journey.passbook.test/assets/banks/sbi.svg',
      is_pdf_upload_available: true,
      is_net_banking_available: true,
      is_aa_available: false,
    });
    const sample: [string, string | null, boolean, boolean, boolean][] = [
      ['hdfc', 'HDFC', true, true, true], ['icici', 'ICIC', true, true, true], ['axis', 'UTIB', true, true, true],
      ['kotak', 'KKBK', true, true, true], ['indusind', 'INDB', true, true, true], ['citi', 'CITI', true, false, false],
      ['uco', 'UCBA', true, false, false], ['central', 'CBIN', true, false, false], ['baroda', 'BARB', true, true, false],
      ['canara', 'CNRB', true, false, false],
    ];
    for (const [name, npci, pdf, netBanking, aa] of sample) {
      const b = byName[name];
      assert.deepEqual([b.npci_code, b.is_pdf_upload_available, b.is_net_banking_available, b.is_aa_available], [npci, pdf, netBanking, aa], name);
    }

    const logo = await app.inject({ method: 'GET', url: '/assets/banks/hdfc.svg' });
    assert.equal(logo.statusCode, 200);
    assert.match(String(logo.headers['content-type']), /^image\/svg\+xml/);
    assert.match(logo.body, /^<svg /);
    assert.equal((await app.inject({ method: 'GET', url: '/assets/banks/nosuch.svg' })).statusCode, 404);
  });
});
