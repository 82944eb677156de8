// berth dashboard: live updates over one websocket, a bounded log window.
// No framework; the server renders the pages, this script keeps them live.
(function () {
  'use strict';
  const MAX_ROWS = 5000; // log lines kept in the DOM; older ones are paged from the server
  const PAGE = 500;
  const $ = (id) => document.getElementById(id);
  const logsEl = $('logs');
  let backoff = 500;
  let everConnected = false;

  function setConn(text, live) {
    const c = $('conn');
    if (c) { c.textContent = text; c.classList.toggle('live', live); }
  }

  function connect() {
    const p = new URLSearchParams();
    if (logsEl) {
      p.set('logs', '1');
      if (logsEl.dataset.service) p.set('service', logsEl.dataset.service);
    }
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(proto + '//' + location.host + '/ws?' + p.toString());
    ws.onopen = () => {
      setConn('live', true);
      backoff = 500;
      if (everConnected && logs) logs.reloadLatest(); // lines may have been missed
      everConnected = true;
    };
    ws.onmessage = (m) => {
      for (const line of m.data.split('\n')) {
        if (!line) continue;
        let e;
        try { e = JSON.parse(line); } catch (_) { continue; }
        handle(e);
      }
    };
    ws.onclose = () => {
      setConn('reconnecting…', false);
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 10000);
    };
  }

  function handle(e) {
    if (e.kind === 'log') { if (logs) logs.live(e); return; }
    if (e.kind === 'status' && e.status) { updateStatus(e); return; }
    updateLast(e);
    addEvent(e);
  }

  // ---- status: overview rows, service header, topology nodes ----
  function setField(root, name, text) {
    const el = root.querySelector('[data-field="' + name + '"]');
    if (el) el.textContent = text;
    return el;
  }

  // setLinks replaces a field's links with one per item (published URLs,
  // services waited on); textContent and href only, never HTML.
  function setLinks(root, name, items, href, sep) {
    const el = root.querySelector('[data-field="' + name + '"]');
    if (!el) return;
    el.replaceChildren();
    (items || []).forEach((it, i) => {
      if (i > 0 && sep) el.append(sep);
      const a = document.createElement('a');
      a.textContent = it;
      const h = href(it);
      if (h) a.href = h;
      if (name === 'urls') Object.assign(a, { className: 'url', target: '_blank', rel: 'noopener noreferrer' });
      el.appendChild(a);
    });
  }

  let rowsRefresh = null;
  // updateStatus applies a status event; the server sends every field it
  // knows (see localenv's snapshots), so each one is applied as is.
  function updateStatus(e) {
    const st = e.status;
    const nodes = document.querySelectorAll('[data-service="' + CSS.escape(st.service) + '"]');
    let found = false;
    nodes.forEach((n) => {
      if (n.id === 'logs' || n === document.body) return;
      found = true;
      const state = st.state || 'unknown';
      if (n.classList.contains('node')) {
        n.setAttribute('class', 'node state-' + state);
        setField(n, 'state', state);
        return;
      }
      const badge = setField(n, 'state', state);
      if (badge) { badge.className = 'badge state-' + state; badge.title = st.reason || ''; }
      setField(n, 'reason', st.reason || '');
      setField(n, 'replicas', (st.ready || 0) + '/' + (st.desired || 0));
      setField(n, 'restarts', String(st.restarts || 0));
      setField(n, 'image', st.image || '');
      setField(n, 'built', e.built || '');
      setLinks(n, 'urls', st.urls, (u) => (/^https?:\/\//i.test(u) ? u : null), '');
      setLinks(n, 'waits', st.dependsOn, (d) => '/services/' + encodeURIComponent(d), ', ');
    });
    if (!found && $('service-rows') && !rowsRefresh) {
      rowsRefresh = setTimeout(() => {
        rowsRefresh = null;
        fetch('/api/rows', { credentials: 'same-origin' })
          .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
          .then((html) => { $('service-rows').innerHTML = html; }) // server-rendered, escaped
          .catch(() => {});
      }, 250);
    }
  }

  function updateLast(e) {
    if (!e.service) return;
    const row = document.querySelector('#service-rows tr[data-service="' + CSS.escape(e.service) + '"]');
    if (!row) return;
    const el = setField(row, 'last', e.kind + (e.message ? ': ' + e.message : ''));
    if (el) el.title = fmtTime(e.time, true);
  }

  function addEvent(e) {
    const body = $('event-rows');
    if (!body || (document.body.dataset.service && e.service !== document.body.dataset.service)) return;
    const tr = document.createElement('tr');
    tr.className = 'kind-' + e.kind;
    for (const t of [fmtTime(e.time, true), e.service || '', e.kind, e.message || '']) {
      const td = document.createElement('td');
      td.textContent = t;
      tr.appendChild(td);
    }
    body.insertBefore(tr, body.firstChild);
    while (body.rows.length > 200) body.deleteRow(body.rows.length - 1);
  }

  function pad(n, w) { return String(n).padStart(w || 2, '0'); }
  function fmtTime(iso, withDate) {
    const d = new Date(iso);
    if (isNaN(d)) return '';
    const t = pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3);
    return withDate ? d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + t : t;
  }

  // ---- actions ----
  document.addEventListener('click', (ev) => {
    const b = ev.target.closest('button[data-action]');
    if (!b) return;
    const out = $('action-result');
    const url = '/api/services/' + encodeURIComponent(b.dataset.target) + '/' + b.dataset.action;
    b.disabled = true;
    fetch(url, { method: 'POST', credentials: 'same-origin' })
      .then((r) => r.text().then((t) => ({ ok: r.ok, t })))
      .then(({ ok, t }) => {
        let msg = t;
        try { msg = JSON.parse(t).result; } catch (_) { /* plain text error */ }
        if (out) { out.textContent = msg; out.classList.toggle('error', !ok); }
      })
      .catch((err) => { if (out) out.textContent = String(err); })
      .finally(() => { b.disabled = false; });
  });

  const logs = logsEl ? window.berthLogs(logsEl, { MAX_ROWS, PAGE, fmtTime }) : null;
  window.berth = { logs };
  connect();
})();
