import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DepositDataError, readDeposit, type DepositErrorCode, type DepositMode } from '../../src/aa/deposit-data.ts';
import { depositJson, depositXml, type DepositDocumentInput, type DepositDocumentTransaction } from '../../src/aa/deposit-document.ts';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import { DEFAULT_PLANTED, plantedActivity } from '../../src/samples/planted-activity.ts';

const d = (s: string) => s as CalendarDate;

function modeOf(narration: string, chqNum: string | null): DepositMode {
  if (chqNum) return 'CHEQUE';
  if (/^UPI/.test(narration)) return 'UPI';
  if (/^IMPS/.test(narration)) return 'IMPS';
  if (/^NEFT/.test(narration)) return 'NEFT';
  if (/^RTGS/.test(narration)) return 'RTGS';
  if (/^NACH/.test(narration)) return 'NACH';
  if (/^ECS/.test(narration)) return 'ECS';
  if (/^ACH/.test(narration)) return 'AUTO_DEBIT';
  if (/ATM/.test(narration)) return 'ATM';
  if (/CASH/.test(narration)) return 'CASH';
  return 'OTHERS';
}

function plantedInput(seed: number): DepositDocumentInput {
  const { transactions } = plantedActivity({ seed });
  const rows: DepositDocumentTransaction[] = transactions.map((t, i) => ({
    date: t.date,
    narration: t.narration,
    type: t.type,
    amountPaise: t.amountPaise,
    balancePaise: t.balancePaise,
    mode: modeOf(t.narration, t.chqNum),
    reference: t.chqNum ?? /\d{10,}/.exec(t.narration)?.[0] ?? `REF${String(i).padStart(6, '0')}`,
    transactionId: `S${seed}T${String(i).padStart(5, '0')}`,
  }));
  return {
    holder: { name: DEFAULT_PLANTED.holderName, dob: d('1990-02-14'), mobile: '9876543210', email: 'ayush.patil@example.in', pan: 'ABCPP1234K', address: '12 MG ROAD, PUNE 411001', ckycCompliant: true },
    account: { number: '50100234567891', ifsc: 'HDFC0000240', micr: '411240002', type: 'SAVINGS', openingDate: d('2019-06-01'), branch: 'PUNE MG ROAD' },
    transactions: rows,
    openingBalancePaise: DEFAULT_PLANTED.openingBalancePaise,
    period: { from: DEFAULT_PLANTED.from, to: DEFAULT_PLANTED.to },
  };
}

const V1_MODE: Record<string, string> = { IMPS: 'FT', NEFT: 'FT', RTGS: 'FT', CHEQUE: 'OTHERS', NACH: 'OTHERS', ECS: 'OTHERS', AUTO_DEBIT: 'OTHERS' };

for (const [label, write, schema, format] of [
  ['XML v1.1', (i: DepositDocumentInput) => depositXml(i, '1.1'), 1, 'xml'],
  ['XML v2.0.0', (i: DepositDocumentInput) => depositXml(i, '2.0.0'), 2, 'xml'],
  ['JSON v2.0.0', (i: DepositDocumentInput) => depositJson(i), 2, 'json'],
  ['JSON v1.1', (i: DepositDocumentInput) => depositJson(i, '1.1'), 1, 'json'],
] as const) {
  test(`round trip of planted activity through ${label}`, () => {
    const input = plantedInput(7);
    const account = readDeposit(Buffer.from(write(input), 'utf8'), { fipId: 'HDFC-FIP' });
    const { transactions } = plantedActivity({ seed: 7 });
    assert.equal(account.format, format);
    assert.equal(account.schema, schema);
    assert.equal(account.version, schema === 1 ? '1.1' : '2.0.0');
    assert.equal(account.fipId, 'HDFC-FIP');
    assert.equal(account.maskedAccountNumber, 'XXXXXXXXXX7891');
    assert.match(account.linkedAccRef, /^[0-9a-f]{8}-/);
    assert.deepEqual(account.identity, {
      name: 'AYUSH PATIL', accountNumber: 'XXXXXXXXXX7891', ifsc: 'HDFC0000240', micr: '411240002', address: '12 MG ROAD, PUNE 411001',
      accountCategory: 'individual', accountType: 'SAVINGS', odLimitPaise: null, creditLimitPaise: null,
    });
    assert.equal(account.holders[0]!.pan, 'ABCPP1234K');
    assert.equal(account.holders[0]!.dob, '1990-02-14');
    assert.equal(account.holders[0]!.ckyc, schema === 1 ? 'true' : 'YES');
    assert.equal(account.summary!.currentBalancePaise, transactions.at(-1)!.balancePaise);
    assert.equal(account.summary!.openingDate, '2019-06-01');
    assert.equal(account.summary!.accountCategory, schema === 2 ? 'REGULAR' : null);
    assert.deepEqual(account.period, { from: DEFAULT_PLANTED.from, to: DEFAULT_PLANTED.to });
    assert.equal(account.openingBalancePaise, DEFAULT_PLANTED.openingBalancePaise);
    assert.equal(account.closingBalancePaise, transactions.at(-1)!.balancePaise);
    assert.equal(account.transactions.length, transactions.length);
    account.transactions.forEach((t, i) => {
      const p = transactions[i]!;
      const row = input.transactions[i]!;
      assert.deepEqual(
        { date: t.date, narration: t.narration, chqNum: t.chqNum, type: t.type, amountPaise: t.amountPaise, balancePaise: t.balancePaise },
        { date: p.date, narration: p.narration, chqNum: p.chqNum, type: p.type, amountPaise: p.amountPaise, balancePaise: p.balancePaise },
        `row ${i}`,
      );
      assert.equal(t.transactionId, row.transactionId);
      assert.equal(t.reference, row.reference);
      assert.equal(t.mode, schema === 2 ? row.mode : (V1_MODE[row.mode] ?? row.mode));
      assert.equal(t.valueDate, p.date);
    });
    assert.ok(account.transactions.some((t) => t.chqNum !== null), 'cheque rows come through');
  });
}

