// berth log panel: a window of at most MAX_ROWS lines in the DOM. Live lines
// arrive over the websocket; older lines and searches are paged from the
// server, so memory in the tab stays bounded whatever the log volume.
window.berthLogs = function (root, opt) {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const service = root.dataset.service || '';
  const view = $('log-view');
  const rows = $('log-rows');
  const follow = $('log-follow');
  const state = {
    paused: false, pending: [], missed: 0,
    searching: false, detached: false, // detached: the window no longer ends at "now"
    reloading: null, noOlder: false, loadingOlder: false,
    queue: [], scheduled: false,
  };

  function params(extra) {
    const p = new URLSearchParams();
    if (service) p.set('service', service);
    if (state.searching) {
      const q = $('log-q').value;
      if (q) p.set('q', q);
      if ($('log-regex').checked) p.set('regex', '1');
      if ($('log-since').value) p.set('since', $('log-since').value);
      if ($('log-until').value) p.set('until', $('log-until').value);
    }
    for (const k in extra) p.set(k, extra[k]);
    return p;
  }

  function fetchPage(extra) {
    return fetch('/api/logs?' + params(extra).toString(), { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : r.text().then((t) => Promise.reject(new Error(t)))));
  }

  function makeRow(l) {
    const div = document.createElement('div');
    div.className = 'line';
    if (l.id) div.dataset.id = l.id;
    div.dataset.time = l.time;
    const ts = document.createElement('span');
    ts.className = 'ts';
    ts.textContent = opt.fmtTime(l.time);
    const svc = document.createElement('span');
    svc.className = 'svc c' + (l.c || 0);
    svc.textContent = l.service || '';
    const msg = document.createElement('span');
    msg.className = 'msg';
    msg.textContent = l.message || '';
    div.append(ts, svc, msg);
    return div;
  }

  function atBottom() { return view.scrollHeight - view.scrollTop - view.clientHeight < 30; }
  function scrollEnd() { if (follow.checked) view.scrollTop = view.scrollHeight; }

  function status(extra) {
    let t = rows.childElementCount + ' lines';
    if (state.searching) t += ' · search results';
    if (state.paused) t += ' · paused (' + state.pending.length + ' waiting' + (state.missed ? ', ' + state.missed + ' skipped' : '') + ')';
    if (extra) t += ' · ' + extra;
    $('log-status').textContent = t;
  }

  function trimTop() {
    let n = rows.childElementCount - opt.MAX_ROWS;
    while (n-- > 0) rows.removeChild(rows.firstChild);
    if (rows.childElementCount >= opt.MAX_ROWS) state.noOlder = false;
  }

  function flush() {
    state.scheduled = false;
    if (!state.queue.length) return;
    const frag = document.createDocumentFragment();
    const batch = state.queue.length > opt.MAX_ROWS ? state.queue.slice(-opt.MAX_ROWS) : state.queue;
    for (const l of batch) frag.appendChild(makeRow(l));
    state.queue = [];
    rows.appendChild(frag);
    trimTop();
    scrollEnd();
    status();
  }

  function append(l) {
    state.queue.push(l);
    if (state.queue.length > opt.MAX_ROWS) state.queue.shift();
    if (!state.scheduled) { state.scheduled = true; requestAnimationFrame(flush); }
  }

  // live receives one log event from the websocket.
  function live(e) {
    if (state.reloading) { state.reloading.push(e); return; }
    if (state.searching || state.detached) return;
    if (state.paused) {
      state.pending.push(e);
      if (state.pending.length > opt.MAX_ROWS) { state.pending.shift(); state.missed++; }
      return;
    }
    append(e);
  }

  function replace(page) {
    rows.textContent = '';
    state.queue = [];
    const frag = document.createDocumentFragment();
    for (const l of page.lines) frag.appendChild(makeRow(l));
    rows.appendChild(frag);
    state.noOlder = !page.older;
  }

  // reloadLatest shows the newest page, then the live lines that came meanwhile.
  function reloadLatest() {
    state.reloading = [];
    state.detached = false;
    return fetchPage({ limit: opt.PAGE }).then((page) => {
      replace(page);
      const last = page.lines.length ? page.lines[page.lines.length - 1].time : '';
      const held = state.reloading;
      state.reloading = null;
      for (const e of held) if (!last || e.time > last) live(e);
      follow.checked = true;
      scrollEnd();
      status();
    }).catch((err) => { state.reloading = null; status(String(err.message || err)); });
  }

  function search() {
    state.searching = !!($('log-q').value || $('log-since').value || $('log-until').value);
    $('log-download').href = '/api/logs/download?' + params({}).toString();
    if (!state.searching) return reloadLatest();
    return fetchPage({ limit: opt.PAGE }).then((page) => {
      replace(page);
      follow.checked = true;
      scrollEnd();
      status();
    }).catch((err) => status(String(err.message || err)));
  }

  function loadOlder() {
    const first = rows.firstElementChild;
    if (!first || state.noOlder || state.loadingOlder) return;
    state.loadingOlder = true;
    const extra = { limit: opt.PAGE };
    if (first.dataset.id) extra.before = first.dataset.id; else extra.until = first.dataset.time;
    fetchPage(extra).then((page) => {
      if (!page.lines.length) { state.noOlder = true; return; }
      const before = view.scrollHeight;
      const frag = document.createDocumentFragment();
      for (const l of page.lines) frag.appendChild(makeRow(l));
      rows.insertBefore(frag, rows.firstChild);
      view.scrollTop += view.scrollHeight - before;
      state.noOlder = !page.older;
      let n = rows.childElementCount - opt.MAX_ROWS; // keep the window: drop the newest
      if (n > 0) { state.detached = true; follow.checked = false; }
      while (n-- > 0) rows.removeChild(rows.lastChild);
      status();
    }).catch((err) => status(String(err.message || err)))
      .finally(() => { state.loadingOlder = false; });
  }

  view.addEventListener('scroll', () => {
    if (view.scrollTop < 40) loadOlder();
    if (!atBottom() && follow.checked && !state.scheduled) follow.checked = false;
  });
  follow.addEventListener('change', () => {
    if (!follow.checked) return;
    if (state.detached) reloadLatest(); else scrollEnd();
  });
  $('log-pause').addEventListener('click', (ev) => {
    state.paused = !state.paused;
    ev.target.textContent = state.paused ? 'Resume' : 'Pause';
    if (!state.paused) {
      const held = state.pending;
      state.pending = []; state.missed = 0;
      for (const e of held) append(e);
    }
    status();
  });
  $('log-wrap').addEventListener('change', (ev) => view.classList.toggle('wrap', ev.target.checked));
  $('log-ts').addEventListener('change', (ev) => view.classList.toggle('no-ts', !ev.target.checked));
  $('log-search').addEventListener('submit', (ev) => { ev.preventDefault(); search(); });
  $('log-clear').addEventListener('click', () => {
    for (const id of ['log-q', 'log-since', 'log-until']) $(id).value = '';
    $('log-regex').checked = false;
    search();
  });
  view.classList.toggle('merged', !service);
  $('log-download').href = '/api/logs/download?' + params({}).toString();
  reloadLatest();
  return { live, reloadLatest, search, loadOlder, state };
};
