/**
 * The static assets of the web UIs, embedded in the code so the single executable needs no files
 * on disk: one stylesheet and one small vanilla script. The script only adds conveniences on top
 * of plain forms and links: AJAX deletes/quota scans with the `X-CSRF-TOKEN` header, "select all"
 * boxes, and the multi-select zip download of the web client. Files with the same names inside
 * `httpd.static_files_path` take precedence (see static.ts).
 */

/** Stylesheet served as /static/sftpgo-web.css. */
export const STYLE_CSS = `
:root { --fg: #1d2430; --muted: #5d6b7e; --line: #d8dee6; --bg: #f5f7fa; --accent: #1f5fbf; --danger: #b3261e; --ok: #1e7b34; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
header.top { display: flex; align-items: center; gap: 1.5em; padding: .6em 1.2em; background: #16202e; color: #fff; flex-wrap: wrap; }
header.top .brand { font-weight: 600; }
header.top nav a { color: #dfe7f3; margin-right: 1em; text-decoration: none; }
header.top nav a.active, header.top nav a:hover { color: #fff; text-decoration: underline; }
header.top .who { margin-left: auto; color: #b9c6d8; }
header.top .who a { color: #fff; margin-left: .8em; }
main { max-width: 1200px; margin: 1.2em auto; padding: 0 1.2em; }
main.narrow { max-width: 460px; }
h1 { font-size: 1.45em; margin: .2em 0 .8em; }
h2 { font-size: 1.15em; margin: 1.4em 0 .6em; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1em 1.2em; margin-bottom: 1em; }
table { width: 100%; border-collapse: collapse; background: #fff; }
th, td { text-align: left; padding: .45em .6em; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef2f7; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
.msg { padding: .6em .9em; border-radius: 5px; margin-bottom: 1em; }
.msg.error { background: #fdecea; color: var(--danger); border: 1px solid #f3c2bd; }
.msg.ok { background: #e8f5ec; color: var(--ok); border: 1px solid #b9e0c4; }
form .field { margin-bottom: .8em; }
form label { display: block; font-weight: 600; margin-bottom: .2em; }
form .help { color: var(--muted); font-size: .88em; margin-top: .15em; }
input[type=text], input[type=password], input[type=number], input[type=email], input[type=date], select, textarea {
  width: 100%; padding: .4em .5em; border: 1px solid var(--line); border-radius: 4px; font: inherit; background: #fff; }
textarea { min-height: 5em; font-family: ui-monospace, monospace; font-size: .9em; }
.checks { display: flex; flex-wrap: wrap; gap: .3em 1.2em; }
.checks label { font-weight: normal; display: inline-flex; gap: .3em; align-items: center; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 0 1.2em; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 1em; padding: .6em 1em; background: #fff; }
legend { font-weight: 600; padding: 0 .4em; }
button, .button { display: inline-block; padding: .42em 1em; border: 1px solid var(--accent); border-radius: 4px; background: var(--accent);
  color: #fff; font: inherit; cursor: pointer; text-decoration: none; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--danger); border-color: var(--danger); }
button.small, .button.small { padding: .15em .55em; font-size: .88em; }
.actions { display: flex; gap: .4em; flex-wrap: wrap; }
.toolbar { display: flex; gap: .6em; align-items: center; margin-bottom: .8em; flex-wrap: wrap; }
.crumbs a { text-decoration: none; }
#files th:first-child, #files td:first-child { width: 2.2em; }
.muted { color: var(--muted); }
.fs-block { display: none; }
${[1, 2, 3, 4, 5].map((p) => `form:has(select[name=fs_provider] option[value="${p}"]:checked) .fs-${p} { display: block; }`).join('\n')}
code { font-size: .92em; }
`;

/** Script served as /static/sftpgo-web.js. */
export const APP_JS = `(function () {
  'use strict';
  function csrfToken() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute('content') : '';
  }
  function show(text, ok) {
    var box = document.getElementById('ajax-message');
    if (!box) { window.alert(text); return; }
    box.textContent = text;
    box.className = ok ? 'msg ok' : 'msg error';
    box.hidden = false;
  }
  function send(el) {
    var url = el.getAttribute('data-url');
    var method = el.getAttribute('data-action') === 'post' ? 'POST' : 'DELETE';
    var question = el.getAttribute('data-confirm');
    if (question && !window.confirm(question)) return;
    el.disabled = true;
    fetch(url, { method: method, credentials: 'same-origin', redirect: 'manual',
      headers: { 'X-CSRF-TOKEN': csrfToken(), 'Accept': 'application/json' } })
      .then(function (r) {
        if (r.type === 'opaqueredirect') { window.location.reload(); return null; }
        return r.json().catch(function () { return {}; }).then(function (body) {
          if (!r.ok) { show(body.error || body.message || ('request failed: ' + r.status), false); return; }
          show(body.message || 'Done', true);
          var row = el.closest('[data-row]');
          if (row && method === 'DELETE') row.parentNode.removeChild(row);
        });
      })
      .catch(function (e) { show(String(e), false); })
      .then(function () { el.disabled = false; });
  }
  document.addEventListener('click', function (ev) {
    var el = ev.target.closest ? ev.target.closest('[data-action]') : null;
    if (!el) return;
    ev.preventDefault();
    send(el);
  });
  document.addEventListener('change', function (ev) {
    var t = ev.target;
    if (!t.matches || !t.matches('input[data-select-all]')) return;
    var boxes = document.querySelectorAll('input[name="' + t.getAttribute('data-select-all') + '"]');
    for (var i = 0; i < boxes.length; i++) boxes[i].checked = t.checked;
  });
  var zip = document.getElementById('zip-form');
  if (zip) {
    zip.addEventListener('submit', function (ev) {
      var names = [];
      var boxes = zip.querySelectorAll('input[name="files"]:checked');
      for (var i = 0; i < boxes.length; i++) names.push(boxes[i].value);
      if (names.length === 0) { ev.preventDefault(); show('Select at least one file or folder', false); return; }
      var hidden = document.getElementById('zip-files');
      hidden.value = JSON.stringify(names);
      hidden.disabled = false;
      for (var j = 0; j < boxes.length; j++) boxes[j].disabled = true;
      window.setTimeout(function () { for (var k = 0; k < boxes.length; k++) boxes[k].disabled = false; hidden.disabled = true; }, 0);
    });
  }
})();
`;

/** Embedded files by name under /static. */
export const EMBEDDED_ASSETS: ReadonlyMap<string, { type: string; body: string }> = new Map([
  ['sftpgo-web.css', { type: 'text/css; charset=utf-8', body: STYLE_CSS }],
  ['sftpgo-web.js', { type: 'text/javascript; charset=utf-8', body: APP_JS }],
]);
