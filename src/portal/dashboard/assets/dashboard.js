// The dashboard's one client script (served as /assets/dashboard.js; the CSP allows no inline script).
// Every page works without it; it adds:
//
// 1. Charts. An element <div class="chart" data-chart="ID" role="img" aria-label="…"> is drawn by
//    Apache ECharts from the JSON of <script type="application/json" id="ID">, which is an ECharts
//    option object as the server wrote it. ECharts (/assets/echarts.min.js) is loaded only on a page
//    that has a chart. Each chart has its table or text alternative in the page itself.
// 2. Live updates. An element with data-live="/dashboard/api/…" (and data-live-every="SECONDS",
//    10 by default, 5 at least) is refreshed by polling that address while the page is visible. The
//    answer is JSON: { "option": {…}, "text": { "ELEMENT-ID": "new text", … } }: "option" is merged
//    into the element's chart (when the element is one), "text" replaces the text of those elements
//    (figures, the chart's text alternative). One request per address, whatever the elements. An
//    element with data-live-status shows "live" or "stale" in its data-state attribute.
// 3. Confirmation. A form with data-confirm="QUESTION" asks it before sending (revoke, remove).
// 4. Files. <input type="file" data-file-into="TEXTAREA-ID"> reads the chosen file (a contract) into
//    that textarea, which the form then sends as ordinary text.
// 5. The language switch comes back to the page it was used on.
'use strict';
(function () {
  var charts = new Map(); // element -> ECharts instance
  var fontFamily = 'Vazirmatn, Tahoma, sans-serif';

  function jsonOf(id) {
    var block = document.getElementById(id);
    if (!block) return null;
    try { return JSON.parse(block.textContent || 'null'); } catch (e) { return null; }
  }

  function drawCharts() {
    var els = document.querySelectorAll('[data-chart]');
    if (!els.length || typeof window.echarts === 'undefined') return;
    var rtl = document.documentElement.dir === 'rtl';
    els.forEach(function (el) {
      var option = jsonOf(el.getAttribute('data-chart'));
      if (!option) { el.setAttribute('data-state', 'error'); return; }
      var chart = window.echarts.init(el, null, { renderer: 'svg' });
      var base = { textStyle: { fontFamily: fontFamily }, animation: !window.matchMedia('(prefers-reduced-motion: reduce)').matches };
      if (rtl && option.legend && !Array.isArray(option.legend) && option.legend.right === undefined && option.legend.left === undefined) option.legend.right = 0;
      chart.setOption(Object.assign(base, option));
      charts.set(el, chart);
    });
    var pending = 0;
    window.addEventListener('resize', function () {
      if (pending) return;
      pending = window.setTimeout(function () { pending = 0; charts.forEach(function (c) { c.resize(); }); }, 150);
    });
  }

  function loadEcharts() {
    if (!document.querySelector('[data-chart]')) return;
    if (typeof window.echarts !== 'undefined') { drawCharts(); return; }
    var s = document.createElement('script');
    s.src = '/assets/echarts.min.js';
    s.onload = drawCharts;
    s.onerror = function () {
      document.querySelectorAll('[data-chart]').forEach(function (el) { el.setAttribute('data-state', 'error'); });
    };
    document.head.appendChild(s);
  }

  function applyUpdate(els, answer) {
    if (!answer || typeof answer !== 'object') return;
    if (answer.option && typeof answer.option === 'object') {
      els.forEach(function (el) { var c = charts.get(el); if (c) c.setOption(answer.option); });
    }
    if (answer.text && typeof answer.text === 'object') {
      Object.keys(answer.text).forEach(function (id) {
        var t = document.getElementById(id);
        if (t) t.textContent = String(answer.text[id]);
      });
    }
  }

  function setStatus(state) {
    document.querySelectorAll('[data-live-status]').forEach(function (el) { el.setAttribute('data-state', state); });
  }

  function startLive() {
    var byUrl = new Map();
    document.querySelectorAll('[data-live]').forEach(function (el) {
      var url = el.getAttribute('data-live');
      // Only this portal's own JSON endpoints.
      if (!url || url.indexOf('/dashboard/api/') !== 0) return;
      var every = Math.max(5, Number(el.getAttribute('data-live-every')) || 10);
      var entry = byUrl.get(url) || { els: [], every: every };
      entry.els.push(el);
      entry.every = Math.min(entry.every, every);
      byUrl.set(url, entry);
    });
    byUrl.forEach(function (entry, url) {
      var busy = false;
      function poll() {
        if (busy || document.hidden) return;
        busy = true;
        fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' }, cache: 'no-store' })
          .then(function (res) {
            if (res.status === 401) { window.location.assign('/login?expired=1'); return null; }
            if (!res.ok) return Promise.reject(res.status);
            return res.json();
          })
          .then(function (answer) { if (answer) { applyUpdate(entry.els, answer); setStatus('live'); } })
          .catch(function () { setStatus('stale'); })
          .then(function () { busy = false; });
      }
      window.setInterval(poll, entry.every * 1000);
      document.addEventListener('visibilitychange', function () { if (!document.hidden) poll(); });
    });
  }

  function confirmForms() {
    document.addEventListener('submit', function (ev) {
      var form = ev.target;
      if (!(form instanceof HTMLFormElement)) return;
      var question = form.getAttribute('data-confirm');
      if (question && !window.confirm(question)) { ev.preventDefault(); return; }
      // One send per click: a second click while the first is on its way does nothing.
      if (form.getAttribute('data-sending') === '1') { ev.preventDefault(); return; }
      form.setAttribute('data-sending', '1');
      form.setAttribute('aria-busy', 'true');
      window.setTimeout(function () { form.removeAttribute('data-sending'); form.removeAttribute('aria-busy'); }, 5000);
    });
  }

  function fileInputs() {
    document.querySelectorAll('input[type="file"][data-file-into]').forEach(function (input) {
      input.addEventListener('change', function () {
        var target = document.getElementById(input.getAttribute('data-file-into'));
        var file = input.files && input.files[0];
        if (!target || !file) return;
        file.text().then(function (text) { target.value = text; target.dispatchEvent(new Event('input')); });
      });
    });
  }

  function langSwitch() {
    document.querySelectorAll('a[data-lang-switch]').forEach(function (a) {
      var url = new URL(a.getAttribute('href'), window.location.href);
      url.searchParams.set('back', window.location.pathname);
      a.setAttribute('href', url.pathname + url.search);
    });
  }

  function start() {
    langSwitch();
    confirmForms();
    fileInputs();
    loadEcharts();
    startLive();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
