// The registry's coded refusals as sentences a person understands, in the page's language, with the
// form field they concern so the page can put the message beside it. The registry's own detail is
// technical English (it names fields as the API does); it is shown only as a secondary line, escaped,
// with the code, so an operator can quote it to support. Never a stack.
import { Errors, isTabadolError } from '../../../errors/catalogue.ts';
import type { Lang } from './format.ts';

export interface Explained {
  /** The sentence for the person. */
  text: string;
  /** The form field it concerns, when the refusal names one. */
  field?: string;
  /** The coded type and the registry's detail, for support. */
  type: string;
  detail: string;
  status: number;
}

type Sentences = Record<string, { fa: string; en: string }>;

/** Field-specific sentences for Admin.InvalidInput, by the field the detail starts with. */
const FIELDS: Sentences = {
  memberClass: { fa: 'ردهٔ عضو را انتخاب کنید: GOV برای دستگاه‌های دولتی، COM برای شرکت‌ها.', en: 'Choose the member class: GOV for government agencies, COM for companies.' },
  memberCode: { fa: 'کد عضو فقط می‌تواند حرف و رقم لاتین و نشانه‌های \' ( ) + , - . = ? داشته باشد (مانند NOCR)، بدون «/» و بیش از ۲۵۵ نویسه.', en: 'The member code may contain only Latin letters, digits and \' ( ) + , - . = ? (for example NOCR), no "/", at most 255 characters.' },
  name: { fa: 'نام را بنویسید (حداکثر ۲۰۰ نویسه، بدون نویسه‌های کنترلی).', en: 'Write the name (at most 200 characters, no control characters).' },
  nameFa: { fa: 'نام فارسی حداکثر ۲۰۰ نویسه است و نویسهٔ کنترلی نمی‌پذیرد.', en: 'The Persian name is at most 200 characters, with no control characters.' },
  serviceId: { fa: 'شناسهٔ خدمت باید به شکل IR/GOV/عضو/زیرسامانه/خدمت باشد و زیرسامانهٔ آن ثبت شده باشد.', en: 'The service id must read IR/CLASS/MEMBER/SUBSYSTEM/SERVICE, of a registered subsystem.' },
  title: { fa: 'عنوان خدمت را بنویسید (حداکثر ۲۰۰ نویسه).', en: 'Write the service\'s title (at most 200 characters).' },
  baseUrl: { fa: 'نشانی پایهٔ ارائه‌دهنده باید یک نشانی http یا https کامل باشد، بدون نام کاربری، رمز، پرس‌وجو یا #؛ نشانی‌های داخلی این رایانه باید نخست در فهرست مجاز میزبان‌ها باشند.', en: 'The provider\'s base URL must be a full http or https address without user name, password, query or "#"; addresses on this machine must be on the allowed provider hosts first.' },
  timeoutMs: { fa: 'مهلت پاسخ باید عددی از ۱ تا ۳۰۰۰۰۰ میلی‌ثانیه باشد.', en: 'The timeout must be a number of milliseconds from 1 to 300000.' },
  maxRatePerSecond: { fa: 'سقف نرخ باید عدد صحیح مثبت باشد.', en: 'The rate limit must be a positive whole number.' },
  subject: { fa: 'استعلام‌کننده را از فهرست زیرسامانه‌ها یا گروه‌ها انتخاب کنید.', en: 'Choose the consumer from the list of subsystems or groups.' },
  legalBasis: { fa: 'مبنای قانونی را بنویسید، مانند «قانون ثبت احوال، مادهٔ ۱» (حداکثر ۱۰۰۰ نویسه).', en: 'Write the legal basis, e.g. "Civil Registration Act, art. 1" (at most 1000 characters).' },
  method: { fa: 'برای محدود کردن به یک نقطهٔ دسترسی، هم روش و هم مسیر را از قرارداد خدمت بنویسید؛ وگرنه هر دو را خالی بگذارید.', en: 'To limit the right to one endpoint, give both the method and the path from the service\'s contract; otherwise leave both empty.' },
  path: { fa: 'برای محدود کردن به یک نقطهٔ دسترسی، هم روش و هم مسیر را از قرارداد خدمت بنویسید؛ وگرنه هر دو را خالی بگذارید.', en: 'To limit the right to one endpoint, give both the method and the path from the service\'s contract; otherwise leave both empty.' },
  validFrom: { fa: 'تاریخ آغاز اعتبار را به شکل ISO 8601 بنویسید (مانند 2025-03-21) یا خالی بگذارید.', en: 'Write the start of validity as an ISO 8601 date (e.g. 2025-03-21) or leave it empty.' },
  validUntil: { fa: 'پایان اعتبار باید تاریخی ISO 8601 و پس از آغاز آن باشد، یا خالی بماند.', en: 'The end of validity must be an ISO 8601 date after its start, or empty.' },
  reason: { fa: 'دلیل ابطال حداکثر ۱۰۰۰ نویسه است.', en: 'The reason is at most 1000 characters.' },
  serial: { fa: 'شمارهٔ سریال گواهی را به صورت هگزادسیمال بنویسید (مانند 3F2A…).', en: 'Write the certificate\'s serial in hexadecimal (e.g. 3F2A…).' },
  contract: { fa: 'قرارداد باید یک سند JSON معتبر OpenAPI 3.1 باشد.', en: 'The contract must be a valid OpenAPI 3.1 document in JSON.' },
  id: { fa: 'این حق دسترسی شناخته نشد؛ صفحه را دوباره بارگذاری کنید.', en: 'This access right was not recognised; reload the page.' },
};

