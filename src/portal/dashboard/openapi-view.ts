// A service's OpenAPI 3.1 contract rendered readably on the server (no external viewer, no script):
// each endpoint with its method and path template, its parameters, its request body's fields and
// each response's fields. A contract is registry data that its registrant wrote, so every text in it
// is escaped; local references (#/components/...) are followed, at a bounded depth and never in a
// cycle, so a hostile contract cannot make a page grow without end.
import { esc, type Lang } from './pages/format.ts';

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const MAX_DEPTH = 4;
const MAX_FIELDS = 200;

const TEXT = {
  fa: {
    endpoints: 'نقطه‌های دسترسی', parameters: 'پارامترها', requestBody: 'بدنهٔ درخواست', responses: 'پاسخ‌ها',
    name: 'نام', where: 'محل', type: 'نوع', required: 'الزامی', description: 'توضیح', yes: 'بله', no: 'خیر',
    status: 'وضعیت', fields: 'فیلدها', none: 'ندارد', noEndpoints: 'این قرارداد هیچ نقطهٔ دسترسی‌ای ندارد.',
    subject: 'شناسهٔ شهروند (در سوابق فقط به صورت درهم‌سازی‌شده نگه داشته می‌شود)', version: 'نسخه', more: 'فیلدهای بیشتر نمایش داده نشد',
    in: { path: 'مسیر', query: 'پرس‌وجو', header: 'سرآیند', cookie: 'کوکی' } as Record<string, string>,
  },
  en: {
    endpoints: 'Endpoints', parameters: 'Parameters', requestBody: 'Request body', responses: 'Responses',
    name: 'Name', where: 'In', type: 'Type', required: 'Required', description: 'Description', yes: 'yes', no: 'no',
    status: 'Status', fields: 'Fields', none: 'none', noEndpoints: 'This contract has no endpoints.',
    subject: 'the citizen\'s identifier (kept in the records only as a keyed hash)', version: 'version', more: 'more fields not shown',
    in: { path: 'path', query: 'query', header: 'header', cookie: 'cookie' } as Record<string, string>,
  },
} as const;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Follows a local reference (RFC 6901 pointer after '#'); undefined for anything else. */
function resolve(doc: Json, value: unknown, seen: Set<string>): Json | undefined {
  if (!isObject(value)) return undefined;
  const ref = str(value.$ref);
  if (ref === undefined) return value;
  if (!ref.startsWith('#/') || seen.has(ref)) return undefined;
  seen.add(ref);
  let at: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    at = isObject(at) ? at[key] : undefined;
  }
  return resolve(doc, at, seen);
}

