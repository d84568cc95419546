// The words of the citizen's pages, Persian first and English on the switch. Plain words a citizen
// understands; each refusal says what to do next.

export type Lang = 'fa' | 'en';

export function langOf(v: unknown): Lang {
  return v === 'en' ? 'en' : 'fa';
}

export interface CitizenText {
  dir: 'rtl' | 'ltr';
  site: string;
  skip: string;
  banner: string;
  bannerMore: string;
  title: string;
  intro: string;
  formTitle: string;
  nationalCode: string;
  nationalCodeHint: string;
  from: string;
  to: string;
  dateHint: string;
  submit: string;
  switchLabel: string;
  otherLang: { code: Lang; name: string };
  resultsTitle: string;
  period(from: string, to: string): string;
  onPage(n: string): string;
  caption: string;
  cols: { when: string; who: string; what: string; why: string; outcome: string; ref: string };
  answered: string;
  refused: string;
  notStated: string;
  asked: string;
  more: string;
  newSearch: string;
  empty: string;
  emptyWhat: string;
  omitted: string;
  /** Some nodes could not be searched now: the list may miss what they recorded. */
  incomplete(nodes: string): string;
  problems: string;
  badCode: string;
  badFrom: string;
  badTo: string;
  fromAfterTo: string;
  badForm: string;
  unavailableTitle: string;
  unavailable: string;
  refusedTitle: string;
  crossSite: string;
  tooLarge: string;
  mediaType: string;
  notFound: string;
  failed: string;
  errorCode: string;
  backToForm: string;
  footer: string;
}

const fa: CitizenText = {
  dir: 'rtl',
  site: 'تبادل — درگاه شهروندان',
  skip: 'پرش به محتوای اصلی',
  banner: 'ورود آزمایشی — جایگزین موقت ورود ملی؛ فقط برای توسعه',
  bannerMore: 'در این نسخهٔ توسعه هر کسی می‌تواند هر کد ملی را وارد کند. در سامانهٔ واقعی، شهروند با ورود ملی شناخته می‌شود و فقط فهرست خودش را می‌بیند.',
  title: 'چه کسانی اطلاعات مرا استعلام کرده‌اند؟',
  intro: 'فهرست استعلام‌هایی که دستگاه‌ها از راه مرکز تبادل اطلاعات دربارهٔ شما کرده‌اند: کدام دستگاه و کدام سامانه، چه خدمتی، چه زمانی و به چه منظور.',
  formTitle: 'ورود و انتخاب بازهٔ زمانی',
  nationalCode: 'کد ملی',
  nationalCodeHint: 'ده رقم، با رقم کنترل؛ با رقم‌های فارسی یا لاتین.',
  from: 'از تاریخ',
  to: 'تا تاریخ',
  dateHint: 'تاریخ شمسی به شکل سال/ماه/روز، مانند ۱۴۰۳/۰۵/۰۱.',
  submit: 'نمایش فهرست',
  switchLabel: 'زبان',
  otherLang: { code: 'en', name: 'English' },
  resultsTitle: 'استعلام‌هایی که دربارهٔ شما شده است',
  period: (from, to) => `از ${from} تا ${to} (به وقت تهران)، تازه‌ترین در بالا.`,
  onPage: (n) => `${n} مورد در این صفحه.`,
  caption: 'استعلام‌ها، تازه‌ترین در بالا',
  cols: { when: 'زمان', who: 'درخواست‌کننده (دستگاه و سامانه)', what: 'خدمت و دستگاه پاسخ‌دهنده', why: 'منظور اعلام‌شده', outcome: 'نتیجه', ref: 'شناسهٔ پیگیری' },
  answered: 'پاسخ داده شد',
  refused: 'رد شد',
  notStated: 'اعلام نشده',
  asked: 'از',
  more: 'نمایش موارد قدیمی‌تر',
  newSearch: 'جستجوی دوباره',
  empty: 'در این بازه هیچ استعلامی دربارهٔ شما ثبت نشده است.',
  emptyWhat: 'اگر انتظار داشتید موردی ببینید، بازهٔ زمانی را بزرگ‌تر کنید و دوباره جستجو کنید.',
  omitted: 'نگاه‌های خود شما از این صفحه در فهرست نمی‌آید. درخواست‌هایی که مرکز تبادل پیش از خواندنشان رد کرده است (بدون مجوز یا نادرست) نام کسی را ندارند و در فهرست نیستند. شناسهٔ کاربری کارمندِ درخواست‌کننده فقط به سازمان بازرسی نشان داده می‌شود؛ برای شکایت، شناسهٔ پیگیری را بگویید.',
  incomplete: (nodes) => `بخشی از سوابق اکنون خوانده نشد: سوابق گره‌های استانی ${nodes} در دسترس نبود، پس استعلام‌هایی که آنجا ثبت شده‌اند ممکن است در این فهرست نباشند. کمی بعد دوباره جستجو کنید.`,
  problems: 'لطفاً این موارد را درست کنید:',
  badCode: 'کد ملی درست نیست: ده رقم با رقم کنترل درست وارد کنید.',
  badFrom: '«از تاریخ» یک تاریخ شمسی به شکل ۱۴۰۳/۰۵/۰۱ نیست.',
  badTo: '«تا تاریخ» یک تاریخ شمسی به شکل ۱۴۰۳/۰۵/۰۱ نیست.',
  fromAfterTo: '«از تاریخ» بعد از «تا تاریخ» است.',
  badForm: 'فرم کامل یا درست فرستاده نشد. صفحه را دوباره باز کنید و فرم را از نو بفرستید.',
  unavailableTitle: 'سامانهٔ ردیابی در دسترس نیست',
  unavailable: 'سامانهٔ ردیابی اکنون پاسخ نمی‌دهد. چند دقیقهٔ دیگر دوباره تلاش کنید؛ اگر مشکل ادامه داشت، کد خطا را به پشتیبانی بگویید.',
  refusedTitle: 'درخواست پذیرفته نشد',
  crossSite: 'این فرم از سایت دیگری فرستاده شده است. صفحهٔ خود درگاه را باز کنید و فرم را از همان‌جا بفرستید.',
  tooLarge: 'فرم بزرگ‌تر از اندازه‌ای است که درگاه می‌پذیرد. صفحه را دوباره باز کنید و فرم را از نو پر کنید.',
  mediaType: 'فرم به شکلی فرستاده شده که درگاه نمی‌پذیرد. صفحهٔ خود درگاه را باز کنید و فرم را از همان‌جا بفرستید.',
  notFound: 'چنین صفحه‌ای نیست.',
  failed: 'درگاه با خطای پیش‌بینی‌نشده روبه‌رو شد. دوباره تلاش کنید؛ اگر مشکل ادامه داشت، کد خطا را به پشتیبانی بگویید.',
  errorCode: 'کد خطا',
  backToForm: 'بازگشت به فرم',
  footer: 'مرکز تبادل اطلاعات — هر نگاه به این فهرست نیز مانند هر استعلام دیگری ثبت می‌شود.',
};

