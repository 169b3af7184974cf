// Gantry's dashboard: plain JavaScript, no framework. The server pushes every change as server-sent events.
'use strict';

const page = document.body.dataset.page;
let csrf = '';
let containers = [];
let stats = {};

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function bytes(n) {
  if (n === undefined || n === null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

function ago(iso) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min';
  if (s < 86400) return Math.floor(s / 3600) + ' h';
  return Math.floor(s / 86400) + ' d';
}

async function loadSession() {
  const r = await fetch('/api/session', { credentials: 'same-origin' });
  if (r.status === 401) { location.href = '/login'; return false; }
  csrf = (await r.json()).csrf;
  const hidden = document.getElementById('logout-csrf');
  if (hidden) hidden.value = csrf;
  return true;
}

function setLive(text, ok) {
  const live = document.getElementById('live');
  live.textContent = text;
  live.className = 'badge ' + (ok ? 'ok' : 'bad');
}

function connect(handlers) {
  const events = new EventSource('/api/events');
  events.onopen = () => setLive('live', true);
  events.onerror = () => {
    setLive('reconnecting…', false);
    if (events.readyState === EventSource.CLOSED) loadSession().then(ok => ok && setTimeout(() => connect(handlers), 2000));
  };
  events.addEventListener('expired', () => { events.close(); location.href = '/login'; });
  for (const [name, handler] of Object.entries(handlers)) {
    events.addEventListener(name, e => handler(JSON.parse(e.data)));
  }
}

// ---- the list --------------------------------------------------------------------------------------------------

function stateText(c) {
  return c.state + ' ' + ago(c.since);
}

function renderList() {
  const body = document.querySelector('#containers tbody');
  const rows = [];
  for (const c of containers) {
    const tr = el('tr');
    tr.dataset.name = c.name;
    tr.dataset.id = c.id;
    tr.className = 'state-' + c.state;
    const name = el('td', null, 'name');
    name.dataset.label = 'Name';
    const link = el('a', c.name);
    link.href = '/container?id=' + encodeURIComponent(c.id);
    name.append(link);
    tr.append(name);
    const image = el('td', c.image, 'image');
    image.dataset.label = 'Image';
    image.title = c.digest || c.image_id;
    if (c.digest) image.append(el('small', ' ' + c.digest.substring(0, 19)));
    tr.append(image);
    const cells = [['State', stateText(c), 'state'], ['Exit', c.state === 'running' ? '' : c.exit_code, 'exit'],
      ['Health', c.health === 'none' ? '' : c.health, 'health'], ['Restarts', c.restarts, 'restarts'],
      ['Ports', c.ports.join(', '), 'ports'], ['Managed by', c.managed_by + (c.descriptor ? ' (' + c.descriptor + ')' : ''), 'managed'],
      ['CPU', '', 'cpu'], ['Memory', '', 'mem']];
    for (const [label, text, cls] of cells) {
      const td = el('td', text, cls);
      td.dataset.label = label;
      tr.append(td);
    }
    rows.push(tr);
  }
  body.replaceChildren(...rows);
  document.getElementById('count').textContent = '(' + containers.length + ')';
  renderListStats();
}

function renderListStats() {
  for (const tr of document.querySelectorAll('#containers tbody tr')) {
    const s = stats[tr.dataset.id];
    tr.querySelector('.cpu').textContent = s && s.cpu !== undefined ? s.cpu.toFixed(1) + ' %' : '';
    tr.querySelector('.mem').textContent = s ? bytes(s.mem) : '';
  }
}

function renderStatus(status) {
  const twin = document.getElementById('twin');
  const entries = [['Connected', status.twin.connected ? 'yes' : 'no'], ['Thing id', status.twin.thing_id || '—'],
    ['Last full publication', status.twin.last_full_publication ? new Date(status.twin.last_full_publication).toLocaleString() : '—'],
    ['System clock', status.clock.description]];
  twin.replaceChildren(...entries.flatMap(([k, v]) => [el('dt', k), el('dd', v)]));
  const current = document.getElementById('update-current');
  if (!status.update_agent) {
    current.replaceChildren(el('p', 'The update agent is disabled.'));
  } else if (status.updates.current) {
    current.replaceChildren(operation(status.updates.current));
  } else {
    current.replaceChildren(el('p', 'No operation in progress.'));
  }
  document.getElementById('update-last').replaceChildren(...status.updates.last.map(op => {
    const li = el('li');
    li.append(operation(op));
    return li;
  }));
  document.getElementById('metrics-request').textContent = status.metrics_request.frequency
    ? 'every ' + status.metrics_request.frequency + ' ' + status.metrics_request.filters : 'none';
  document.getElementById('config').textContent = JSON.stringify(status.config, null, 2);
  renderRefusals(status.refusals || []);
}

// The recent refusals of the policy and trust rules (docs/trust.md): shown only when there are any.
function renderRefusals(refusals) {
  document.getElementById('refusals-section').hidden = refusals.length === 0;
  document.querySelector('#refusals tbody').replaceChildren(...refusals.map(r => {
    const tr = el('tr', null, 'refusal action-' + r.action);
    for (const v of [new Date(r.time).toLocaleString(), r.path, r.rule, r.image + (r.digest ? ' (' + r.digest + ')' : ''),
      r.subject, r.action, r.message]) tr.append(el('td', v));
    return tr;
  }));
}

function operation(op) {
  const div = el('div', null, 'operation status-' + op.status);
  div.dataset.activity = op.activity_id;
  div.append(el('strong', op.status, 'op-status'), el('span', ' ' + op.activity_id + ' · ' + new Date(op.time).toLocaleTimeString()));
  if (op.message) div.append(el('p', op.message));
  if (op.actions.length) {
    const ul = el('ul');
    for (const a of op.actions) ul.append(el('li', a.component + (a.version ? ' ' + a.version : '') + ': ' + a.status + (a.message ? ' — ' + a.message : '')));
    div.append(ul);
  }
  return div;
}

// ---- one container ---------------------------------------------------------------------------------------------

const id = new URLSearchParams(location.search).get('id') || '';
const history = { cpu: [], mem: [] };
let logEvents = null;
let logEnded = false;

async function loadDetail() {
  const r = await fetch('/api/containers/' + encodeURIComponent(id), { credentials: 'same-origin' });
  if (r.status === 401) { location.href = '/login'; return; }
  if (!r.ok) { document.getElementById('message').textContent = await r.text(); return; }
  const c = await r.json();
  document.getElementById('spec').textContent = JSON.stringify(c.spec, null, 2);
  document.getElementById('labels').textContent = JSON.stringify(c.gantry_labels, null, 2);
  for (const [t, cpu, mem] of c.history) { history.cpu.push([t, cpu]); history.mem.push([t, mem]); }
  renderDetail(c);
  plot();
}

function renderDetail(c) {
  document.getElementById('name').textContent = c.name;
  document.title = 'Gantry — ' + c.name;
  const summary = [['State', stateText(c)], ['Exit code', c.exit_code], ['Health', c.health], ['Restarts', c.restarts],
    ['Image', c.image], ['Image id', c.image_id], ['Ports', c.ports.join(', ') || '—'],
    ['Managed by', c.managed_by + (c.descriptor ? ' (' + c.descriptor + ')' : '')]];
  document.getElementById('summary').replaceChildren(...summary.flatMap(([k, v]) => {
    const dd = el('dd', v);
    if (k === 'State') dd.id = 'state';
    return [el('dt', k), dd];
  }));
  const alive = ['running', 'paused', 'restarting'].includes(c.state);
  for (const b of document.querySelectorAll('#actions button')) {
    const a = b.dataset.action;
    b.disabled = !c.actions || (a === 'start' && alive) || (a === 'stop' && !alive);
  }
  const edit = document.getElementById('edit');
  if (c.descriptor) { edit.href = '/form?file=' + encodeURIComponent(c.descriptor); edit.textContent = 'Edit ' + c.descriptor; edit.hidden = false; }
  if (!c.actions) document.getElementById('message').textContent = 'Not created by Gantry: shown, not touched (dashboard.act_on_unmanaged).';
  if (logEnded && c.state === 'running') followLog();
}

async function act(action) {
  const name = document.getElementById('name').textContent;
  const body = new URLSearchParams();
  if (action === 'remove') {
    if (!confirm('Remove container ' + name + '? Its definition stays only if a descriptor file or desired state keeps it.')) return;
    body.set('confirm', name);
  }
  const message = document.getElementById('message');
  message.textContent = action + '…';
  const r = await fetch('/api/containers/' + encodeURIComponent(id) + '/' + action, {
    method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf }, body
  });
  if (r.status === 401) { location.href = '/login'; return; }
  message.textContent = r.ok ? (await r.json()).message : 'Refused: ' + await r.text();
  if (r.ok && action === 'remove') setTimeout(() => { location.href = '/'; }, 800);
}