/** A schema's type in a few words: `string (pattern ^[0-9]{10}$)`, `array of object`. */
function typeOf(doc: Json, schema: unknown, depth = 0): string {
  const s = resolve(doc, schema, new Set());
  if (!s || depth > MAX_DEPTH) return '';
  const t = Array.isArray(s.type) ? s.type.filter((x) => typeof x === 'string').join(' | ') : str(s.type) ?? '';
  const parts: string[] = [t === 'array' ? `array of ${typeOf(doc, s.items, depth + 1) || 'any'}` : t];
  if (Array.isArray(s.enum)) parts.push(`one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  for (const k of ['format', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum']) if (s[k] !== undefined) parts.push(`${k} ${String(s[k])}`);
  return parts.filter(Boolean).join(', ');
}

interface Field { path: string; type: string; required: boolean; description: string; subject: boolean }

/** The fields of an object schema, nested ones as a.b, arrays as a[]. */
function fieldsOf(doc: Json, schema: unknown, prefix = '', depth = 0, out: Field[] = [], seen = new Set<string>()): Field[] {
  const s = resolve(doc, schema, seen);
  if (!s || depth > MAX_DEPTH || out.length >= MAX_FIELDS) return out;
  if (s.type === 'array' || s.items !== undefined) return fieldsOf(doc, s.items, `${prefix}[]`, depth + 1, out, new Set(seen));
  const props = isObject(s.properties) ? s.properties : undefined;
  if (!props) return out;
  const required = new Set(Array.isArray(s.required) ? s.required.filter((x): x is string => typeof x === 'string') : []);
  for (const [name, p] of Object.entries(props)) {
    if (out.length >= MAX_FIELDS) break;
    const ps = resolve(doc, p, new Set(seen));
    const path = prefix ? `${prefix}.${name}` : name;
    out.push({ path, type: typeOf(doc, p), required: required.has(name), description: str(ps?.description) ?? str(ps?.title) ?? '', subject: ps?.['x-tabadol-subject'] === true });
    if (ps && (isObject(ps.properties) || ps.type === 'array')) fieldsOf(doc, ps, path, depth + 1, out, new Set(seen));
  }
  return out;
}

function fieldTable(lang: Lang, fields: readonly Field[]): string {
  const t = TEXT[lang];
  if (fields.length === 0) return `<p class="hint">${esc(t.none)}</p>`;
  const rows = fields.map((f) => `<tr><td><code dir="ltr">${esc(f.path)}</code></td><td dir="ltr">${esc(f.type)}</td><td>${f.required ? t.yes : t.no}</td>`
    + `<td>${esc(f.description)}${f.subject ? ` <em>(${esc(t.subject)})</em>` : ''}</td></tr>`).join('');
  const more = fields.length >= MAX_FIELDS ? `<p class="hint">${esc(t.more)}</p>` : '';
  return `<div class="table-wrap"><table><thead><tr><th scope="col">${t.name}</th><th scope="col">${t.type}</th><th scope="col">${t.required}</th><th scope="col">${t.description}</th></tr></thead><tbody>${rows}</tbody></table></div>${more}`;
}

function jsonSchemaOf(doc: Json, holder: unknown): unknown {
  const h = resolve(doc, holder, new Set());
  const content = isObject(h?.content) ? h.content : undefined;
  if (!content) return undefined;
  const media = content['application/json'] ?? Object.values(content)[0];
  return isObject(media) ? media.schema : undefined;
}

/** The contract as HTML; a contract that is not an object renders as "no endpoints". */
export function openApiView(contract: unknown, lang: Lang): string {
  const t = TEXT[lang];
  if (!isObject(contract)) return `<p>${esc(t.noEndpoints)}</p>`;
  const info = isObject(contract.info) ? contract.info : {};
  const head = `<p class="contract-info"><strong>${esc(str(info.title) ?? '')}</strong> <small>${esc(t.version)} <span dir="ltr">${esc(str(info.version) ?? '')}</span> · <span dir="ltr">OpenAPI ${esc(str(contract.openapi) ?? '')}</span></small></p>`
    + (str(info.description) ? `<p>${esc(info.description)}</p>` : '');
  const paths = isObject(contract.paths) ? contract.paths : {};
  const endpoints: string[] = [];
  for (const [path, item] of Object.entries(paths)) {
    const pi = resolve(contract, item, new Set());
    if (!pi) continue;
    const shared = Array.isArray(pi.parameters) ? pi.parameters : [];
    for (const method of METHODS) {
      const op = resolve(contract, pi[method], new Set());
      if (!op) continue;
      const params = [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])].map((p) => resolve(contract, p, new Set())).filter((p): p is Json => p !== undefined);
      const paramRows = params.map((p) => `<tr><td><code dir="ltr">${esc(str(p.name) ?? '')}</code></td><td>${esc(t.in[str(p.in) ?? ''] ?? str(p.in) ?? '')}</td>`
        + `<td dir="ltr">${esc(typeOf(contract, p.schema))}</td><td>${p.required === true ? t.yes : t.no}</td>`
        + `<td>${esc(str(p.description) ?? '')}${p['x-tabadol-subject'] === true ? ` <em>(${esc(t.subject)})</em>` : ''}</td></tr>`).join('');
      const paramTable = params.length === 0 ? `<p class="hint">${esc(t.none)}</p>`
        : `<div class="table-wrap"><table><thead><tr><th scope="col">${t.name}</th><th scope="col">${t.where}</th><th scope="col">${t.type}</th><th scope="col">${t.required}</th><th scope="col">${t.description}</th></tr></thead><tbody>${paramRows}</tbody></table></div>`;
      const body = op.requestBody === undefined ? '' : `<h5>${t.requestBody}</h5>${fieldTable(lang, fieldsOf(contract, jsonSchemaOf(contract, op.requestBody)))}`;
      const responses = isObject(op.responses) ? Object.entries(op.responses) : [];
      const responseHtml = responses.map(([status, r]) => {
        const rr = resolve(contract, r, new Set());
        return `<h6><span dir="ltr">${esc(status)}</span> ${esc(str(rr?.description) ?? '')}</h6>${fieldTable(lang, fieldsOf(contract, jsonSchemaOf(contract, r)))}`;
      }).join('');
      endpoints.push(`<section class="endpoint"><h4><span class="method method-${method}" dir="ltr">${method.toUpperCase()}</span> <code dir="ltr">${esc(path)}</code></h4>`
        + (str(op.summary) ? `<p>${esc(op.summary)}</p>` : '') + (str(op.description) ? `<p>${esc(op.description)}</p>` : '')
        + `<h5>${t.parameters}</h5>${paramTable}${body}<h5>${t.responses}</h5>${responseHtml || `<p class="hint">${esc(t.none)}</p>`}</section>`);
    }
  }
  return `<div class="contract">${head}<h3>${t.endpoints}</h3>${endpoints.length === 0 ? `<p>${esc(t.noEndpoints)}</p>` : endpoints.join('')}</div>`;
}