const BY_TYPE: Sentences = {
  [Errors.InvalidContract.type]: { fa: 'قرارداد خدمت پذیرفته نشد: سند باید OpenAPI 3.1 باشد، هر نقطهٔ دسترسی پاسخ‌هایی با طرح‌واره داشته باشد و ارجاع بیرونی نداشته باشد. جزئیات زیر را ببینید، قرارداد را اصلاح کنید و دوباره بفرستید.', en: 'The service contract was not accepted: it must be OpenAPI 3.1, each endpoint with responses and schemas, and no external references. See the details below, correct the contract and send it again.' },
  [Errors.AlreadyExists.type]: { fa: 'این شناسه پیش‌تر ثبت شده است (شاید با حروف بزرگ و کوچک دیگر). شناسهٔ دیگری انتخاب کنید یا همان مورد موجود را در فهرست ببینید.', en: 'This identifier is already registered (perhaps in other letter case). Choose another, or find the existing one in the list.' },
  [Errors.NotFound.type]: { fa: 'موردی که به آن اشاره شد در دفتر ثبت نیست؛ شاید پیش‌تر حذف یا ابطال شده است. صفحه را دوباره بارگذاری کنید.', en: 'What the form refers to is not in the registry; it may have been removed or revoked already. Reload the page.' },
  [Errors.Conflict.type]: { fa: 'این تغییر با وضع کنونی دفتر ثبت سازگار نیست (مثلاً گواهی پیش‌تر ابطال شده است). جزئیات زیر را ببینید.', en: 'This change conflicts with the registry as it stands (for example, the certificate was revoked already). See the details below.' },
  [Errors.PortalForbidden.type]: { fa: 'نقش شما اجازهٔ این تغییر را نمی‌دهد؛ تغییر دفتر ثبت فقط با گردانندگان تبادل است.', en: 'Your role may not make this change; only operators change the registry.' },
};

const GENERIC = { fa: 'ورودی پذیرفته نشد. جزئیات زیر را ببینید، فرم را اصلاح کنید و دوباره بفرستید.', en: 'The input was not accepted. See the details below, correct the form and send it again.' };
const FAILED = { fa: 'تغییر انجام نشد، چون سامانه با خطای پیش‌بینی‌نشده روبه‌رو شد. چند لحظه بعد دوباره امتحان کنید و اگر تکرار شد، شمارهٔ پیگیری را به پشتیبانی بدهید.', en: 'The change was not made: the system failed unexpectedly. Try again in a moment, and if it happens again, give support the reference number.' };

/** The registry's detail: the error's message after the catalogue's sentence. */
function detailOf(message: string, specMessage: string): string {
  return message.startsWith(`${specMessage}: `) ? message.slice(specMessage.length + 2) : message === specMessage ? '' : message;
}

export function explain(lang: Lang, err: unknown, fieldHint?: string): Explained {
  if (!isTabadolError(err) || err.status >= 500) {
    return { text: FAILED[lang], type: isTabadolError(err) ? err.type : Errors.PortalInternalError.type, detail: '', status: 500 };
  }
  const detail = detailOf(err.message, err.spec.message);
  if (err.spec === Errors.InvalidInput || err.type === Errors.InvalidInput.type) {
    const field = Object.keys(FIELDS).find((f) => detail.startsWith(`${f} `) || detail.startsWith(`${f}:`))
      ?? (detail.startsWith('the contract of') ? 'path' : undefined)
      ?? (/serial/i.test(detail) ? 'serial' : undefined) ?? fieldHint;
    const sentence = field ? FIELDS[field] : undefined;
    return { text: (sentence ?? GENERIC)[lang], ...(field ? { field } : {}), type: err.type, detail, status: err.status };
  }
  const sentence = BY_TYPE[err.type];
  const field = err.type === Errors.InvalidContract.type ? 'contract' : fieldHint;
  return { text: (sentence ?? GENERIC)[lang], ...(field ? { field } : {}), type: err.type, detail, status: err.status };
}

