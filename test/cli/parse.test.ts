/** `npx passbook parse FILE`: a statement as JSON or CSV, with the documented exit codes. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { plantedStatement } from '../../src/samples/planted-activity.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { statement } from '../statements/statement-fixtures.ts';

const BIN = fileURLToPath(new URL('../../bin/passbook.mjs', import.meta.url));

function passbook(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { PATH: process.env.PATH ?? '' }, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('parse prints every transaction, with checks, as JSON and CSV; failures get their exit codes', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'passbook-parse-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const s = statement('sbi', { count: 40 });
  writeFileSync(path.join(dir, 'sbi.pdf'), await renderStatementPdf(s));
  writeFileSync(path.join(dir, 'locked.pdf'), await renderStatementPdf(s, { password: 'P4ss' }));
  const image = new PDFDocument();
  const chunks: Buffer[] = [];
  image.on('data', (c: Buffer) => chunks.push(c));
  const imageDone = new Promise((r) => image.on('end', r));
  image.rect(10, 10, 100, 100).fill('#000');
  image.end();
  await imageDone;
  writeFileSync(path.join(dir, 'scan.pdf'), Buffer.concat(chunks));
  writeFileSync(path.join(dir, 'no-rows.pdf'), await renderStatementPdf({ ...s, transactions: [] }));

  const json = await passbook(['parse', path.join(dir, 'sbi.pdf')]);
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  assert.equal(out.bank_name, 'sbi');
  assert.ok(out.page_count >= 2);
  assert.equal(out.identity.account_number, s.account.accountNumber);
  assert.equal(out.identity.ifsc, s.account.ifsc);
  assert.deepEqual(out.date_range, { from_date: s.from, to_date: s.to });
  assert.deepEqual(Object.keys(out), ['bank_name', 'page_count', 'identity', 'opening_bal', 'closing_bal', 'date_range', 'transaction_count', 'transactions', 'checks'], 'the documented fields, in order');
  assert.equal(out.opening_bal, s.openingBalancePaise / 100);
  assert.equal(out.closing_bal, s.transactions.at(-1)!.balancePaise / 100);
  assert.equal(out.transaction_count, s.transactions.length);
  assert.deepEqual(out.checks, { balance_reconciled: true, first_break: null });
  assert.equal(out.transactions.length, s.transactions.length);
  s.transactions.forEach((want, i) => {
    const got = out.transactions[i];
    assert.deepEqual(
      [got.date, got.transaction_type, got.amount, got.balance, got.chq_num],
      [want.date, want.type, want.amountPaise / 100, want.balancePaise / 100, want.chqNum],
      `row ${i}`,
    );
    assert.ok(got.page >= 1 && got.bbox.length === 4);
  });

  const csv = await passbook(['parse', path.join(dir, 'locked.pdf'), '--password', 'P4ss', '--format', 'csv']);
  assert.equal(csv.code, 0, csv.stderr);
  const lines = csv.stdout.trim().split('\n');
  assert.equal(lines[0], 'date,transaction_type,amount,balance,transaction_note,chq_num,page');
  assert.equal(lines.length, s.transactions.length + 1);
  const first = s.transactions[0]!;
  assert.ok(lines[1]!.startsWith(`${first.date},${first.type},${(first.amountPaise / 100).toFixed(2)},${(first.balancePaise / 100).toFixed(2)},`));

  const noPassword = await passbook(['parse', path.join(dir, 'locked.pdf')]);
  assert.equal(noPassword.code, 2);
  assert.match(noPassword.stderr, /^passbook: PASSWORD_INCORRECT: .*\n$/);
  assert.equal((await passbook(['parse', path.join(dir, 'locked.pdf'), '--password', 'nope'])).code, 2);
  const scan = await passbook(['parse', path.join(dir, 'scan.pdf')]);
  assert.equal(scan.code, 3);
  assert.match(scan.stderr, /PDF_IS_IMAGE/);
  const noRows = await passbook(['parse', path.join(dir, 'no-rows.pdf')]);
  assert.equal(noRows.code, 3, 'a table without rows is not a success');
  assert.equal(noRows.stdout, '');
  assert.match(noRows.stderr, /^passbook: STATEMENT_UNSUPPORTED_FORMAT: No transactions could be read from the statement\n$/);
  const mismatch = await passbook(['parse', path.join(dir, 'sbi.pdf'), '--bank', 'HDFC']);
  assert.equal(mismatch.code, 1);
  assert.match(mismatch.stderr, /BANK_NAME_MISMATCH/);
  assert.equal((await passbook(['parse', path.join(dir, 'sbi.pdf'), '--bank', 'SBI'])).code, 0);
  assert.equal((await passbook(['parse', path.join(dir, 'missing.pdf')])).code, 1);
  assert.equal((await passbook(['parse', path.join(dir, 'sbi.pdf'), '--format', 'xml'])).code, 64);
});

test('parse --insights prints the analysis insights/ gives for an account: planted salary, EMIs, bounces found exactly', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'passbook-insights-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { statement: planted, truth } = plantedStatement(3, 'hdfc', {});
  const file = path.join(dir, 'planted.pdf');
  writeFileSync(file, await renderStatementPdf(planted));

  const run = await passbook(['parse', file, '--insights', '--employers', truth.salary!.employer]);
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.match(out.enrichment_version, /^\d{4}\.\d+\.\d+$/);
  const data = out.accounts[0].data;
  const indexOf = new Map<string, number>(data.transactions.map((x: { hash: string }, i: number) => [x.hash, i]));
  const indexes = (list: { hash: string }[]) => list.map((x) => indexOf.get(x.hash)!).sort((a, b) => a - b);
  assert.equal(data.transactions.length, planted.transactions.length);
  assert.deepEqual(indexes(data.salary_transactions), truth.salary!.indexes);
  assert.ok(data.salary_transactions.every((s: { employer_name: string }) => s.employer_name === truth.salary!.employer), 'named as the employer given');
  assert.deepEqual(indexes(data.lender_transactions), [...truth.emis.flatMap((e) => e.indexes), ...truth.disbursals.map((d) => d.index)].sort((a, b) => a - b));
  assert.deepEqual(indexes(data.bounced_or_penal_transactions), truth.bounces.flatMap((b) => [b.returnIndex, b.chargeIndex]).sort((a, b) => a - b));
  assert.deepEqual(data.fraud, [], 'a clean generated statement raises nothing');
  assert.equal(data.score, null);
  // The same file gives the same hashes on every run: they come from the file, not the clock.
  assert.deepEqual(JSON.parse((await passbook(['parse', file, '--insights'])).stdout).accounts[0].data.transactions.map((x: { hash: string }) => x.hash), [...indexOf.keys()]);
});