function followLog() {
  if (logEvents) logEvents.close();
  logEnded = false;
  const log = document.getElementById('log');
  logEvents = new EventSource('/api/containers/' + encodeURIComponent(id) + '/logs');
  const add = (data, cls) => {
    log.append(el('div', data.text, cls));
    while (log.childElementCount > 2000) log.firstElementChild.remove();
    if (document.getElementById('follow').checked) log.scrollTop = log.scrollHeight;
  };
  logEvents.addEventListener('line', e => { const d = JSON.parse(e.data); add(d, d.err ? 'err' : ''); });
  logEvents.addEventListener('end', e => { add(JSON.parse(e.data), 'end'); logEvents.close(); logEnded = true; });
}

function plot() {
  draw('cpu-plot', history.cpu, v => v.toFixed(1) + ' %', 'cpu-now');
  draw('mem-plot', history.mem, bytes, 'mem-now');
}

function draw(svgId, points, format, nowId) {
  const svg = document.getElementById(svgId);
  const ns = 'http://www.w3.org/2000/svg';
  svg.replaceChildren();
  if (points.length < 2) { document.getElementById(nowId).textContent = points.length ? format(points[0][1]) : ''; return; }
  const t0 = points[0][0], t1 = points[points.length - 1][0];
  const max = Math.max(...points.map(p => p[1])) * 1.1 || 1;
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', points.map(([t, v]) => ((t - t0) / Math.max(1, t1 - t0) * 300).toFixed(1) + ',' + (80 - v / max * 78).toFixed(1)).join(' '));
  line.setAttribute('class', 'line');
  const top = document.createElementNS(ns, 'text');
  top.setAttribute('x', '2'); top.setAttribute('y', '10'); top.setAttribute('class', 'axis');
  top.textContent = format(max);
  svg.append(line, top);
  document.getElementById(nowId).textContent = format(points[points.length - 1][1]);
}