const HAND_WRITTEN = `<?xml version="1.0" encoding="UTF-8"?>
<!-- hand written in deposit_v1.1.xsd's shape -->
<Account xmlns="http://api.rebit.org.in/FISchema/deposit" type="deposit" maskedAccNumber="XXXXXX4321" version="1.1" linkedAccRef="a1b2c3">
  <Profile>
    <Holders type="JOINT">
      <Holder name="MEERA &amp; RAVI IYER" dob="1985-11-30" mobile="9123456789" nominee="REGISTERED" address="4 LAKE VIEW,&#10;CHENNAI" pan="AAAPI1234C" ckycCompliance="false"/>
      <Holder name="RAVI IYER" dob="1983-01-05" mobile="9123456780" nominee="NOT-REGISTERED"/>
    </Holders>
  </Profile>
  <Summary currentBalance="10500.75" currency="INR" balanceDateTime="2026-03-31T18:00:00+05:30" type="CURRENT" branch="T NAGAR" facility="OD"
           ifscCode="SBIN0001234" micrCode="600002003" openingDate="2015-04-01" currentODLimit="40000" drawingLimit="50000.00" status="ACTIVE">
    <Pending transactionType="DEBIT" amount="250.5"/>
  </Summary>
  <Transactions startDate="2026-03-01" endDate="2026-03-31">
    <Transaction type="DEBIT" mode="UPI" amount="499.5" currentBalance="10500.75" transactionTimestamp="2026-03-20T23:30:00+05:30" valueDate="2026-03-21" txnId="T2" narration="UPI/DR/123456789012/SWIGGY &lt;FOOD&gt;" reference="123456789012"/>
    <Transaction type="CREDIT" mode="FT" amount="11000" currentBalance="11000.25" transactionTimestamp="2026-03-05T10:00:00+05:30" valueDate="2026-03-05" txnId="T1" narration="NEFT CR-ACME &quot;PVT&quot; LTD" reference="N065123"/>
    <Transaction type="DEBIT" mode="OTHERS" amount="0.00" currentBalance="10500.75" transactionTimestamp="2026-03-20T09:00:00+05:30" valueDate="2026-03-20" txnId="T3" narration="CHQ PAID-CLG" reference="000123"/>
  </Transactions>
</Account>`;

