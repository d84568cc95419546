// CSV as RFC 4180 defines it: CRLF line breaks (§2.1, §2.2), a header row (§2.3), a field quoted
// when it holds a comma, a double quote or a line break, with inner quotes doubled (§2.5–2.7). UTF-8
// without a byte-order mark, as the text/csv registration (RFC 7111 §5.1) allows with charset=utf-8.

export type CsvValue = string | number | boolean | null;

// A text cell starting with one of these is read as a formula by spreadsheet programs (OWASP "CSV
// injection"); names come from the registry, so a leading apostrophe keeps them text.
const FORMULA_START = /^[=+\-@\t\r]/;

function field(v: CsvValue): string {
  if (v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const text = FORMULA_START.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
