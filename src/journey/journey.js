// Passbook's hosted journey: plain browser JavaScript (a module), no framework, no build step.
// It talks only to this server's /journey/api; docs/journey.md describes screens and events.
const main = document.getElementById('main');
const sid = new URLSearchParams(location.search).get('session_id') || '';
const api = 'journey/api/sessions/' + encodeURIComponent(sid);
const inFrame = window.parent !== window;
let s; // the session, as GET /journey/api/sessions/<id> answers it
let bank; // the bank being uploaded for
let origins = []; // where events may be posted
let cover, submitBtn;
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
  const res = await fetch(api, { cache: 'no-store' });
  const body = res.ok ? await res.json() : null;
  if (body) body.banks.sort((a, b) => a.full_name.localeCompare(b.full_name));
  return { status: res.status, body };
}

const gone = (code) => code === 'SESSION_EXPIRED' || code === 'SESSION_DELETED';

async function call(path) {
  try {
    const res = await fetch(api + '/' + path, { method: 'POST' });
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
  origins = [...new Set(s.parent_origins || (s.redirect_origin ? [s.redirect_origin] : []))];
  if (s.logo_url) Object.assign(document.getElementById('logo'), { src: s.logo_url, hidden: false });
  if (!s.modes.length) s.state = 'unavailable';
  if (s.state !== 'open') return closed();
  bank = s.bank_name && (s.banks.find((b) => b.name === s.bank_name) || { name: s.bank_name, full_name: s.bank_name });
  bank ? chooseMode(false) : chooseBank();
}

const CLOSED = {
  expired: ['This link has expired', 'SESSION_EXPIRED'],
  deleted: ['This link is no longer valid', 'SESSION_DELETED'],
  processed: ['Statements already shared', 'SESSION_COMPLETED', 'You have already submitted your statements.'],
  unavailable: ['Statement upload is not available', 'MODE_NOT_ENABLED', 'Please contact your lender.'],
};
function closed() {
  const [title, type, text = 'Ask your lender for a new link.'] = CLOSED[s.state];
  error(type, title);
  screen(title, p(text), exitBtn('Close'));
}

const exitBtn = (text = 'Exit') => btn(text, exit, '.secondary');
async function exit(e) {
  e.currentTarget.disabled = true;
  const r = await call('exit');
  post('exit', { linkId: s.link_id, message: 'User exited the journey' });
  if (r.body.redirect_url && !inFrame) return location.assign(r.body.redirect_url);
  screen('You have left', p('You can close this page now.'));
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
  const draw = () => {
    const text = q.value.trim().toLowerCase();
    shown = s.banks.filter((b) => b.full_name.toLowerCase().includes(text) || b.name.includes(text));
    list.replaceChildren(...shown.map((b, i) => h('li', { id: 'bank-' + i, role: 'option', onclick: () => pick(b) },
      h('img', { src: b.logo_url, alt: '', width: 32, height: 32, loading: 'lazy' }),
      h('span', {}, h('span.bank-name', {}, b.full_name), h('span.bank-id', {}, b.name)))));
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
    h('p.hint', { id: 'bank-help' }, 'Type a name, then use the arrow keys and Enter to choose.'),
    q, list,
    h('div.actions', {}, s.accounts.length && submitButton(), exitBtn()));
  draw();
}

// Only when the session allows several ways; this page carries out PDF upload alone for now.
function chooseMode(bankChosen) {
  if (s.modes.length < 2) return upload(bankChosen, false);
  screen('How do you want to share?',
    h('div.choices', {}, s.modes.map((m) => h('button', { type: 'button', disabled: m !== 'pdf', onclick: () => upload(bankChosen, true) },
      { pdf: 'Upload PDF statements', aa: 'Account Aggregator', online: 'Net banking' }[m]))),
    h('div.actions', {}, bankChosen && btn('Back', chooseBank, '.secondary'), exitBtn()));
}

// PDF upload: picker and drag-and-drop, a progress bar per file, password prompts, and the
// months still missing, refreshed after every upload.
function upload(bankChosen, modeChosen) {
  info('manual');
  const multi = s.journey_mode === 'multi_pdf';
  const files = h('ul.files', { 'aria-label': 'Your files' });
  const add = (list) => [...list].slice(0, multi ? 20 : 1).forEach((f) => send(item(f, files)));
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
    p('Upload the PDF statement' + plural + ' your bank gave you, covering ' + s.from_date + ' to ' + s.to_date + '.'),
    drop, files, cover,
    h('div.actions', {}, submitButton(),
      s.journey_mode === 'multi_banking' && btn('Add another bank', chooseBank, '.secondary'),
      (bankChosen || modeChosen) && btn('Back', back, '.secondary'),
      exitBtn()));
  drawCover();
}