test('a hand-written v1.1 document is read to exact values', () => {
  const a = readDeposit(HAND_WRITTEN);
  assert.equal(a.type, 'deposit');
  assert.equal(a.maskedAccountNumber, 'XXXXXX4321');
  assert.equal(a.linkedAccRef, 'a1b2c3');
  assert.equal(a.fipId, undefined);
  assert.equal(a.holdersType, 'JOINT');
  assert.deepEqual(a.holders.map((h) => h.name), ['MEERA & RAVI IYER', 'RAVI IYER']);
  assert.deepEqual(a.identity, {
    name: 'MEERA & RAVI IYER', accountNumber: 'XXXXXX4321', ifsc: 'SBIN0001234', micr: '600002003', address: '4 LAKE VIEW,\nCHENNAI',
    accountCategory: 'individual', accountType: 'CURRENT', odLimitPaise: 50_000_00, creditLimitPaise: null,
  });
  assert.deepEqual(a.summary, {
    currentBalancePaise: 10_500_75, currency: 'INR', balanceDateTime: '2026-03-31T18:00:00+05:30', accountType: 'CURRENT', accountCategory: null,
    branch: 'T NAGAR', facility: 'OD', ifsc: 'SBIN0001234', micr: '600002003', openingDate: '2015-04-01', currentODLimitPaise: 40_000_00,
    drawingLimitPaise: 50_000_00, status: 'ACTIVE', pending: [{ transactionType: 'DEBIT', amountPaise: 250_50 }],
  });
  assert.deepEqual(a.period, { from: '2026-03-01', to: '2026-03-31' });
  // Oldest first by transactionTimestamp's day; T2 and T3 share 20 Mar and keep the document's order.
  assert.deepEqual(a.transactions, [
    { date: '2026-03-05', narration: 'NEFT CR-ACME "PVT" LTD', chqNum: null, type: 'credit', amountPaise: 11_000_00, balancePaise: 11_000_25, transactionId: 'T1', reference: 'N065123', mode: 'FT', valueDate: '2026-03-05', timestamp: '2026-03-05T10:00:00+05:30' },
    { date: '2026-03-20', narration: 'UPI/DR/123456789012/SWIGGY <FOOD>', chqNum: null, type: 'debit', amountPaise: 499_50, balancePaise: 10_500_75, transactionId: 'T2', reference: '123456789012', mode: 'UPI', valueDate: '2026-03-21', timestamp: '2026-03-20T23:30:00+05:30' },
    { date: '2026-03-20', narration: 'CHQ PAID-CLG', chqNum: '000123', type: 'debit', amountPaise: 0, balancePaise: 10_500_75, transactionId: 'T3', reference: '000123', mode: 'OTHERS', valueDate: '2026-03-20', timestamp: '2026-03-20T09:00:00+05:30' },
  ]);
  assert.equal(a.openingBalancePaise, 25);
  assert.equal(a.closingBalancePaise, 10_500_75);
});

test('a prefixed namespace, a newest-first v2 document and a Setu-style JSON are read', () => {
  const prefixed = HAND_WRITTEN.replace(/<(\/?)(Account|Profile|Holders|Holder|Summary|Pending|Transactions|Transaction)\b/g, '<$1dep:$2').replace('xmlns=', 'xmlns:dep=');
  assert.equal(readDeposit(prefixed).transactions.length, 3);

  const v2 = `<Account xmlns="http://api.rebit.org.in/FISchema/deposit" type="deposit" maskedAccNumber="XX99" version="2.0.0" linkedAccRef="r">
    <Summary currentBalance="5" balanceDateTime="2026-01-31T00:00:00Z" accountType="REGULAR" accountSubType="SAVINGS" ifsc="ICIC0000001" micrCode="1" openingDate="2020-01-01" status="ACTIVE" branch="B">
      <PendingTxns><PendingTxn transactionType="UNKNOWN" amount="1"/></PendingTxns></Summary>
    <Transactions startDate="2026-01-01" endDate="2026-01-31">
      <Transaction type="DEBIT" mode="CHEQUE" amount="5" transactionalBalance="5" transactionTimestamp="2026-01-09T10:00:00+05:30" valueDate="2026-01-09T00:00:00" txnId="c" narration="b" reference="445566"/>
      <Transaction type="CREDIT" mode="IMPS" amount="5" transactionalBalance="10" transactionTimestamp="2026-01-09T09:00:00+05:30" valueDate="2026-01-09" txnId="b" narration="b" reference="r2"/>
      <Transaction type="CREDIT" mode="NEFT" amount="5" transactionalBalance="5" transactionTimestamp="2026-01-02T09:00:00+05:30" valueDate="2026-01-02" txnId="a" narration="a" reference="r1"/>
    </Transactions></Account>`;
  const b = readDeposit(v2);
  assert.deepEqual(b.transactions.map((t) => t.transactionId), ['a', 'b', 'c']);
  assert.equal(b.transactions[2]!.chqNum, '445566');
  assert.equal(b.summary!.accountType, 'SAVINGS');
  assert.equal(b.summary!.ifsc, 'ICIC0000001');
  assert.deepEqual(b.summary!.pending, [{ transactionType: 'UNKNOWN', amountPaise: 100 }]);
  assert.equal(b.openingBalancePaise, 0);

  const setu = JSON.stringify({
    type: 'deposit', masked_account_number: 'XXXX1111', link_ref_number: 'lr-1', version: '1.1',
    profile: { holders: { type: 'SINGLE', holder: { name: 'A B', dob: '01-02-1990', mobile: '9000000000', nominee: 'REGISTERED' } } },
    summary: { currentBalance: '100.00', type: 'SAVINGS', ifscCode: 'UTIB0000001', micrCode: '2', openingDate: '2020-01-01', status: 'ACTIVE', branch: 'X', balanceDateTime: '2026-01-31T00:00:00Z' },
    transactions: { startDate: '01-01-2026', endDate: '31-01-2026', transaction: [{ type: 'CREDIT', mode: 'UPI', amount: 100, currentBalance: 100, transactionTimestamp: '2026-01-05T10:00:00+05:30', valueDate: '05-01-2026', txnId: 'x', narration: 'n', reference: 'r' }] },
  });
  const c = readDeposit(setu);
  assert.equal(c.format, 'json');
  assert.equal(c.maskedAccountNumber, 'XXXX1111');
  assert.equal(c.linkedAccRef, 'lr-1');
  assert.equal(c.holders[0]!.dob, '1990-02-01');
  assert.deepEqual(c.period, { from: '2026-01-01', to: '2026-01-31' });
  assert.equal(c.transactions[0]!.amountPaise, 100_00);
  assert.equal(c.transactions[0]!.valueDate, '2026-01-05');
});

