// The registry pages' bodies: members and subsystems, services with their contracts, access rights
// with their legal basis, certificates; and, for operators, the forms that change them. Each form
// keeps what the person typed when it is refused and puts the message beside the field it concerns.
// A change just made is confirmed once, at the top of the page; a refusal is said in its own form.
import { openApiView } from '../openapi-view.ts';
import { code, esc, named, notice, num, table, when, type Lang } from './format.ts';
import type { Explained } from './registry-errors.ts';

export const REGISTRY_PATHS = {
  members: '/dashboard/registry/members',
  services: '/dashboard/registry/services',
  service: '/dashboard/registry/service',
  access: '/dashboard/registry/access',
  certificates: '/dashboard/registry/certificates',
  addMember: '/dashboard/registry/members/add',
  addService: '/dashboard/registry/services/add',
  grant: '/dashboard/registry/access/grant',
  revoke: '/dashboard/registry/access/revoke',
  revokeCertificate: '/dashboard/registry/certificates/revoke',
} as const;

/** The largest contract the form takes, in characters (the form body's limit is set to match). */
export const MAX_CONTRACT_CHARS = 256 * 1024;

export interface Member { id: string; member_class: string; member_code: string; name: string; name_fa: string | null; created_at: string }
export interface Subsystem { id: string; member_id: string; subsystem_code: string; name: string | null; province: string | null; home_node: string | null }
export interface ServiceRow { id: string; subsystem_id: string; service_code: string; title: string; base_url: string; timeout_ms: number; max_rate_per_second: number | null; updated_at: string }
export interface AccessRow { id: number; subject_id: string; subject_type: string; service_id: string; method: string | null; path: string | null; legal_basis: string; valid_from: string; valid_until: string | null }
export interface CertificateRow { serial: string; subsystem_id: string; not_before: string; not_after: string; issued_at: string; revoked_at: string | null; revoked_reason: string | null }
export interface GroupRow { id: string; description: string; members: string[] }

export interface FormState {
  /** Which form the problem belongs to. */
  form?: string;
  problem?: Explained;
  typed?: Record<string, string>;
  /** The change just made (after a redirect). */
  done?: string;
}

export interface RegistryView {
  lang: Lang;
  /** Operators see the forms; the others read. */
  canChange: boolean;
  csrf: string | null;
  state: FormState;
}