function item(file, list) {
  const it = { file, bank, pw: '', id: 'f' + ++uid }; // bank: the user may move on mid-upload
  it.bar = h('progress', { max: 100, value: 0, 'aria-label': 'Upload progress for ' + file.name });
  it.msg = h('p.msg', { id: it.id + '-msg' });
  it.li = h('li.file', {}, h('span.file-name', {}, file.name), it.bar, it.msg);
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
  note(it, 'Uploading…');
  x.upload.onprogress = (e) => e.lengthComputable && (it.bar.value = Math.round((e.loaded / e.total) * 100));
  x.upload.onload = () => {
    it.bar.value = 100;
    note(it, 'Reading the statement…');
  };
  x.onload = () => answered(it, x.status, x.response || {});
  x.onerror = () => failed(it, 'NETWORK_ERROR', 'Upload failed', 'Upload failed. Check your connection and try again.');
  x.send(form);
}

function answered(it, status, body) {
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
  failed(it, ...problem(code, err.message || '', it.bank));
}

// The MU error types of BankConnect's iframe events; other refusals keep Passbook's code.
function problem(code, message, bank) {
  const range = 'Please upload statements within the date range ' + s.from_date + ' to ' + s.to_date;
  switch (code) {
    case 'BANK_NAME_MISMATCH':
      return ['MU004', 'Not ' + bank.name + ' statement', 'This statement is not from ' + bank.full_name + '. Upload one from that bank, or choose another bank.'];
    case 'PDF_IS_IMAGE':
    case 'INVALID_FILE_OBJECT':
    case 'EMPTY_FILE':
      return ['MU006', '', 'This file cannot be read. Upload the PDF your bank gave you, not a scan or a photo.'];
    case 'STATEMENT_UNSUPPORTED_FORMAT':
    case 'BANK_NAME_UNDETECTED':
      return ['MU020', 'Not a valid statement or bank not supported', 'This is not a statement we can read, or its bank is not supported.'];
    case 'OUT_OF_DATE_RANGE':
      return ['MU021', range, range + '.'];
    case 'STATEMENT_DUPLICATE':
      return [code, message, 'You have already uploaded this file.'];
    case 'PAYLOAD_TOO_LARGE':
      return [code, message, 'This file is too large.'];
  }
  return [code, message, 'This file was not accepted: ' + (message || code)];
}

function failed(it, type, reason, text) {
  it.bar.hidden = true;
  it.li.classList.add('bad');
  note(it, text, 'bad');
  say(it.file.name + ': ' + text, true);
  error(type, reason);
}

// The first refusal means the file is locked: ask for its password. Later ones: wrong (MU003).
function askPassword(it) {
  const wrong = Boolean(it.pw);
  const text = wrong ? 'That password is not right. Try again.' : 'This file has a password. Enter it to continue.';
  it.bar.hidden = true;
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

const monthName = (m) => new Date(m + '-15').toLocaleDateString('en-IN', { month: 'short', year: 'numeric', timeZone: 'UTC' });

function drawCover() {
  if (!cover.isConnected) return;
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
  submitBtn.disabled = !s.accounts.length;
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
  const away = r.body.redirect_url && !inFrame;
  screen('Thank you', p('Your statements have been shared with your lender.'), p(away ? 'Taking you back…' : 'You can close this page now.'));
  post('success', { sessionId: r.body.session_id, linkId: r.body.link_id });
  // A short pause, so the confirmation is seen (and read out) before leaving.
  if (away) setTimeout(() => location.assign(r.body.redirect_url), 1200);
}

load();