function refused(document: string | Buffer, code: DepositErrorCode, check: (e: DepositDataError) => void = () => {}, options = {}) {
  assert.throws(() => readDeposit(document, options), (e: unknown) => {
    assert.ok(e instanceof DepositDataError, String(e));
    assert.equal(e.code, code, e.message);
    check(e);
    return true;
  });
}

test('every refusal code', () => {
  // NOT_DEPOSIT
  refused(HAND_WRITTEN.replace('type="deposit"', 'type="term-deposit"'), 'NOT_DEPOSIT');
  refused(HAND_WRITTEN.replace('FISchema/deposit"', 'FISchema/mutual_funds"'), 'NOT_DEPOSIT');
  refused('<Statement><Account/></Statement>', 'NOT_DEPOSIT');
  refused(JSON.stringify({ hello: 'world' }), 'NOT_DEPOSIT');
  refused(JSON.stringify({ maskedAccNumber: 'X1', version: '1.1' }), 'MISSING_FIELD', (e) => assert.equal(e.field, 'Account@type'));
  // UNSUPPORTED_VERSION
  refused(HAND_WRITTEN.replace('version="1.1"', 'version="3.0"'), 'UNSUPPORTED_VERSION', (e) => assert.equal(e.field, 'Account@version'));
  // MALFORMED
  refused('<Account type="deposit"><Summary></Account>', 'MALFORMED');
  refused('{"type": "deposit",', 'MALFORMED');
  refused('hello', 'MALFORMED');
  refused('', 'MALFORMED');
  refused(HAND_WRITTEN.replace('amount="11000"', 'amount="11,0x0"'), 'MALFORMED', (e) => {
    assert.deepEqual(e.transaction, { index: 1, txnId: 'T1' });
    assert.equal(e.field, 'Transaction@amount');
    assert.match(e.message, /Transaction 2 \(txnId T1\)/);
  });
  refused(HAND_WRITTEN.replace('2026-03-20T23:30:00+05:30', '2026-02-30T23:30:00+05:30'), 'MALFORMED', (e) => {
    assert.deepEqual(e.transaction, { index: 0, txnId: 'T2' });
    assert.equal(e.field, 'Transaction@transactionTimestamp');
  });
  refused(HAND_WRITTEN.replace('type="CREDIT"', 'type="REFUND"'), 'MALFORMED', (e) => assert.equal(e.transaction?.txnId, 'T1'));
  refused(HAND_WRITTEN.replace('startDate="2026-03-01"', 'startDate="2026-04-01"'), 'MALFORMED');
  refused(HAND_WRITTEN.replace('currentBalance="11000.25"', 'currentBalance="1.2.3"'), 'MALFORMED', (e) => assert.equal(e.field, 'Transaction@currentBalance'));
  refused(HAND_WRITTEN.replace('valueDate="2026-03-05"', 'valueDate="yesterday"'), 'MALFORMED', (e) => assert.equal(e.field, 'Transaction@valueDate'));
  refused(`<Account type="deposit" version="1.1">${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}</Account>`, 'MALFORMED');
  // MISSING_FIELD
  refused(HAND_WRITTEN.replace(' maskedAccNumber="XXXXXX4321"', ''), 'MISSING_FIELD', (e) => assert.equal(e.field, 'Account@maskedAccNumber'));
  refused(HAND_WRITTEN.replace(' version="1.1"', ''), 'MISSING_FIELD', (e) => assert.equal(e.field, 'Account@version'));
  refused(HAND_WRITTEN.replace(' currentBalance="11000.25"', ''), 'MISSING_FIELD', (e) => {
    assert.equal(e.field, 'Transaction@currentBalance');
    assert.equal(e.transaction?.txnId, 'T1');
  });
  refused(HAND_WRITTEN.replace(' amount="499.5"', ''), 'MISSING_FIELD', (e) => assert.equal(e.transaction?.txnId, 'T2'));
  refused('<Account type="deposit" maskedAccNumber="X1" version="1.1" linkedAccRef="r"><Transactions startDate="2026-01-01" endDate="2026-01-31"/></Account>', 'MISSING_FIELD', (e) =>
    assert.equal(e.field, 'Summary|Transactions'));
  refused(JSON.stringify({ type: 'deposit', maskedAccNumber: 'X1', version: '2.0.0', linkedAccRef: 'r' }), 'MISSING_FIELD');
  // TOO_LARGE
  refused(HAND_WRITTEN, 'TOO_LARGE', () => {}, { maxBytes: 1000 });
  refused(HAND_WRITTEN, 'TOO_LARGE', () => {}, { maxTransactions: 2 });
});