const en: CitizenText = {
  dir: 'ltr',
  site: 'Tabadol — citizens\' portal',
  skip: 'Skip to the main content',
  banner: 'SIMULATED national login — a development stand-in, not for production',
  bannerMore: 'In this development version anyone can type any national code. In the real service the citizen is identified by the national login and sees only their own list.',
  title: 'Who looked me up?',
  intro: 'The inquiries agencies made about you through the information exchange: which agency and which of its systems, which service, when, and for what stated purpose.',
  formTitle: 'Sign in and choose a period',
  nationalCode: 'National code',
  nationalCodeHint: 'Ten digits including the check digit; Persian or Latin digits.',
  from: 'From',
  to: 'To',
  dateHint: 'A Jalali (Solar Hijri) date written year/month/day, e.g. 1403/05/01.',
  submit: 'Show the list',
  switchLabel: 'Language',
  otherLang: { code: 'fa', name: 'فارسی' },
  resultsTitle: 'Inquiries made about you',
  period: (from, to) => `From ${from} to ${to} (Tehran time), newest first.`,
  onPage: (n) => `${n} on this page.`,
  caption: 'Inquiries, newest first',
  cols: { when: 'When', who: 'Who asked (agency and system)', what: 'Service and answering agency', why: 'Stated purpose', outcome: 'Outcome', ref: 'Reference' },
  answered: 'Answered',
  refused: 'Refused',
  notStated: 'Not stated',
  asked: 'of',
  more: 'Show older entries',
  newSearch: 'Search again',
  empty: 'No inquiry about you was recorded in this period.',
  emptyWhat: 'If you expected to see one, choose a longer period and search again.',
  omitted: 'Your own looks at this page are not listed. Requests the exchange refused before reading them (no access right, malformed) name nobody and are not listed. The official\'s user id is shown only to the General Inspection Organization; to complain, quote the reference.',
  incomplete: (nodes) => `Part of your record could not be read now: the records of the provincial nodes ${nodes} could not be reached, so inquiries recorded there may be missing from this list. Search again a little later.`,
  problems: 'Please correct the following:',
  badCode: 'The national code is not valid: enter ten digits with the correct check digit.',
  badFrom: '"From" is not a Jalali date written like 1403/05/01.',
  badTo: '"To" is not a Jalali date written like 1403/05/01.',
  fromAfterTo: '"From" is after "To".',
  badForm: 'The form did not arrive complete. Open the page again and send the form anew.',
  unavailableTitle: 'The data tracker is unavailable',
  unavailable: 'The data tracker is not answering now. Try again in a few minutes; if it keeps failing, give the error code to support.',
  refusedTitle: 'The request was refused',
  crossSite: 'This form was sent from another site. Open the portal\'s own page and send the form from there.',
  tooLarge: 'The form is larger than the portal accepts. Open the page again and fill in the form anew.',
  mediaType: 'The form was sent in a way the portal does not accept. Open the portal\'s own page and send the form from there.',
  notFound: 'There is no such page.',
  failed: 'The portal failed unexpectedly. Try again; if it keeps failing, give the error code to support.',
  errorCode: 'Error code',
  backToForm: 'Back to the form',
  footer: 'Information Exchange Center — every look at this list is recorded too, like any inquiry.',
};

export const TEXT: Record<Lang, CitizenText> = { fa, en };
