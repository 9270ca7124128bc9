// Passbook's hosted journey: plain browser JavaScript (a module), no framework, no build step.
// It talks only to this server's /journey/api; docs/journey.md describes screens and events.
const main = document.getElementById('main');
const qs = new URLSearchParams(location.search);
const sid = qs.get('session_id') || '';
const api = 'journey/api/sessions/' + encodeURIComponent(sid);
// Session API v2 links carry a signed token, without which the server will not open the session.
const token = qs.get('token');
const inFrame = window.parent !== window;
let s; // the session, as GET /journey/api/sessions/<id> answers it
let bank; // the bank being uploaded for
let origins = []; // where events may be posted
let cover, submitBtn, addFiles;
let lender = 'your lender'; // the client's name, once known
let aaBack = qs.get('aa') === 'return'; // back from approving at the Account Aggregator
let uid = 0;

// h('tag.class', { attribute or onevent }, ...children)
function h(tag, attrs, ...kids) {
  const [name, ...cls] = tag.split('.');
  const el = document.createElement(name);
  el.className = cls.join(' ');
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...kids.flat().filter(Boolean));
  return el;
}
const btn = (text, onclick, cls = '') => h('button' + cls, { type: 'button', onclick }, text);
const p = (text) => h('p', {}, text);

// Screen-reader announcements: polite for progress, assertive for failures.
function say(text, urgent) {
  const el = document.getElementById(urgent ? 'alert' : 'live');
  el.textContent = '';
  setTimeout(() => (el.textContent = text), 60);
}

// Each screen's heading takes focus, so keyboard and screen-reader users start at its top.
function screen(title, ...kids) {
  const h1 = h('h1', { tabindex: -1 }, title);
  main.replaceChildren(h1, ...kids.filter(Boolean));
  h1.focus();
}

// The iframe workflow's events, sent only to the origins the server names for this session.
function post(status, payload) {
  if (inFrame) for (const o of origins) window.parent.postMessage({ type: 'finbox-bankconnect', status, payload }, o);
}
const info = (event_name, message = '') => post('info', { linkId: s.link_id, event_name, message });
const error = (error_type, reason) => post('error', { reason, linkId: s.link_id, error_type });

async function fetchSession() {
  const res = await fetch(token ? api + '?token=' + encodeURIComponent(token) : api, { cache: 'no-store' });
  return { status: res.status, body: res.ok ? await res.json() : null };
}

const gone = (code) => code === 'SESSION_EXPIRED' || code === 'SESSION_DELETED';

async function call(path, data) {
  try {
    const res = await fetch(api + '/' + path, data ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) } : { method: 'POST' });
    return { ok: res.ok, body: await res.json().catch(() => ({})) };
  } catch {
    return { ok: false, body: {} };
  }
}

async function load() {
  const res = await fetchSession().catch(() => ({}));
  if (res.status === 404) return screen('This link is not valid', p('Ask your lender for a new link.'));
  if (!res.body) return screen('Something went wrong', p('Check your connection, then reload the page.'));
  s = res.body;
  lender = s.lender_name || lender;
  origins = [...new Set(s.parent_origins || (s.redirect_origin ? [s.redirect_origin] : []))];
  if (s.logo_url) Object.assign(document.getElementById('logo'), { src: s.logo_url, hidden: false });
  if (!s.modes.length) s.state = 'unavailable';
  bank = s.bank_name && (s.banks.find((b) => b.name === s.bank_name) || { name: s.bank_name, full_name: s.bank_name });
  // Back from the AA: the data may already be in, and the session marked processed.
  if (aaBack && s.modes.includes('aa') && /open|processed/.test(s.state)) return aaWait();
  if (s.state !== 'open') return closed();
  bank ? chooseMode(false) : chooseBank();
}

const CLOSED = {
  expired: ['This link has expired', 'SESSION_EXPIRED'],
  deleted: ['This link is no longer valid', 'SESSION_DELETED'],
  processed: ['Statements already shared', 'SESSION_COMPLETED', () => 'You have already shared your statements with ' + lender + '. You can close this page.'],
  unavailable: ['Statement upload is not available', 'MODE_NOT_ENABLED', () => 'Please contact ' + lender + '.'],
};
function closed() {
  const [title, type, text = () => 'Ask ' + lender + ' for a new link.'] = CLOSED[s.state];
  error(type, title);
  screen(title, p(text()), btn('Close', (e) => leave(e), '.secondary'));
}

