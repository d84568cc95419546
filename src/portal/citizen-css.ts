// The citizen pages' one stylesheet, served by the portal itself (the CSP allows nothing else and no
// inline style). Kept in a module so the build ships it with the code. Mobile first: one column on a
// phone, the list's table turned into one card per entry below 48em; logical properties
// (margin-inline-start …) so the same rules serve right-to-left Persian and left-to-right English.
// Colours meet WCAG 2.2 contrast AA (4.5:1 for text); focus is always visible (WCAG 2.4.7, 2.4.11).

export const CITIZEN_CSS = `
:root {
  --ink: #1b1f24; --muted: #4a5360; --paper: #ffffff; --soft: #f3f5f7; --line: #c9d0d8;
  --brand: #0b5d3b; --brand-ink: #ffffff; --warn-bg: #fff4d6; --warn-line: #8a5a00; --warn-ink: #3d2a00;
  --error: #a4161a; --ok: #0b5d3b; --focus: #1a4fd8;
}
* { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: var(--soft); line-height: 1.7;
  font-family: Vazirmatn, "Noto Sans Arabic", Tahoma, "Segoe UI", system-ui, sans-serif;
}
a { color: var(--focus); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; inset-inline-start: 0.5rem; top: -4rem; background: var(--paper); padding: 0.5rem 1rem; z-index: 10; }
.skip:focus { top: 0.5rem; }
.top { background: var(--paper); border-bottom: 1px solid var(--line); }
.stand-in {
  background: var(--warn-bg); color: var(--warn-ink); border-block-end: 3px solid var(--warn-line);
  padding: 0.75rem 1rem; text-align: center;
}
.stand-in p { margin: 0.1rem 0; }
.stand-in strong { font-size: 1.1rem; }
.bar { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 0.5rem; max-width: 72rem; margin: 0 auto; padding: 0.5rem 1rem; }
.site { margin: 0; font-weight: 700; color: var(--brand); }
.lang form { display: inline; margin: 0; }
main { display: block; max-width: 72rem; margin: 0 auto; padding: 1rem; }
main:focus { outline: none; }
h1 { font-size: 1.5rem; line-height: 1.4; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.15rem; margin: 0 0 0.5rem; }
.intro { color: var(--muted); margin-top: 0; }
section, .notice, .problems, .empty, .table-wrap { background: var(--paper); border: 1px solid var(--line); border-radius: 0.5rem; padding: 1rem; margin: 1rem 0; }
.ask .period { display: grid; gap: 0 1rem; grid-template-columns: 1fr; }
.field { margin-bottom: 1rem; }
label { display: block; font-weight: 700; }
.hint { margin: 0; color: var(--muted); font-size: 0.9rem; }
.error { margin: 0.25rem 0 0; color: var(--error); font-weight: 700; }
.field.invalid input { border-color: var(--error); border-width: 2px; }
input[type=text] {
  display: block; width: 100%; max-width: 20rem; margin-top: 0.35rem; padding: 0.6rem 0.75rem; font: inherit; font-size: 1.1rem;
  color: var(--ink); background: var(--paper); border: 1px solid #6b7480; border-radius: 0.35rem; text-align: start;
}
button, .button {
  display: inline-block; font: inherit; font-weight: 700; cursor: pointer; text-decoration: none; line-height: 1.4;
  padding: 0.6rem 1.25rem; min-height: 2.75rem; border-radius: 0.35rem; border: 2px solid var(--brand);
  background: var(--brand); color: var(--brand-ink);
}
.button.secondary, button.link { background: var(--paper); color: var(--brand); }
button.link { min-height: 0; padding: 0.25rem 0.75rem; }
.notice { border-color: var(--error); border-inline-start-width: 6px; }
.notice .code, .small { color: var(--muted); font-size: 0.85rem; }
.problems { border-color: var(--error); border-inline-start-width: 6px; }
.problems a { color: var(--error); font-weight: 700; }
.empty { border-inline-start: 6px solid var(--brand); }
.more { margin: 1rem 0; }
.omitted { max-width: 48rem; }
.ok { color: var(--ok); font-weight: 700; }
.no { color: var(--error); font-weight: 700; }
.ref { word-break: break-all; }
table.usage { width: 100%; border-collapse: collapse; }
caption { text-align: start; font-weight: 700; padding-bottom: 0.5rem; }
th, td { text-align: start; vertical-align: top; padding: 0.5rem; border-bottom: 1px solid var(--line); }
th { background: var(--soft); }
.foot { max-width: 72rem; margin: 0 auto; padding: 1rem; color: var(--muted); font-size: 0.9rem; }
@media (min-width: 40em) {
  .ask .period { grid-template-columns: 1fr 1fr; }
}
/* A phone: each entry is a card, each cell labelled with its column's header. */
@media (max-width: 47.99em) {
  .table-wrap { padding: 0; border: 0; background: none; }
  table.usage, table.usage tbody, table.usage tr, table.usage td { display: block; width: 100%; }
  table.usage thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table.usage caption { display: block; }
  table.usage tr { background: var(--paper); border: 1px solid var(--line); border-radius: 0.5rem; margin-bottom: 0.75rem; padding: 0.5rem; }
  table.usage td { border: 0; padding: 0.25rem 0.5rem; }
  table.usage td::before { content: attr(data-label); display: block; font-size: 0.8rem; font-weight: 700; color: var(--muted); }
}
@media print {
  .lang, .more, .button { display: none; }
}
`;
