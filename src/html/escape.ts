// The one HTML escape of Tabadol's printed documents and pages: text for an HTML text node or a
// quoted attribute value (HTML §13.1.2.6, §13.1.2.3). Registry names, purposes and anything a caller
// typed go through it.
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
