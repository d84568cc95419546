// CSV as RFC 4180 defines it: CRLF between records (§2.1–2), a field with a comma, a double quote or
// a line break enclosed in double quotes and its quotes doubled (§2.5–7). A text field that a
// spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) is
// prefixed with an apostrophe, so an agency's name cannot become a formula on the inspector's desk.
export type Cell = string | number | boolean | null | undefined;

const FORMULA = /^[=+\-@\t\r]/;

export function csvField(v: Cell): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? (FORMULA.test(v) ? `'${v}` : v) : String(v);
  if (/[",\r\n]/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

export function csvText(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