test('entity expansion (billion laughs) and external entities are refused', () => {
  const lol = `<?xml version="1.0"?>
<!DOCTYPE Account [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Account type="deposit" maskedAccNumber="&lol9;" version="1.1" linkedAccRef="r"><Summary currentBalance="1"/></Account>`;
  refused(lol, 'MALFORMED', (e) => assert.match(e.message, /DTD/));
  refused(HAND_WRITTEN.replace('<Account', '<!DOCTYPE Account SYSTEM "file:///etc/passwd">\n<Account'), 'MALFORMED');
  // An undeclared entity reference without a DTD stays inert text.
  const inert = readDeposit(HAND_WRITTEN.replace('narration="CHQ PAID-CLG"', 'narration="CHQ &lol9; PAID"'));
  assert.equal(inert.transactions[2]!.narration, 'CHQ &lol9; PAID');
});

test('a 20,000-transaction document is read', () => {
  const rows: DepositDocumentTransaction[] = [];
  let balance = 1_000_000_00;
  for (let i = 0; i < 20_000; i++) {
    const credit = i % 3 === 0;
    const amountPaise = 100_00 + (i % 997) * 13;
    balance += credit ? amountPaise : -amountPaise;
    const day = d(`2025-${String(1 + Math.floor(i / 1700)).padStart(2, '0')}-${String(1 + Math.floor((i % 1700) / 62)).padStart(2, '0')}`);
    rows.push({ date: day, narration: `UPI/${credit ? 'CR' : 'DR'}/${100000000000 + i}/MERCHANT ${i % 50}/okaxis`, type: credit ? 'credit' : 'debit', amountPaise, balancePaise: balance, mode: 'UPI', reference: String(100000000000 + i), transactionId: `T${i}` });
  }
  const input: DepositDocumentInput = {
    holder: { name: 'BULK HOLDER' }, account: { number: '1234567890', ifsc: 'KKBK0000001', micr: '400485002', type: 'CURRENT' },
    transactions: rows, openingBalancePaise: 1_000_000_00, period: { from: d('2025-01-01'), to: d('2025-12-31') },
  };
  for (const [label, text] of [['XML v2.0.0', depositXml(input, '2.0.0')], ['JSON', depositJson(input)]] as const) {
    const started = performance.now();
    const account = readDeposit(text);
    const ms = performance.now() - started;
    console.log(`# 20,000 transactions, ${label}, ${(text.length / 1e6).toFixed(1)} MB: read in ${ms.toFixed(0)} ms`);
    assert.equal(account.transactions.length, 20_000);
    assert.equal(account.transactions.at(-1)!.balancePaise, balance);
    assert.equal(account.transactions[12_345]!.transactionId, 'T12345');
  }
});