const T = {
  fa: {
    members: 'اعضا', subsystems: 'زیرسامانه‌ها', id: 'شناسه', name: 'نام', nameFa: 'نام فارسی', nameEn: 'نام (لاتین)', klass: 'رده', memberCode: 'کد عضو',
    subsystemCount: 'زیرسامانه', province: 'استان', national: 'ملی', homeNode: 'گره میزبان', central: 'گره مرکزی', member: 'عضو',
    noMembers: 'هنوز عضوی ثبت نشده است', noMembersText: 'نخستین دستگاه را با فرم «افزودن عضو» ثبت کنید.',
    noSubsystems: 'هنوز زیرسامانه‌ای ثبت نشده است', noSubsystemsText: 'زیرسامانه‌ها با «tabadol subsystem add» یا API مدیریت افزوده می‌شوند.',
    addMember: 'افزودن عضو', gov: 'GOV — دستگاه دولتی', com: 'COM — شرکت', submitMember: 'ثبت عضو',
    memberCodeHint: 'حرف و رقم لاتین، مانند NOCR', nameHint: 'نام رسمی دستگاه', nameFaHint: 'مانند «سازمان ثبت احوال کشور»',
    services: 'خدمات', title: 'عنوان', provider: 'ارائه‌دهنده', timeout: 'مهلت پاسخ', rate: 'سقف نرخ (در ثانیه)', updated: 'آخرین تغییر', contract: 'قرارداد',
    noServices: 'هنوز خدمتی ثبت نشده است', noServicesText: 'خدمت را با فرم «ثبت خدمت» و قرارداد OpenAPI آن ثبت کنید.',
    addService: 'ثبت خدمت از روی قرارداد', serviceId: 'شناسهٔ خدمت', serviceIdHint: 'IR/GOV/عضو/زیرسامانه/خدمت، مانند IR/GOV/NOCR/identity/person',
    baseUrl: 'نشانی پایهٔ ارائه‌دهنده', baseUrlHint: 'مانند https://api.nocr.example/v1', timeoutMs: 'مهلت پاسخ (میلی‌ثانیه، اختیاری)',
    contractJson: 'قرارداد OpenAPI 3.1 (JSON)', contractHint: 'متن JSON قرارداد را اینجا بچسبانید، یا پرونده‌اش را در فیلد زیر انتخاب کنید تا در همین کادر خوانده شود (پرونده در مرورگر شما خوانده می‌شود و فقط متن آن فرستاده می‌شود).',
    contractFile: 'پروندهٔ قرارداد (.json)', submitService: 'ثبت خدمت',
    open: 'مشاهده', serviceTitle: 'خدمت', notFound: 'این خدمت در دفتر ثبت نیست', notFoundText: 'شاید حذف شده است؛ به فهرست خدمات برگردید.', back: 'بازگشت به فهرست خدمات',
    details: 'مشخصات', rightsTo: 'مجوزهای دسترسی به این خدمت',
    access: 'مجوزهای دسترسی', subject: 'استعلام‌کننده', service: 'خدمت', endpoint: 'نقطهٔ دسترسی', wholeService: 'کل خدمت', legalBasis: 'مبنای قانونی',
    validFrom: 'از', validUntil: 'تا', indefinite: 'بدون پایان', revoke: 'لغو', revokeLabel: (id: string) => `لغو مجوز ${id}`,
    noRights: 'هیچ مجوز دسترسی‌ای ثبت نشده است', noRightsText: 'بدون مجوز، هر استعلام رد می‌شود؛ با فرم «اعطای مجوز» مجوز بدهید.',
    grant: 'اعطای مجوز دسترسی', group: 'گروه', choose: '— انتخاب کنید —', method: 'روش (اختیاری)', path: 'مسیر (اختیاری)', pathHint: 'مسیر از قرارداد، مانند /persons/{nationalCode}؛ خالی: کل خدمت',
    legalBasisHint: 'قانون یا مصوبه‌ای که این دسترسی را مجاز می‌کند', validUntilHint: 'تاریخ ISO 8601، مانند 2026-03-20 (اختیاری)', submitGrant: 'اعطای مجوز',
    certificates: 'گواهی‌های کلاینت', serial: 'سریال', subsystem: 'زیرسامانه', notAfter: 'اعتبار تا', issued: 'صدور', status: 'وضعیت',
    inForce: 'معتبر', expired: 'منقضی', revokedAt: (w: string) => `ابطال‌شده در ${w}`, reason: 'دلیل ابطال (اختیاری)', revokeCert: 'ابطال گواهی', revokeCertLabel: (s: string) => `ابطال گواهی ${s}`,
    noCerts: 'هیچ گواهی‌ای از طریق این دفتر ثبت صادر نشده است', noCertsText: 'گواهی‌ها با «tabadol cert issue» صادر و اینجا فهرست می‌شوند.',
    readOnly: 'نقش شما فقط خواندن این صفحه است؛ تغییر دفتر ثبت با گردانندگان تبادل است.',
    filter: 'جست‌وجو در مجوزها', filterHint: 'بخشی از شناسهٔ استعلام‌کننده، خدمت یا مبنای قانونی', filterShow: 'جست‌وجو', filterClear: 'همهٔ مجوزها',
    shown: (n: string, all: string) => `${n} مجوز از ${all} مجوز نمایش داده شده است؛ برای دیدن بقیه، فهرست را با جست‌وجو محدود کنید.`,
    matched: (n: string, all: string) => `${n} مجوز از ${all} مجوز با این جست‌وجو جور است.`,
    noMatch: 'هیچ مجوزی با این جست‌وجو جور نیست', noMatchText: 'عبارت کوتاه‌تری بنویسید یا «همهٔ مجوزها» را بزنید.',
    issueTitle: 'صدور یا تمدید گواهی',
    issueWhy: 'گواهی کلاینت و کلید خصوصی آن روی خود گره مرکزی، با خط فرمان، ساخته می‌شوند و هرگز از این صفحه نمی‌گذرند: کلید خصوصی نباید در مرورگر یا در فرمی فرستاده شود، و صدور گواهی از وب هر نشست ربوده‌شده‌ای را به صادرکنندهٔ مجوز استعلام از دادهٔ شهروندان بدل می‌کرد.',
    issueChoose: 'زیرسامانه', issueShow: 'نمایش فرمان',
    issueSteps: ['فرمان زیر را روی گره مرکزی، با همان کاربر سیستم و همان --data که گره با آن اجرا می‌شود، اجرا کنید.',
      'پرونده‌های cert.pem و key.pem را از راهی امن (نه رایانامه) به دستگاه صاحب زیرسامانه برسانید و پس از نصب، key.pem را از گره پاک کنید.',
      'وقتی دستگاه گواهی تازه را نصب کرد، گواهی قبلی را در جدول بالا ابطال کنید؛ تا آن زمان هر دو معتبرند و خدمت قطع نمی‌شود.'] as readonly string[],
    issueNew: 'این زیرسامانه هنوز گواهی معتبری ندارد؛ صدور نخستین گواهی:', issueRenew: 'این زیرسامانه گواهی معتبر دارد؛ تمدید (کلید و سریال تازه):',
    issueLost: 'اگر کلید گم یا دزدیده شده است، همان فرمان را با --revoke-old اجرا کنید تا گواهی‌های قبلی هم‌زمان ابطال شوند.',
    issueUnknown: 'این زیرسامانه در دفتر ثبت نیست؛ آن را از فهرست انتخاب کنید.',
    expiresSoon: (w: string) => `معتبر، ولی در ${w} پایان می‌یابد: تمدید کنید`,
    refused: 'تغییر انجام نشد', reference: 'کد خطا برای پشتیبانی',
    done: {
      member: 'عضو ثبت شد.', service: 'خدمت ثبت شد و گره آن را بی‌درنگ به کار می‌گیرد.', grant: 'مجوز دسترسی اعطا شد و از همین حالا اعمال می‌شود.',
      revoke: 'مجوز دسترسی لغو شد و از همین حالا استعلام‌های آن رد می‌شود.', certificate: 'گواهی ابطال شد و گره دیگر آن را نمی‌پذیرد.',
    } as Record<string, string>,
    doneTitle: 'انجام شد', confirmRevoke: 'این مجوز لغو شود؟ استعلام‌های آن از همین لحظه رد می‌شوند.', confirmCert: 'این گواهی ابطال شود؟ این کار بازگشت‌پذیر نیست.',
  },
  en: {
    members: 'Members', subsystems: 'Subsystems', id: 'Identifier', name: 'Name', nameFa: 'Persian name', nameEn: 'Name (Latin)', klass: 'Class', memberCode: 'Member code',
    subsystemCount: 'Subsystems', province: 'Province', national: 'national', homeNode: 'Home node', central: 'central node', member: 'Member',
    noMembers: 'No member is registered yet', noMembersText: 'Register the first agency with the "Add a member" form.',
    noSubsystems: 'No subsystem is registered yet', noSubsystemsText: 'Subsystems are added with "tabadol subsystem add" or the admin API.',
    addMember: 'Add a member', gov: 'GOV — government agency', com: 'COM — company', submitMember: 'Register the member',
    memberCodeHint: 'Latin letters and digits, e.g. NOCR', nameHint: 'The agency\'s official name', nameFaHint: 'e.g. «سازمان ثبت احوال کشور»',
    services: 'Services', title: 'Title', provider: 'Provider', timeout: 'Timeout', rate: 'Rate limit (per second)', updated: 'Last change', contract: 'Contract',
    noServices: 'No service is registered yet', noServicesText: 'Register a service with its OpenAPI contract in the "Register a service" form.',
    addService: 'Register a service from its contract', serviceId: 'Service id', serviceIdHint: 'IR/CLASS/MEMBER/SUBSYSTEM/SERVICE, e.g. IR/GOV/NOCR/identity/person',
    baseUrl: 'Provider base URL', baseUrlHint: 'e.g. https://api.nocr.example/v1', timeoutMs: 'Timeout (milliseconds, optional)',
    contractJson: 'OpenAPI 3.1 contract (JSON)', contractHint: 'Paste the contract\'s JSON here, or choose its file below to have it read into this box (the file is read in your browser; only its text is sent).',
    contractFile: 'Contract file (.json)', submitService: 'Register the service',
    open: 'Open', serviceTitle: 'Service', notFound: 'This service is not in the registry', notFoundText: 'It may have been removed; go back to the list of services.', back: 'Back to the services',
    details: 'Details', rightsTo: 'Access rights to this service',
    access: 'Access rights', subject: 'Consumer', service: 'Service', endpoint: 'Endpoint', wholeService: 'whole service', legalBasis: 'Legal basis',
    validFrom: 'From', validUntil: 'Until', indefinite: 'no end', revoke: 'Revoke', revokeLabel: (id: string) => `Revoke access right ${id}`,
    noRights: 'No access right is registered', noRightsText: 'Without a right every inquiry is refused; grant one with the "Grant access" form.',
    grant: 'Grant access', group: 'Group', choose: '— choose —', method: 'Method (optional)', path: 'Path (optional)', pathHint: 'A path of the contract, e.g. /persons/{nationalCode}; empty: the whole service',
    legalBasisHint: 'The law or resolution that allows this access', validUntilHint: 'ISO 8601 date, e.g. 2026-03-20 (optional)', submitGrant: 'Grant',
    certificates: 'Client certificates', serial: 'Serial', subsystem: 'Subsystem', notAfter: 'Valid until', issued: 'Issued', status: 'Status',
    inForce: 'in force', expired: 'expired', revokedAt: (w: string) => `revoked ${w}`, reason: 'Reason (optional)', revokeCert: 'Revoke', revokeCertLabel: (s: string) => `Revoke certificate ${s}`,
    noCerts: 'No certificate was issued through this registry', noCertsText: 'Certificates are issued with "tabadol cert issue" and listed here.',
    readOnly: 'Your role reads this page; operators change the registry.',
    filter: 'Search the access rights', filterHint: 'Part of the consumer\'s or the service\'s identifier, or of the legal basis', filterShow: 'Search', filterClear: 'All access rights',
    shown: (n: string, all: string) => `${n} of ${all} access rights are shown; narrow the list with the search to see the others.`,
    matched: (n: string, all: string) => `${n} of ${all} access rights match this search.`,
    noMatch: 'No access right matches this search', noMatchText: 'Try a shorter text, or show all access rights.',
    issueTitle: 'Issue or renew a certificate',
    issueWhy: 'A client certificate and its private key are made on the central node itself, on the command line, and never pass through this page: a private key must not travel through a browser or a form, and issuing from the web would turn any stolen session into a way to mint the right to query citizens\' data.',
    issueChoose: 'Subsystem', issueShow: 'Show the command',
    issueSteps: ['Run the command below on the central node, as the system user and with the same --data the node runs with.',
      'Bring cert.pem and key.pem to the agency that owns the subsystem by a secure channel (not e-mail), then delete key.pem from the node.',
      'Once the agency has installed the new certificate, revoke the old one in the table above; until then both are valid and the service is not interrupted.'] as readonly string[],
    issueNew: 'This subsystem has no certificate in force yet; to issue its first one:', issueRenew: 'This subsystem has a certificate in force; to renew it (new key, new serial):',
    issueLost: 'If the key was lost or stolen, run the same command with --revoke-old: the previous certificates are revoked at once.',
    issueUnknown: 'This subsystem is not in the registry; choose it from the list.',
    expiresSoon: (w: string) => `in force, but ends ${w}: renew it`,
    refused: 'The change was not made', reference: 'Error code for support',
    done: {
      member: 'The member is registered.', service: 'The service is registered; the node uses it at once.', grant: 'The access right is granted and applies from now.',
      revoke: 'The access right is revoked; its inquiries are refused from now.', certificate: 'The certificate is revoked; the node no longer accepts it.',
    } as Record<string, string>,
    doneTitle: 'Done', confirmRevoke: 'Revoke this access right? Its inquiries are refused from this moment.', confirmCert: 'Revoke this certificate? This cannot be undone.',
  },
} as const;