function onStatsForDetail(all) {
  const s = all[id];
  if (!s || s.cpu === undefined) return;
  for (const [key, value] of [['cpu', s.cpu], ['mem', s.mem]]) {
    const h = history[key];
    if (!h.length || h[h.length - 1][0] !== s.t) h.push([s.t, value]);
    while (h.length > 200) h.shift();
  }
  plot();
}


// ---- the container form: writes a descriptor file -----------------------------------------------------------

async function loadFiles() {
  const r = await fetch('/api/descriptors', { credentials: 'same-origin' });
  if (r.status === 401) { location.href = '/login'; return; }
  const list = await r.json();
  document.getElementById('directory').textContent = list.directory + (list.readable ? '' : ' — ' + list.directory_problem);
  document.querySelector('#files tbody').replaceChildren(...list.files.map(f => {
    const tr = el('tr');
    tr.dataset.file = f.file;
    const name = el('td', null, 'file');
    name.dataset.label = 'File';
    if (f.form !== false && !(f.problem || '').startsWith('cannot be read')) {
      const a = el('a', f.file);
      a.href = '/form?file=' + encodeURIComponent(f.file);
      name.append(a);
    } else {
      name.textContent = f.file;
    }
    tr.append(name);
    for (const [label, text, cls] of [['Container', f.container || '', 'container'], ['Image', f.image || '', 'image'],
      ['Enabled', f.problem ? '' : (f.enabled ? 'yes' : 'no'), 'enabled'],
      ['Problem', [f.problem, f.deployment_problem].filter(Boolean).join(' · '), 'problem']]) {
      const td = el('td', text, cls);
      td.dataset.label = label;
      tr.append(td);
    }
    return tr;
  }));
}