// Exit asks first (the <dialog> in page.html): leaving loses the user's place.
// why: the AA failure code (and its text) the user leaves after, added to the exit event.
const exitBtn = (why) => btn('Exit', (e) => {
  const d = document.getElementById('leave');
  const b = e.currentTarget;
  d.querySelector('p').textContent = 'You have not submitted your statements. If you leave now, ' + lender + ' is told that you did not finish.';
  d.returnValue = '';
  d.onclose = () => d.returnValue === 'leave' && leave({ currentTarget: b }, why);
  d.showModal();
  d.querySelector('button').focus(); // Stay: not `autofocus`, which a cross-origin frame refuses
}, '.quiet');
async function leave(e, why) {
  e.currentTarget.disabled = true;
  const r = await call('exit');
  post('exit', { linkId: s.link_id, message: 'User exited the journey', ...why });
  if (r.body.redirect_url && !inFrame) return location.assign(r.body.redirect_url);
  screen('You have left', p('You left without submitting your statements to ' + lender + '. You can close this page.'));
}

// Bank selection: a combobox over a listbox (ARIA 1.2). Focus stays in the text box; arrow
// keys move the active option, Enter picks it; a click picks too.
function chooseBank() {
  bank = null;
  const list = h('ul.banks', { id: 'bank-list', role: 'listbox', 'aria-label': 'Banks' });
  const q = h('input', {
    id: 'bank-search', type: 'text', role: 'combobox', 'aria-controls': 'bank-list', 'aria-expanded': 'true',
    'aria-autocomplete': 'list', autocomplete: 'off', 'aria-describedby': 'bank-help',
  });
  let shown = [];
  let active = -1;
  let counting;
  const setActive = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', j === i));
    if (shown[i]) {
      q.setAttribute('aria-activedescendant', 'bank-' + i);
      list.children[i].scrollIntoView({ block: 'nearest' });
    } else q.removeAttribute('aria-activedescendant');
  };
  // Best match first: a name or abbreviation that starts with the text, then a word that does,
  // then anywhere; ties keep the server's order (most used banks first).
  const score = (b, t) => Math.min(...b.terms.map((x) => (x.startsWith(t) ? 0 : x.includes(' ' + t) ? 1 : x.includes(t) ? 2 : 9)));
  const draw = () => {
    // As bank-choice.ts searchText does to the terms.
    const text = q.value.toLowerCase().replace(/[-.'’]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
    shown = text ? s.banks.map((b) => [score(b, text), b]).filter((x) => x[0] < 9).sort((x, y) => x[0] - y[0]).map((x) => x[1]) : s.banks;
    // The internal id (b.name) is never shown: the badge is decoration, the name is the option's name.
    list.replaceChildren(...shown.map((b, i) => h('li', { id: 'bank-' + i, role: 'option', class: !text && !b.popular && shown[i - 1]?.popular ? 'more' : '', onclick: () => pick(b) },
      h('span.badge', { 'aria-hidden': 'true' }, b.initials), h('span.bank-name', {}, b.full_name))));
    if (!shown.length) list.append(h('li.none', { role: 'presentation' }, 'No bank matches “' + q.value.trim() + '”'));
    setActive(text && shown.length ? 0 : -1);
  };
  q.addEventListener('input', () => {
    draw();
    clearTimeout(counting);
    counting = setTimeout(() => say(shown.length + (shown.length === 1 ? ' bank' : ' banks')), 400);
  });
  q.addEventListener('keydown', (e) => {
    const n = shown.length;
    if (e.key === 'ArrowDown' && n) setActive(Math.min(active + 1, n - 1));
    else if (e.key === 'ArrowUp' && n) setActive(Math.max(active - 1, 0));
    else if (e.key === 'Enter' && shown[active]) pick(shown[active]);
    else return;
    e.preventDefault();
  });
  const pick = (b) => {
    bank = b;
    info('bank_selected', b.full_name);
    chooseMode(true);
  };
  screen('Choose your bank',
    h('label', { for: 'bank-search' }, 'Search for your bank'),
    h('p.hint', { id: 'bank-help' }, 'Most used banks first. Type a name or a short name such as SBI or BOB, then choose.'),
    q, list,
    h('div.actions', {}, s.accounts.length && submitButton(), exitBtn()));
  draw();
}

// Only when the session (and the bank) allow several ways.
const MODES = { aa: 'Share through an Account Aggregator (fastest, no PDF)', pdf: 'Upload PDF statements' };
const modes = () => s.modes.filter((m) => MODES[m] && (bank?.modes || s.modes).includes(m));
function chooseMode(bankChosen) {
  const ms = modes();
  if (ms.length < 2) return ms[0] === 'aa' ? aaStart() : upload(bankChosen, false);
  screen('How do you want to share?',
    h('div.choices', {}, ms.map((m) => btn(MODES[m], () => (m === 'aa' ? aaStart() : upload(bankChosen, true))))),
    h('div.actions', {}, bankChosen && btn('Back', chooseBank, '.secondary'), exitBtn()));
}

// PDF upload: picker and drag-and-drop, a progress bar per file, password prompts, and the
// months still missing, refreshed after every upload.
function upload(bankChosen, modeChosen) {
  info('manual');
  const multi = s.journey_mode === 'multi_pdf';
  const files = h('ul.files', { 'aria-label': 'Your files' });
  const add = (addFiles = (list) => [...list].slice(0, multi ? 20 : 1).forEach((f) => send(item(f, files))));
  const input = h('input.visually-hidden', { type: 'file', id: 'file', accept: 'application/pdf,.pdf', multiple: multi });
  input.addEventListener('change', () => {
    add(input.files);
    input.value = '';
  });
  const drop = h('div.drop', {
    ondragover: (e) => e.preventDefault() || drop.classList.add('over'),
    ondragleave: () => drop.classList.remove('over'),
    ondrop: (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      add(e.dataTransfer.files);
    },
  }, input, h('label.button', { for: 'file' }, multi ? 'Choose PDF files' : 'Choose a PDF file'), h('p.hint', {}, multi ? 'or drop them here' : 'or drop it here'));
  cover = h('section.coverage', { 'aria-labelledby': 'cover-title' });
  const back = () => {
    info('manual_upload_back');
    modeChosen ? chooseMode(bankChosen) : chooseBank();
  };
  const plural = multi ? 's' : '';
  screen('Upload your ' + bank.full_name + ' statement' + plural,
    p('Upload the PDF statement' + plural + ' your bank gave you, covering ' + period() + '.'),
    drop, files, cover,
    h('div.actions', {}, submitButton(),
      s.journey_mode === 'multi_banking' && btn('Add another bank', chooseBank, '.secondary'),
      (bankChosen || modeChosen) && btn('Back', back, '.secondary'),
      exitBtn()));
  drawCover();
}

function item(file, list) {
  const it = { file, bank, pw: '', id: 'f' + ++uid }; // bank: the user may move on mid-upload
  // Whether it starts like a PDF: a refused non-PDF is told so, a damaged PDF something else.
  it.pdf = file.slice(0, 1024).text().then((t) => t.includes('%PDF-'), () => true);
  it.bar = h('progress', { max: 100, value: 0, 'aria-label': 'Upload progress for ' + file.name });
  it.msg = h('p.msg', { id: it.id + '-msg' });
  // A refused file, or one waiting for its password, can be taken off the list.
  it.rm = btn('Remove', () => {
    it.li.remove();
    document.getElementById('file')?.focus();
    say(file.name + ' removed.');
  }, '.quiet');
  it.rm.setAttribute('aria-label', 'Remove ' + file.name);
  it.rm.hidden = true;
  it.li = h('li.file', {}, h('div.file-head', {}, h('span.file-name', {}, file.name), it.rm), it.bar, it.msg);
  list.append(it.li);
  return it;
}
const note = (it, text, kind = '') => Object.assign(it.msg, { textContent: text, className: 'msg ' + kind });

function send(it) {
  const form = new FormData();
  form.append('bank_name', it.bank.name);
  if (it.pw) form.append('pdf_password', it.pw);
  form.append('file', it.file, it.file.name);
  const x = new XMLHttpRequest();
  x.open('POST', api + '/statements');
  x.responseType = 'json';
  Object.assign(it.bar, { hidden: false, value: 0 });
  it.rm.hidden = true;
  note(it, 'Uploading…');
  x.upload.onprogress = (e) => e.lengthComputable && (it.bar.value = Math.round((e.loaded / e.total) * 100));
  x.upload.onload = () => {
    it.bar.value = 100;
    note(it, 'Reading the statement…');
  };
  x.onload = () => answered(it, x.status, x.response || {});
  x.onerror = () => failed(it, 'NETWORK_ERROR', 'Upload failed', 'The upload did not finish. Check your connection, then remove this file and choose it again.');
  x.send(form);
}

async function answered(it, status, body) {
  if (status === 200) {
    it.li.classList.add('ok');
    note(it, 'Uploaded: ' + body.transaction_count + ' transactions read.', 'ok');
    say(it.file.name + ' uploaded.');
    return refresh();
  }
  const err = body.error || {};
  const code = err.code || 'HTTP_' + status;
  if (gone(code)) return load();
  if (code === 'PASSWORD_INCORRECT') return askPassword(it);
  failed(it, ...problem(code, err.message || '', it, body.detected_bank, await it.pdf));
}

// Each refusal in its own words. The event keeps BankConnect's MU error types; other refusals
// keep Passbook's code. detected: the bank a BANK_NAME_MISMATCH statement is from.
const AGAIN = ' Download the statement from your net banking or bank app and upload that PDF.';
const TEXT = {
  EMPTY_FILE: 'This file is empty.',
  PDF_IS_IMAGE: 'This PDF is a scan or a photo, so it has no text to read.' + AGAIN,
  STATEMENT_UNSUPPORTED_FORMAT: 'This PDF is not a bank statement we can read, or its bank is not supported.' + AGAIN,
  BANK_NAME_UNDETECTED: 'We cannot tell which bank this statement is from.' + AGAIN,
  STATEMENT_DUPLICATE: 'You have already uploaded this file.',
  STATEMENT_TOO_MANY_PAGES: 'This statement has too many pages. Download one for a shorter period and upload that.',
  PAYLOAD_TOO_LARGE: 'This file is too large. Download the statement for a shorter period and upload that.',
  MODE_NOT_ENABLED: 'Uploading PDFs is not available for this link.',
};
function problem(code, message, it, detected, isPdf) {
  const b = it.bank;
  const range = 'Please upload statements within the date range ' + s.from_date + ' to ' + s.to_date;
  switch (code) {
    case 'BANK_NAME_MISMATCH': {
      const d = !s.bank_name && s.banks.find((x) => x.name === detected?.name && x.modes.includes('pdf'));
      const from = 'This looks like a statement from ' + (detected?.full_name || 'another bank');
      // The lender fixed the bank: only that bank's statement will do. Otherwise the user may switch.
      return ['MU004', 'Not ' + b.name + ' statement', s.bank_name
        ? from + ', but ' + lender + ' needs your ' + b.full_name + ' statement. Upload a statement from ' + b.full_name + '.'
        : from + ', not ' + b.full_name + '. Upload your ' + b.full_name + ' statement' + (d ? ', or choose ' + d.full_name + ' instead.' : '.'),
      d && btn('Choose ' + d.full_name, () => {
        bank = d;
        info('bank_selected', d.full_name);
        upload(true, false);
        addFiles([it.file]);
      }, '.secondary')];
    }
    case 'PDF_IS_IMAGE':
    case 'INVALID_FILE_OBJECT':
    case 'EMPTY_FILE':
      return ['MU006', '', TEXT[code] || (isPdf ? 'This PDF cannot be opened: it may be damaged.' + AGAIN : 'This is not a PDF file. Upload the PDF statement your bank gave you.')];
    case 'STATEMENT_UNSUPPORTED_FORMAT':
    case 'BANK_NAME_UNDETECTED':
      return ['MU020', 'Not a valid statement or bank not supported', TEXT[code]];
    case 'OUT_OF_DATE_RANGE':
      return ['MU021', range, 'This statement has no transactions in the months asked for (' + period() + '). Upload one that covers them.'];
  }
  return [code, message, TEXT[code] || 'This file was not accepted. Try again, or upload another file.'];
}

function failed(it, type, reason, text, extra) {
  it.bar.hidden = true;
  it.rm.hidden = false;
  it.li.classList.add('bad');
  note(it, text, 'bad');
  if (extra) it.msg.after(extra);
  say(it.file.name + ': ' + text, true);
  error(type, reason);
}

// The first refusal means the file is locked: ask for its password. Later ones: wrong (MU003).
function askPassword(it) {
  const wrong = Boolean(it.pw);
  const text = wrong ? 'That password is not right. Try again.' : 'This file has a password. Enter it to continue.';
  it.bar.hidden = true;
  it.rm.hidden = false;
  note(it, text, wrong ? 'bad' : '');
  if (wrong) error('MU003', 'Password Incorrect');
  const pw = h('input', { id: it.id + '-pw', type: 'password', autocomplete: 'off', 'aria-describedby': it.id + '-msg' });
  const form = h('form.pw', {
    onsubmit: (e) => {
      e.preventDefault();
      if (!pw.value) return pw.focus();
      it.pw = pw.value;
      form.remove();
      send(it);
    },
  }, h('label', { for: pw.id }, 'Password for ' + it.file.name), h('div.row', {}, pw, h('button', { type: 'submit' }, 'Unlock')));
  it.li.append(form);
  pw.focus();
  say(it.file.name + ': ' + text, true);
}

async function refresh() {
  const res = await fetchSession().catch(() => ({}));
  if (!res.body) return;
  s = res.body;
  s.state === 'open' ? drawCover() : closed();
}

// One format everywhere: "Sep 2026" (en-IN would say "Sept").
const monthName = (m) => 'JanFebMarAprMayJunJulAugSepOctNovDec'.substr(m.slice(5) * 3 - 3, 3) + ' ' + m.slice(0, 4);
// The months asked for, as the coverage lists them (from_date and to_date may cut into months).
const period = () => monthName(s.months[0]) + (s.months.length > 1 ? ' to ' + monthName(s.months.at(-1)) : '');

function drawCover() {
  if (!cover?.isConnected) return;
  const missing = new Set(s.missing_months);
  const n = s.months.length;
  cover.replaceChildren(...[
    h('h2', { id: 'cover-title' }, 'Months needed'),
    p(missing.size ? n - missing.size + ' of ' + n + ' months received.' : 'All ' + n + ' months received.'),
    h('ul.months', {}, s.months.map((m) => h('li', { class: missing.has(m) ? 'missing' : 'covered' },
      h('span', {}, monthName(m)), h('span.state', {}, missing.has(m) ? 'Missing' : 'Received')))),
    s.accounts.length && h('ul.accounts', { 'aria-label': 'Accounts shared' }, s.accounts.map((a) => h('li', {},
      a.full_bank_name + ' ' + a.masked_account_number + ' · ' + a.statements + (a.statements === 1 ? ' statement' : ' statements')))),
  ].filter(Boolean));
  if (submitBtn) submitBtn.disabled = !s.accounts.length;
}

function submitButton() {
  submitBtn = btn('Submit', submit, '.primary');
  submitBtn.disabled = !s.accounts.length;
  return submitBtn;
}

async function submit(e) {
  const b = e.currentTarget;
  b.disabled = true;
  say('Submitting…');
  const r = await call('submit');
  const err = r.body.error || {};
  if (gone(err.code)) return load();
  if (!r.ok) {
    b.disabled = false;
    return say(err.message || 'Submitting did not work. Please try again.', true);
  }
  finish(r.body, 'Your statements were shared with ' + lender + '.');
}

// The thank-you screen, the success event and (at the top level) the signed redirect.
function finish(r, text, kids) {
  const away = r.redirect_url && !inFrame;
  screen('Thank you', p(text + ' You do not need to do anything else.'), p(away ? 'Taking you back to ' + lender + '…' : 'You can close this page.'), kids);
  drawCover();
  post('success', { sessionId: r.session_id, linkId: r.link_id });
  // A short pause, so the confirmation is seen (and read out) before leaving.
  if (away) setTimeout(() => location.assign(r.redirect_url), 1200);
}

// Account Aggregator (docs/journey.md): the mobile number, approval at the AA, then a waiting
// screen that polls …/aa until the data is in. The server completes the session by itself.
const pdfBtn = () => s.modes.includes('pdf') && btn('Upload PDFs instead', () => (bank ? upload(!s.bank_name, modes().length > 1) : chooseBank()), '.secondary');

// Once or recurring, with how often and how long, in plain words (the session's AA terms).
function aaTerms() {
  const c = s.aa_consent;
  if (!c) return null;
  const r = c.recurring;
  if (!r) return p('This is a one-time share. Purpose: ' + c.purpose + '.');
  const times = r.frequency_value === 1 ? 'once' : r.frequency_value + ' times';
  return p('This consent is recurring: your lender may fetch your data up to ' + times + ' a ' + r.frequency_unit + ' for ' + r.tenure_months + ' months' +
    (r.fetch_now ? ', starting now' : '') + '. Purpose: ' + c.purpose + '. You can revoke it at your Account Aggregator at any time.');
}

function aaStart() {
  const tel = h('input', {
    id: 'aa-mobile', type: 'tel', inputmode: 'numeric', autocomplete: 'tel-national', maxlength: 10, pattern: '[6-9][0-9]{9}',
    'aria-describedby': 'aa-mobile-help aa-msg',
  });
  const msg = h('p.msg.bad', { id: 'aa-msg' });
  // The lender gave the number and does not let the user change it: show it (masked), ask nothing.
  const fixed = s.aa_mobile_number && !s.is_mobile_field_editable;
  const go = h('button.primary', { type: 'submit' }, 'Continue to your Account Aggregator');
  const alt = pdfBtn();
  const chose = !s.bank_name;
  const back = bank && modes().length > 1 ? () => chooseMode(chose) : chose && chooseBank;
  const actions = h('div.actions', {}, go, back && btn('Back', back, '.secondary'), exitBtn());
  const show = (text, bad) => {
    msg.textContent = text;
    bad ? tel.setAttribute('aria-invalid', 'true') : tel.removeAttribute('aria-invalid');
    if (text) say(text, true);
  };
  const ask = async (e) => {
    e.preventDefault();
    const n = fixed ? '' : tel.value.replace(/[\s-]/g, '');
    if (n && !/^[6-9]\d{9}$/.test(n)) {
      show('Enter a 10-digit mobile number, such as 9876543210.', true);
      return tel.focus();
    }
    go.disabled = true;
    show('');
    say('Contacting your Account Aggregator…');
    const r = await call('aa/consent', n ? { mobile_number: n } : {});
    const err = r.body.error || {};
    if (gone(err.code)) return load();
    if (r.ok) return r.body.consent_url ? location.assign(r.body.consent_url) : aaWait(true);
    go.disabled = false;
    const code = err.code || 'NETWORK_ERROR';
    error(code, err.message || '');
    if (code === 'INVALID_MOBILE_NUMBER') {
      show('Enter the 10-digit mobile number registered with your Account Aggregator.', true);
      return tel.focus();
    }
    show({
      AA_UNAVAILABLE: 'The Account Aggregator cannot be reached right now. Try again in a few minutes.',
      MODE_NOT_ENABLED: 'Sharing through an Account Aggregator is not available for this link.',
    }[code] || 'That did not work. Check your connection and try again.');
    if (alt && /AA_UNAVAILABLE|MODE_NOT_ENABLED/.test(code)) go.after(alt);
  };
  screen('Share through an Account Aggregator',
    p('Your lender asks for the transactions of your ' + (bank ? bank.full_name : 'bank') + ' account from ' + s.from_date + ' to ' + s.to_date + ', for the months below.'),
    aaTerms(),
    h('ul.months.asked', { 'aria-label': 'Months asked for' }, s.months.map((m) => h('li', {}, monthName(m)))),
    p('You approve this at your Account Aggregator, a service regulated by the RBI that shares bank data only with your consent. No PDF needed.'),
    h('form', { novalidate: true, onsubmit: ask },
      ...(fixed
        ? [p('Your Account Aggregator is asked for the number your lender has: ' + s.aa_mobile_number + '.'), msg]
        : [h('label', { for: 'aa-mobile' }, 'Mobile number'),
          h('p.hint', { id: 'aa-mobile-help' }, s.aa_mobile_number ? 'Leave it empty to use ' + s.aa_mobile_number + '.' : 'The 10 digits registered with your Account Aggregator.'),
          tel, msg]),
      actions));
}

// inApp: there was no consent_url, so the user approves in their AA's own app.
function aaWait(inApp) {
  aaBack = false;
  const st = h('p.status', { id: 'aa-status' }, 'Waiting for your approval…');
  const started = Date.now();
  screen(inApp ? 'Approve the request in your Account Aggregator app' : 'Sharing through your Account Aggregator', st,
    p('Keep this page open: it moves on by itself.'), h('div.actions', {}, exitBtn()));
  say(st.textContent);
  const tick = async () => {
    const r = await fetch(api + '/aa', { cache: 'no-store' }).then((x) => x.json()).catch(() => ({}));
    if (!st.isConnected) return; // the user left this screen
    if (r.state === 'none') return s.state === 'open' ? aaStart() : closed();
    if (r.state === 'failed') return aaFailed(r.reason || 'AA_FAILED');
    if (r.state === 'done') {
      // Finished once the server has recorded completion (state 'processed'); until then, wait.
      const v = await fetchSession().catch(() => ({}));
      if (v.body) s = v.body;
      if (s.state === 'processed') return aaDone();
      if (s.state !== 'open') return closed();
    }
    const text = { pending: 'Waiting for your approval…', fetching: 'Approved. Fetching your bank data…', done: 'Approved. Fetching your bank data…' }[r.state];
    if (text && text !== st.textContent) say((st.textContent = text));
    if (Date.now() - started > 15 * 60e3) return aaFailed('AA_WAIT_TIMEOUT');
    setTimeout(tick, 2000);
  };
  tick();
}

// The server has recorded completion; submit (idempotent) gives the signed redirect_url.
async function aaDone() {
  const r = await call('submit');
  if (gone(r.body.error?.code)) return load();
  const n = s.accounts.length;
  cover = n ? h('section.coverage', { 'aria-labelledby': 'cover-title' }) : null;
  // With no accounts (a recurring-only consent) submit refuses, so there is no redirect_url.
  finish(r.ok ? r.body : { session_id: s.session_id, link_id: s.link_id },
    n ? 'Your bank data was shared with ' + lender + '.' : 'Your consent has been recorded.', cover);
}

const AA_WHY = {
  CONSENT_REJECTED: 'You declined the request.',
  CONSENT_REVOKED: 'You withdrew your consent.',
  CONSENT_PAUSED: 'Your consent is paused at your Account Aggregator.',
  CONSENT_EXPIRED: 'The request expired before it was approved.',
  NO_TRANSACTIONS_FROM_AA: 'Your bank returned no transactions for this period.',
  AA_UNAVAILABLE: 'The Account Aggregator could not be reached.',
  AA_WAIT_TIMEOUT: 'This is taking too long.',
};
function aaFailed(code) {
  const text = AA_WHY[code] || (code.startsWith('AA_FI_') ? 'Your bank did not send the data in time.'
    : code.startsWith('CONSENT_') ? 'Your Account Aggregator could not set up the request.' : 'Your Account Aggregator could not share your bank data.');
  error(code, text);
  screen('Sharing did not work', p(text),
    h('div.actions', {}, btn('Try again', aaStart, '.primary'), pdfBtn(), exitBtn({ error_type: code, reason: text })));
  say(text, true);
}

load();