const csrfField = (csrf: string | null) => `<input type="hidden" name="_csrf" value="${esc(csrf ?? '')}">`;

/** The change just made (after the redirect), once, at the top of the page. */
function doneNotice(v: RegistryView): string {
  const t = T[v.lang];
  return v.state.done && t.done[v.state.done] ? notice('ok', t.doneTitle, t.done[v.state.done]!) : '';
}

/** Why the last change of this form was refused, where the form is (the field's own message sits under it too). */
function problemNotice(v: RegistryView, form: string): string {
  const t = T[v.lang];
  const p = v.state.problem;
  if (!p || v.state.form !== form) return '';
  const support = `${p.type}${p.detail ? ` — ${p.detail}` : ''}`;
  return `<div class="notice notice-error" role="alert" id="${form}-problem"><p><strong>${esc(t.refused)}</strong></p><p>${esc(p.text)}</p>`
    + `<p class="hint"><small>${esc(t.reference)}: <span dir="ltr">${esc(support)}</span></small></p></div>`;
}

interface FieldOptions { name: string; label: string; hint?: string; required?: boolean }

/**
 * A labelled form control with its hint and, when the last refusal named this field, the refusal's
 * message under it. `control` gets the control's id, what the person typed, and the attributes that
 * tie it to its label, hint and message.
 */