function showErrors(errors, problem) {
  for (const e of document.querySelectorAll('.field-error')) e.remove();
  for (const i of document.querySelectorAll('#descriptor [aria-invalid]')) i.removeAttribute('aria-invalid');
  document.getElementById('problem').textContent = problem || '';
  for (const [field, text] of Object.entries(errors || {})) {
    const input = document.querySelector('#descriptor [name="' + field + '"]');
    if (!input) continue;
    input.setAttribute('aria-invalid', 'true');
    const span = el('span', text, 'field-error');
    span.id = 'error-' + field;
    input.closest('label').append(span);
  }
}

async function loadForm(file) {
  const r = await fetch('/api/descriptors/' + encodeURIComponent(file), { credentials: 'same-origin' });
  if (r.status === 401) { location.href = '/login'; return; }
  if (!r.ok) { document.getElementById('problem').textContent = await r.text(); return; }
  const d = await r.json();
  document.getElementById('title').textContent = 'Edit ' + d.file;
  document.title = 'Gantry — ' + d.file;
  document.getElementById('file').value = d.file;
  document.getElementById('digest').value = d.digest;
  for (const [field, value] of Object.entries(d.fields)) {
    const input = document.querySelector('#descriptor [name="' + field + '"]');
    if (!input) continue;
    if (input.type === 'checkbox') input.checked = value === 'on'; else input.value = value;
  }
  const password = document.getElementById('f-registry_password');
  password.value = '';
  password.placeholder = d.registry_password_set ? 'saved — leave empty to keep it' : '';
  document.getElementById('deployment-problem').textContent = d.deployment_problem
    ? 'The deployment did not deploy this file: ' + d.deployment_problem : '';
  showErrors(d.errors, d.problem ? 'This file cannot be used: ' + d.problem : '');
}

async function saveForm(event) {
  event.preventDefault();
  const form = document.getElementById('descriptor');
  const body = new URLSearchParams(new FormData(form));
  body.delete('csrf');
  const message = document.getElementById('message');
  message.textContent = 'saving…';
  const r = await fetch('/api/descriptors', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf }, body });
  if (r.status === 401) { location.href = '/login'; return; }
  if (r.status === 422) {
    const e = await r.json();
    showErrors(e.errors, e.problem);
    message.textContent = 'Not saved: the file would not be usable.';
    return;
  }
  if (!r.ok) { message.textContent = 'Refused: ' + await r.text(); return; }
  const done = await r.json();
  showErrors({}, '');
  message.textContent = done.message;
  await loadForm(done.file);
  window.history.replaceState(null, '', '/form?file=' + encodeURIComponent(done.file));
  loadFiles();
}

// ---- start -----------------------------------------------------------------------------------------------------

loadSession().then(ok => {
  if (!ok) return;
  if (page === 'list') {
    setInterval(() => containers.length && renderList(), 5000); // "running 7 s" grows without a new event
    connect({
      containers: list => { containers = list; renderList(); },
      stats: s => { stats = s; renderListStats(); },
      status: renderStatus,
      engine: e => {
        const badge = document.getElementById('engine');
        badge.textContent = e.available ? '' : 'engine unavailable: ' + e.reason;
        badge.className = e.available ? 'badge' : 'badge bad';
      }
    });
  } else if (page === 'form') {
    document.getElementById('form-csrf').value = csrf;
    document.getElementById('descriptor').addEventListener('submit', saveForm);
    const file = new URLSearchParams(location.search).get('file');
    loadFiles();
    if (file) loadForm(file);
  } else {
    for (const b of document.querySelectorAll('#actions button')) b.addEventListener('click', () => act(b.dataset.action));
    loadDetail().then(followLog);
    let shown = null;
    setInterval(() => shown && renderDetail(shown), 5000);
    connect({
      containers: list => {
        const c = list.find(x => x.id === id);
        shown = c || null;
        if (c) renderDetail(c); else if (document.getElementById('state')) document.getElementById('state').textContent = 'removed';
      },
      stats: onStatsForDetail
    });
  }
});
