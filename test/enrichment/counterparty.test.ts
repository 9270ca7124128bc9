import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanNote, isPersonName, parseCounterparty } from '../../src/enrichment/counterparty.ts';

test('a UPI narration gives the handle, name, bank and reference', () => {
  assert.deepEqual(parseCounterparty('UPI/DR/123456789012/SWIGGY LIMITED/YESB/swiggy@ybl/Payment from Phone'), {
    name: 'SWIGGY LIMITED', upiHandle: 'swiggy@ybl', ifsc: null, bank: 'yesbnk', accountTail: null, reference: '123456789012', chequeNumber: null,
  });
  const p2a = parseCounterparty('UPI/P2A/268652272235/ANANDA P /UPI/INDIAN OVERSEAS BANK');
  assert.equal(p2a.name, 'ANANDA P');
  assert.equal(p2a.bank, 'INDIAN OVERSEAS BANK');
  assert.equal(p2a.reference, '268652272235');
  assert.equal(parseCounterparty('TO TRANSFER-UPI/DR/603800826605/ANJALI D/KKBK/anjalidas@paytm/Paymen--').name, 'ANJALI D');
});

test('NEFT and IMPS narrations give the IFSC, its bank, the account tail and the UTR', () => {
  const neft = parseCounterparty('NEFT CR-HDFC0001234-ACME TECHNOLOGIES-SALARY JAN-HDFCN52026011512345');
  assert.equal(neft.ifsc, 'HDFC0001234');
  assert.equal(neft.bank, 'hdfc');
  assert.equal(neft.name, 'ACME TECHNOLOGIES');
  assert.equal(neft.reference, 'HDFCN52026011512345');
  const imps = parseCounterparty('IMPS-612345678901-PRIYA NAIR-HDFC-XXXXXXX4321-RENT');
  assert.equal(imps.name, 'PRIYA NAIR');
  assert.equal(imps.accountTail, '4321');
  assert.equal(imps.reference, '612345678901');
  assert.equal(imps.bank, 'hdfc');
  const sbi = parseCounterparty('BY TRANSFER-NEFT*SBIN0004567*SBINN12345678901*KAVYA REDDY*GIFT--');
  assert.equal(sbi.name, 'KAVYA REDDY');
  assert.equal(sbi.bank, 'sbi');
});

test('cheque numbers, and nulls where the narration says nothing', () => {
  assert.equal(parseCounterparty('CHQ NO 004411 RAHUL SHARMA').chequeNumber, '004411');
  assert.equal(parseCounterparty('CHQ NO 004411 RAHUL SHARMA').name, 'RAHUL SHARMA');
  assert.deepEqual(parseCounterparty('SMS ALERT CHARGES'), {
    // The words are read as a name here; enrichTransaction drops it for bank charges.
    name: 'SMS ALERT', upiHandle: null, ifsc: null, bank: null, accountTail: null, reference: null, chequeNumber: null,
  });
  assert.deepEqual(parseCounterparty('123456'), { name: null, upiHandle: null, ifsc: null, bank: null, accountTail: null, reference: null, chequeNumber: null });
});

test('the clean note keeps the counterparty words only', () => {
  assert.equal(cleanNote('UPI/DR/123456789012/SWIGGY LIMITED/YESB/swiggy@ybl/Payment from Phone'), 'SWIGGY LIMITED YESB');
  assert.equal(cleanNote('ACH D- BAJAJ FINANCE LTD-P400PLN0123456 EMI'), 'BAJAJ FINANCE LTD');
  assert.equal(cleanNote('NEFT CR-HDFC0001234-ACME TECHNOLOGIES-SALARY 2026-01-15'), 'ACME TECHNOLOGIES SALARY');
  assert.equal(cleanNote('IMPS-612345678901-PRIYA NAIR-HDFC-XXXXXXX4321-RENT'), 'PRIYA NAIR HDFC RENT');
  assert.equal(cleanNote(''), '');
});

test('person names are told from businesses', () => {
  assert.ok(isPersonName('RAHUL SHARMA'));
  assert.ok(isPersonName('SUNITA D'));
  assert.ok(!isPersonName('ACME TECHNOLOGIES PVT LTD'));
  assert.ok(!isPersonName('SHREE GANESH TRADERS'));
  assert.ok(!isPersonName('UPI'));
});