function field(v: RegistryView, form: string, o: FieldOptions, control: (id: string, typed: string, attrs: string) => string): string {
  const id = `${form}-${o.name}`;
  const typed = v.state.form === form ? v.state.typed?.[o.name] ?? '' : '';
  const bad = v.state.form === form && v.state.problem?.field === o.name;
  const described = [o.hint ? `${id}-hint` : '', bad ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attrs = `id="${id}" name="${o.name}"${o.required ? ' required' : ''}${described ? ` aria-describedby="${described}"` : ''}${bad ? ' aria-invalid="true"' : ''}`;
  return `<div class="field"><label for="${id}">${esc(o.label)}${o.required ? ' <span aria-hidden="true">*</span>' : ''}</label>${control(id, typed, attrs)}`
    + (o.hint ? `<p class="hint" id="${id}-hint">${esc(o.hint)}</p>` : '')
    + (bad ? `<p class="field-error" id="${id}-error">${esc(v.state.problem!.text)}</p>` : '') + '</div>';
}

function input(v: RegistryView, form: string, o: FieldOptions & { ltr?: boolean; type?: string }): string {
  return field(v, form, o, (_id, typed, attrs) => `<input ${attrs} type="${o.type ?? 'text'}" value="${esc(typed)}"${o.ltr ? ' dir="ltr"' : ''}>`);
}

function select(v: RegistryView, form: string, o: FieldOptions & { options: readonly { value: string; text: string }[] }): string {
  return field(v, form, o, (_id, chosen, attrs) => `<select ${attrs}>${[`<option value="">${esc(T[v.lang].choose)}</option>`,
    ...o.options.map((x) => `<option value="${esc(x.value)}"${x.value === chosen ? ' selected' : ''}>${esc(x.text)}</option>`)].join('')}</select>`);
}

const readOnly = (v: RegistryView) => (v.canChange ? '' : `<p class="hint">${esc(T[v.lang].readOnly)}</p>`);
const provinceText = (v: RegistryView, p: string | null) => (p === null ? T[v.lang].national : esc(p));

export function membersHtml(v: RegistryView, members: readonly Member[], subsystems: readonly Subsystem[]): string {
  const t = T[v.lang];
  const count = (id: string) => subsystems.filter((s) => s.member_id === id).length;
  const memberName = new Map(members.map((m) => [m.id, m]));
  const form = !v.canChange ? '' : `<section aria-labelledby="add-member-h" class="form-card"><h2 id="add-member-h">${esc(t.addMember)}</h2>${problemNotice(v, 'member')}`
    + `<form method="post" action="${REGISTRY_PATHS.addMember}" class="form" novalidate>${csrfField(v.csrf)}`
    + select(v, 'member', { name: 'memberClass', label: t.klass, required: true, options: [{ value: 'GOV', text: t.gov }, { value: 'COM', text: t.com }] })
    + input(v, 'member', { name: 'memberCode', label: t.memberCode, hint: t.memberCodeHint, required: true, ltr: true })
    + input(v, 'member', { name: 'nameFa', label: t.nameFa, hint: t.nameFaHint })
    + input(v, 'member', { name: 'name', label: t.nameEn, hint: t.nameHint, required: true })
    + `<button type="submit">${esc(t.submitMember)}</button></form></section>`;
  return doneNotice(v) + readOnly(v)
    + `<section aria-labelledby="members-h"><h2 id="members-h">${esc(t.members)}</h2>`
    + table(t.members, [{ head: t.name }, { head: t.klass }, { head: t.subsystemCount, numeric: true }],
      members.map((m) => [named(v.lang, m.id, m.name, m.name_fa), esc(m.member_class), num(v.lang, count(m.id))]), `${t.noMembers}. ${t.noMembersText}`, { hideCaption: true })
    + `</section><section aria-labelledby="subsystems-h"><h2 id="subsystems-h">${esc(t.subsystems)}</h2>`
    + table(t.subsystems, [{ head: t.id }, { head: t.member }, { head: t.name }, { head: t.province }, { head: t.homeNode }],
      subsystems.map((s) => {
        const m = memberName.get(s.member_id);
        return [code(s.id), m ? esc((v.lang === 'fa' ? m.name_fa : null) ?? m.name) : code(s.member_id), esc(s.name ?? ''), provinceText(v, s.province), s.home_node === null ? esc(t.central) : code(s.home_node)];
      }), `${t.noSubsystems}. ${t.noSubsystemsText}`, { hideCaption: true })
    + `</section>${form}`;
}

export const serviceHref = (id: string) => `${REGISTRY_PATHS.service}?id=${encodeURIComponent(id)}`;

export function servicesHtml(v: RegistryView, services: readonly ServiceRow[], subsystems: readonly Subsystem[]): string {
  const t = T[v.lang];
  const form = !v.canChange ? '' : `<section aria-labelledby="add-service-h" class="form-card"><h2 id="add-service-h">${esc(t.addService)}</h2>${problemNotice(v, 'service')}`
    + `<form method="post" action="${REGISTRY_PATHS.addService}" class="form" novalidate>${csrfField(v.csrf)}`
    + input(v, 'service', { name: 'serviceId', label: t.serviceId, hint: t.serviceIdHint, required: true, ltr: true })
    + input(v, 'service', { name: 'title', label: t.title, required: true })
    + input(v, 'service', { name: 'baseUrl', label: t.baseUrl, hint: t.baseUrlHint, required: true, ltr: true, type: 'url' })
    + input(v, 'service', { name: 'timeoutMs', label: t.timeoutMs, ltr: true, type: 'number' })
    + field(v, 'service', { name: 'contract', label: t.contractJson, hint: t.contractHint, required: true },
      (_id, typed, attrs) => `<textarea ${attrs} rows="14" dir="ltr" spellcheck="false" maxlength="${MAX_CONTRACT_CHARS}">${esc(typed)}</textarea>`)
    // No name: the file itself is never sent (the portal parses no multipart); the client script reads it into the textarea.
    + `<div class="field"><label for="service-contract-file">${esc(t.contractFile)}</label><input id="service-contract-file" type="file" accept=".json,application/json" data-file-into="service-contract"></div>`
    + `<button type="submit">${esc(t.submitService)}</button></form></section>`;
  const providerName = new Map(subsystems.map((s) => [s.id, s]));
  return doneNotice(v) + readOnly(v)
    + table(t.services, [{ head: t.id }, { head: t.title }, { head: t.provider }, { head: t.timeout, numeric: true }, { head: t.rate, numeric: true }, { head: t.updated }],
      services.map((s) => [`<a href="${esc(serviceHref(s.id))}">${code(s.id)}</a>`, esc(s.title), providerName.has(s.subsystem_id) ? code(s.subsystem_id) : '–',
        `${num(v.lang, s.timeout_ms)} ${v.lang === 'fa' ? 'میلی‌ثانیه' : 'ms'}`, s.max_rate_per_second === null ? '–' : num(v.lang, s.max_rate_per_second), when(v.lang, s.updated_at)]),
      `${t.noServices}. ${t.noServicesText}`, { hideCaption: true })
    + form;
}

export function serviceHtml(v: RegistryView, s: (ServiceRow & { contract: unknown }) | undefined, rights: readonly AccessRow[]): string {
  const t = T[v.lang];
  if (!s) return notice('empty', t.notFound, t.notFoundText) + `<p><a href="${REGISTRY_PATHS.services}">${esc(t.back)}</a></p>`;
  const details = `<dl class="details"><dt>${esc(t.id)}</dt><dd>${code(s.id)}</dd><dt>${esc(t.title)}</dt><dd>${esc(s.title)}</dd>`
    + `<dt>${esc(t.provider)}</dt><dd>${code(s.subsystem_id)}</dd><dt>${esc(t.timeout)}</dt><dd>${num(v.lang, s.timeout_ms)} ${v.lang === 'fa' ? 'میلی‌ثانیه' : 'ms'}</dd>`
    + `<dt>${esc(t.rate)}</dt><dd>${s.max_rate_per_second === null ? '–' : num(v.lang, s.max_rate_per_second)}</dd><dt>${esc(t.updated)}</dt><dd>${esc(when(v.lang, s.updated_at))}</dd></dl>`;
  return `<p><a href="${REGISTRY_PATHS.services}">${esc(t.back)}</a></p><section aria-labelledby="svc-h"><h2 id="svc-h">${esc(t.details)}</h2>${details}</section>`
    + `<section aria-labelledby="contract-h"><h2 id="contract-h">${esc(t.contract)}</h2>${openApiView(s.contract, v.lang)}</section>`
    + `<section aria-labelledby="rights-h"><h2 id="rights-h">${esc(t.rightsTo)}</h2>${rightsTable(v, t.rightsTo, rights, `${t.noRights}. ${t.noRightsText}`)}</section>`;
}

function rightsTable(v: RegistryView, caption: string, rights: readonly AccessRow[], empty: string): string {
  const t = T[v.lang];
  const cols = [{ head: t.id, numeric: true }, { head: t.subject, nowrap: true }, { head: t.service, nowrap: true }, { head: t.endpoint }, { head: t.legalBasis, wide: true },
    { head: t.validFrom, nowrap: true }, { head: t.validUntil, nowrap: true }, ...(v.canChange ? [{ head: t.revoke }] : [])];
  return table(caption, cols, rights.map((r) => [
    num(v.lang, r.id), `${code(r.subject_id)}${r.subject_type === 'group' ? ` <small>(${esc(t.group)})</small>` : ''}`, `<a href="${esc(serviceHref(r.service_id))}">${code(r.service_id)}</a>`,
    r.method === null ? esc(t.wholeService) : `<code dir="ltr">${esc(`${r.method} ${r.path ?? ''}`)}</code>`, `<bdi>${esc(r.legal_basis)}</bdi>`, esc(when(v.lang, r.valid_from)),
    r.valid_until === null ? esc(t.indefinite) : esc(when(v.lang, r.valid_until)),
    ...(v.canChange ? [`<form method="post" action="${REGISTRY_PATHS.revoke}" class="inline-form" data-confirm="${esc(t.confirmRevoke)}">${csrfField(v.csrf)}<input type="hidden" name="id" value="${r.id}">`
      + `<button type="submit" class="button-danger" aria-label="${esc(t.revokeLabel(String(r.id)))}">${esc(t.revoke)}</button></form>`] : []),
  ]), empty, { hideCaption: true });
}

/** The most access rights the page lists at once: a national registry holds thousands, and a page of
 * thousands of rows (each with its revoke form) is slow to load and useless to read; the search narrows it. */
export const MAX_RIGHTS_SHOWN = 200;

/** The rights whose consumer, service or legal basis contains the search text (any letter case). */
export function searchRights(rights: readonly AccessRow[], search: string): readonly AccessRow[] {
  const q = search.trim().toLocaleLowerCase();
  if (q === '') return rights;
  return rights.filter((r) => [r.subject_id, r.service_id, r.legal_basis].some((x) => x.toLocaleLowerCase().includes(q)));
}

export function accessHtml(v: RegistryView, rights: readonly AccessRow[], subsystems: readonly Subsystem[], groups: readonly GroupRow[], services: readonly ServiceRow[], search = ''): string {
  const t = T[v.lang];
  const form = !v.canChange ? '' : `<section aria-labelledby="grant-h" class="form-card"><h2 id="grant-h">${esc(t.grant)}</h2>${problemNotice(v, 'grant')}`
    + `<form method="post" action="${REGISTRY_PATHS.grant}" class="form" novalidate>${csrfField(v.csrf)}`
    + select(v, 'grant', { name: 'subject', label: t.subject, required: true, options: [
      ...subsystems.map((s) => ({ value: s.id, text: s.id })), ...groups.map((g) => ({ value: g.id, text: `${g.id} (${t.group})` }))] })
    + select(v, 'grant', { name: 'serviceId', label: t.service, required: true, options: services.map((s) => ({ value: s.id, text: `${s.id} — ${s.title}` })) })
    + input(v, 'grant', { name: 'method', label: t.method, ltr: true })
    + input(v, 'grant', { name: 'path', label: t.path, hint: t.pathHint, ltr: true })
    + input(v, 'grant', { name: 'legalBasis', label: t.legalBasis, hint: t.legalBasisHint, required: true })
    + input(v, 'grant', { name: 'validUntil', label: t.validUntil, hint: t.validUntilHint, ltr: true })
    + `<button type="submit">${esc(t.submitGrant)}</button></form></section>`;
  const found = searchRights(rights, search);
  const shown = found.slice(0, MAX_RIGHTS_SHOWN);
  const searching = search.trim() !== '';
  // The search is offered once the list is long enough to need it (or while it is in use).
  const finder = rights.length <= MAX_RIGHTS_SHOWN && !searching ? ''
    : `<form method="get" action="${REGISTRY_PATHS.access}" class="toolbar" role="search"><div class="field"><label for="rights-q">${esc(t.filter)}</label>`
      + `<input id="rights-q" name="q" type="search" value="${esc(search)}" maxlength="200" aria-describedby="rights-q-hint"><p class="hint" id="rights-q-hint">${esc(t.filterHint)}</p></div>`
      + `<button type="submit">${esc(t.filterShow)}</button>${searching ? ` <a href="${REGISTRY_PATHS.access}">${esc(t.filterClear)}</a>` : ''}</form>`;
  const count = found.length > shown.length ? `<p role="status">${esc(t.shown(num(v.lang, shown.length), num(v.lang, found.length)))}</p>`
    : searching ? `<p role="status">${esc(t.matched(num(v.lang, found.length), num(v.lang, rights.length)))}</p>` : '';
  const list = searching && found.length === 0 ? notice('empty', t.noMatch, t.noMatchText) : rightsTable(v, t.access, shown, `${t.noRights}. ${t.noRightsText}`);
  return doneNotice(v) + problemNotice(v, 'revoke') + readOnly(v) + finder + count + list + form;
}

/** An argument as a POSIX shell reads it back unchanged (a member code may hold ' ( ) and the like). */
const shellWord = (s: string) => (/^[A-Za-z0-9/._:=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** A sentence with its options and file names set left to right ("--data" stays "--data" in Persian). */
const withCode = (text: string) => esc(text).replace(/(--[a-z][a-z-]*|\b[a-z]+\.pem\b)/g, '<code dir="ltr">$1</code>');

/** Within this many days of its end, a certificate in force is flagged for renewal. */
const RENEW_WITHIN_DAYS = 30;

export const certificateHref = (subsystem: string) => `${REGISTRY_PATHS.certificates}?subsystem=${encodeURIComponent(subsystem)}#issue-h`;

/**
 * How a certificate is issued or renewed: on the node, with the CLI, never through the page (the
 * private key is made on the node's disk and must not pass through a browser; a signing form would
 * let a stolen operator session mint client certificates). For a chosen subsystem the page gives the
 * exact command and the steps around it.
 */
function issueHtml(v: RegistryView, certs: readonly CertificateRow[], subsystems: readonly Subsystem[], chosen: string | undefined, now: number): string {
  const t = T[v.lang];
  const picker = `<form method="get" action="${REGISTRY_PATHS.certificates}#issue-h" class="toolbar">`
    + field(v, 'issue', { name: 'subsystem', label: t.issueChoose }, (_id, _typed, attrs) => `<select ${attrs} dir="ltr">${[`<option value="">${esc(t.choose)}</option>`,
      ...subsystems.map((s) => `<option value="${esc(s.id)}"${s.id === chosen ? ' selected' : ''}>${esc(s.id)}</option>`)].join('')}</select>`)
    + `<button type="submit">${esc(t.issueShow)}</button></form>`;
  let command = '';
  if (chosen !== undefined && !subsystems.some((s) => s.id === chosen)) command = `<div class="notice notice-error" role="alert"><p>${esc(t.issueUnknown)}</p></div>`;
  else if (chosen !== undefined) {
    const inForce = certs.some((c) => c.subsystem_id === chosen && c.revoked_at === null && Date.parse(c.not_after) > now);
    const cmd = inForce ? `tabadol cert renew --subsystem ${shellWord(chosen)}` : `tabadol cert issue ${shellWord(chosen)}`;
    command = `<p>${esc(inForce ? t.issueRenew : t.issueNew)}</p><pre class="command"><code dir="ltr">${esc(cmd)}</code></pre>`
      // The last step (revoke the old certificate) is for a renewal only.
      + `<ol>${(inForce ? t.issueSteps : t.issueSteps.slice(0, -1)).map((x) => `<li>${withCode(x)}</li>`).join('')}</ol>` + (inForce ? `<p class="hint">${withCode(t.issueLost)}</p>` : '');
  }
  return `<section aria-labelledby="issue-h"><h2 id="issue-h">${esc(t.issueTitle)}</h2><p>${esc(t.issueWhy)}</p>${picker}${command}</section>`;
}

export function certificatesHtml(v: RegistryView, certs: readonly CertificateRow[], now: number, subsystems: readonly Subsystem[] = [], chosen?: string): string {
  const t = T[v.lang];
  const status = (c: CertificateRow) => {
    if (c.revoked_at !== null) return `<span class="status status-bad">${esc(t.revokedAt(when(v.lang, c.revoked_at)))}</span>`;
    const end = Date.parse(c.not_after);
    if (end <= now) return `<span class="status status-bad">${esc(t.expired)}</span>`;
    if (end - now <= RENEW_WITHIN_DAYS * 86_400_000) return `<span class="status status-warn">${esc(t.expiresSoon(when(v.lang, c.not_after)))}</span> <a href="${esc(certificateHref(c.subsystem_id))}">${esc(t.issueTitle)}</a>`;
    return `<span class="status status-ok">${esc(t.inForce)}</span>`;
  };
  const cols = [{ head: t.serial }, { head: t.subsystem, nowrap: true }, { head: t.issued, nowrap: true }, { head: t.notAfter, nowrap: true }, { head: t.status }, ...(v.canChange ? [{ head: t.revokeCert }] : [])];
  return doneNotice(v) + problemNotice(v, 'certificate') + readOnly(v)
    + table(t.certificates, cols, certs.map((c) => [code(c.serial), `<a href="${esc(certificateHref(c.subsystem_id))}">${code(c.subsystem_id)}</a>`, esc(when(v.lang, c.issued_at)), esc(when(v.lang, c.not_after)),
      `${status(c)}${c.revoked_reason ? ` <small>(${esc(c.revoked_reason)})</small>` : ''}`,
      ...(v.canChange ? [c.revoked_at !== null ? '–' : `<form method="post" action="${REGISTRY_PATHS.revokeCertificate}" class="inline-form" data-confirm="${esc(t.confirmCert)}">${csrfField(v.csrf)}`
        + `<input type="hidden" name="serial" value="${esc(c.serial)}"><label class="visually-hidden" for="reason-${esc(c.serial)}">${esc(t.reason)}</label>`
        + `<input id="reason-${esc(c.serial)}" name="reason" placeholder="${esc(t.reason)}" maxlength="1000">`
        + `<button type="submit" class="button-danger" aria-label="${esc(t.revokeCertLabel(c.serial))}">${esc(t.revokeCert)}</button></form>`] : []),
    ]), `${t.noCerts}. ${t.noCertsText}`, { hideCaption: true })
    + issueHtml(v, certs, subsystems, chosen, now);
}

export const REGISTRY_TITLES = {
  members: { fa: 'اعضا و زیرسامانه‌ها', en: 'Members and subsystems' },
  services: { fa: 'خدمات', en: 'Services' },
  service: { fa: 'خدمت و قرارداد آن', en: 'Service and its contract' },
  access: { fa: 'مجوزهای دسترسی', en: 'Access rights' },
  certificates: { fa: 'گواهی‌ها', en: 'Certificates' },
} as const;
