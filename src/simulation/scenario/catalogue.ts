// The providers of the 1399 scenario: the 56 agencies of the national exchange's report with 961
// services in all. The 13 reference agencies (../agencies) keep their real inquiries and get
// generated ones besides; the other 43 are SIMULATED ministries and organisations whose services
// are all generated, each a plausible inquiry (a topic of the agency × a kind of question) with a
// simple, valid contract (generated-service.ts).
//
// `services` is an agency's total, its reference services included; its topics must offer enough
// (topics × kinds of question ≥ generated services). The totals are checked by the tests.
import type { SubjectKind } from './generated-service.ts';

export type Category =
  | 'identity' | 'address' | 'telecom' | 'education' | 'finance' | 'tax' | 'vehicle' | 'military' | 'judicial'
  | 'travel' | 'insurance' | 'statistics' | 'property' | 'welfare' | 'health' | 'business' | 'customs'
  | 'transport' | 'utilities' | 'agriculture' | 'environment' | 'culture' | 'civil' | 'government';

/** A thing an agency keeps records of, in English and Persian, and what names it: a person, a company… */
export type Topic = readonly [en: string, fa: string, kind: SubjectKind];

export interface ProviderEntry {
  readonly memberCode: string;
  readonly nameEn: string;
  readonly nameFa: string;
  readonly category: Category;
  /** All of the agency's services, reference ones included. */
  readonly services: number;
  readonly topics: readonly Topic[];
}

const P = (memberCode: string, nameEn: string, nameFa: string, category: Category, services: number, topics: Topic[]): ProviderEntry =>
  ({ memberCode, nameEn, nameFa, category, services, topics });

/** The reference agencies (../agencies/demo.ts), by member code, with their generated extras. */
export const REFERENCE_PROVIDERS: readonly ProviderEntry[] = [
  P('NOCR', 'National Organization for Civil Registration', 'سازمان ثبت احوال کشور', 'identity', 28, [
    ['Birth certificate', 'شناسنامه', 'nationalCode'], ['Death record', 'گواهی فوت', 'nationalCode'],
    ['National smart card', 'کارت هوشمند ملی', 'nationalCode'], ['Facial photo', 'تصویر چهره', 'nationalCode'],
    ['Birth registration', 'ثبت ولادت', 'nationalCode']]),
  P('POST', 'Iran National Post Company', 'شرکت ملی پست', 'address', 16, [
    ['Postal code', 'کد پستی', 'postalCode'], ['Parcel delivery', 'مرسوله پستی', 'nationalCode'], ['Electronic address', 'نشانی الکترونیک', 'nationalCode']]),
  P('CRA', 'Communications Regulatory Authority', 'سازمان تنظیم مقررات و ارتباطات رادیویی', 'telecom', 18, [
    ['SIM cards of a person', 'سیم‌کارت‌های اشخاص', 'nationalCode'], ['Mobile line', 'خط تلفن همراه', 'nationalCode'],
    ['Internet provider licence', 'پروانه ارائه‌دهنده اینترنت', 'legalId']]),
  P('MSRT', 'Ministry of Science, Research and Technology', 'وزارت علوم، تحقیقات و فناوری', 'education', 20, [
    ['Student record', 'پرونده دانشجویی', 'nationalCode'], ['Scholarship', 'بورس تحصیلی', 'nationalCode'],
    ['Foreign degree equivalence', 'ارزشیابی مدرک خارجی', 'nationalCode'], ['Higher education institute licence', 'مجوز مؤسسه آموزش عالی', 'legalId']]),
  P('MOE', 'Ministry of Education', 'وزارت آموزش و پرورش', 'education', 14, [
    ['School enrolment', 'ثبت‌نام مدرسه', 'nationalCode'], ['Teacher employment', 'استخدام معلم', 'nationalCode'],
    ['Non-state school licence', 'مجوز مدرسه غیردولتی', 'legalId']]),
  P('CBI', 'Central Bank of the Islamic Republic of Iran', 'بانک مرکزی جمهوری اسلامی ایران', 'finance', 24, [
    ['Returned cheques', 'چک برگشتی', 'nationalCode'], ['Credit rating', 'رتبه اعتباری', 'nationalCode'],
    ['Bank facilities', 'تسهیلات بانکی', 'nationalCode'], ['Currency allocation', 'تخصیص ارز', 'legalId']]),
  P('INTA', 'Iranian National Tax Administration', 'سازمان امور مالیاتی کشور', 'tax', 26, [
    ['Tax return', 'اظهارنامه مالیاتی', 'nationalCode'], ['Tax clearance', 'مفاصاحساب مالیاتی', 'nationalCode'],
    ['VAT registration', 'ثبت‌نام ارزش افزوده', 'legalId'], ['Corporate income tax', 'مالیات عملکرد اشخاص حقوقی', 'legalId'],
    ['Property transfer tax', 'مالیات نقل و انتقال املاک', 'postalCode']]),
  P('POLICE', 'Police (FARAJA)', 'فرماندهی انتظامی جمهوری اسلامی ایران', 'vehicle', 30, [
    ['Traffic fines', 'خلافی خودرو', 'plate'], ['Passport', 'گذرنامه', 'nationalCode'], ['Criminal record', 'سوءپیشینه', 'nationalCode'],
    ['Weapon permit', 'پروانه حمل سلاح', 'nationalCode'], ['Vehicle transfer', 'نقل و انتقال خودرو', 'plate']]),
  P('CONSCRIPTION', 'General Conscription Organization', 'سازمان وظیفه عمومی', 'military', 10, [
    ['Conscript exit permit', 'مجوز خروج مشمولان', 'nationalCode'], ['Service deferral', 'کفالت و معافیت', 'nationalCode']]),
  P('JUDICIARY', 'Judiciary of the Islamic Republic of Iran', 'قوه قضاییه', 'judicial', 30, [
    ['Electronic notice', 'ابلاغ الکترونیک', 'nationalCode'], ['Court case', 'پرونده قضایی', 'nationalCode'],
    ['Travel ban', 'ممنوع‌الخروجی', 'nationalCode'], ['Attachment of property', 'توقیف اموال', 'nationalCode'],
    ['Lawyer licence', 'پروانه وکالت', 'nationalCode']]),
  P('MFA', 'Ministry of Foreign Affairs', 'وزارت امور خارجه', 'travel', 8, [
    ['Consular document', 'اسناد کنسولی', 'nationalCode'], ['Visa', 'روادید', 'nationalCode']]),
  P('CII', 'Central Insurance of Iran', 'بیمه مرکزی جمهوری اسلامی ایران', 'insurance', 14, [
    ['Insurer licence', 'مجوز شرکت بیمه', 'legalId'], ['Insurance agent licence', 'پروانه نمایندگی بیمه', 'nationalCode'],
    ['Vehicle claims', 'خسارت خودرو', 'plate']]),
  P('SCI', 'Statistical Centre of Iran', 'مرکز آمار ایران', 'statistics', 6, [['Census household', 'خانوار سرشماری', 'postalCode']]),
];

/** The other agencies of the report, all of whose services are generated. */
export const GENERATED_PROVIDERS: readonly ProviderEntry[] = [
  P('SSAA', 'Organization for Registration of Deeds and Properties', 'سازمان ثبت اسناد و املاک کشور', 'property', 36, [
    ['Property deed', 'سند مالکیت', 'nationalCode'], ['Company registration', 'ثبت شرکت', 'legalId'], ['Notarial deed', 'سند رسمی', 'nationalCode'],
    ['Power of attorney', 'وکالت‌نامه', 'nationalCode'], ['Mortgage', 'سند رهنی', 'nationalCode'], ['Land register', 'ثبت املاک', 'postalCode']]),
  P('SSO', 'Social Security Organization', 'سازمان تأمین اجتماعی', 'welfare', 36, [
    ['Insurance record', 'سابقه بیمه', 'nationalCode'], ['Employer debt', 'بدهی کارفرما', 'legalId'], ['Pension', 'مستمری', 'nationalCode'],
    ['Insured employment', 'اشتغال بیمه‌شده', 'nationalCode'], ['Medical booklet', 'دفترچه درمانی', 'nationalCode'],
    ['Sick-leave allowance', 'غرامت دستمزد', 'nationalCode']]),
  P('MOHME', 'Ministry of Health and Medical Education', 'وزارت بهداشت، درمان و آموزش پزشکی', 'health', 30, [
    ['Medical licence', 'پروانه طبابت', 'nationalCode'], ['Vaccination', 'واکسیناسیون', 'nationalCode'], ['Pharmacy licence', 'پروانه داروخانه', 'legalId'],
    ['Health card', 'کارت بهداشت', 'nationalCode'], ['Electronic health record', 'پرونده الکترونیک سلامت', 'nationalCode']]),
  P('IHIO', 'Iran Health Insurance Organization', 'سازمان بیمه سلامت ایران', 'health', 18, [
    ['Health insurance cover', 'پوشش بیمه سلامت', 'nationalCode'], ['Electronic prescription', 'نسخه الکترونیک', 'nationalCode'],
    ['Family physician', 'پزشک خانواده', 'nationalCode']]),
  P('MCLS', 'Ministry of Cooperatives, Labour and Social Welfare', 'وزارت تعاون، کار و رفاه اجتماعی', 'welfare', 27, [
    ['Employment record', 'سابقه اشتغال', 'nationalCode'], ['Cooperative', 'شرکت تعاونی', 'legalId'], ['Unemployment insurance', 'بیمه بیکاری', 'nationalCode'],
    ['Cash subsidy', 'یارانه نقدی', 'nationalCode'], ['Employment contract', 'قرارداد کار', 'nationalCode']]),
  P('IKRF', 'Imam Khomeini Relief Foundation', 'کمیته امداد امام خمینی', 'welfare', 12, [
    ['Relief cover', 'پوشش حمایتی', 'nationalCode'], ['Housing aid', 'کمک مسکن', 'nationalCode']]),
  P('BEHZISTI', 'State Welfare Organization', 'سازمان بهزیستی کشور', 'welfare', 12, [
    ['Disability', 'معلولیت', 'nationalCode'], ['Care centre licence', 'مجوز مرکز مراقبت', 'legalId']]),
  P('CSPF', 'Civil Servants Pension Fund', 'صندوق بازنشستگی کشوری', 'welfare', 12, [
    ['Civil service pension', 'حقوق بازنشستگی کشوری', 'nationalCode'], ['Service record', 'سابقه خدمت', 'nationalCode']]),
  P('SATA', 'Armed Forces Social Security Organization', 'سازمان تأمین اجتماعی نیروهای مسلح', 'welfare', 12, [
    ['Armed forces pension', 'مستمری نیروهای مسلح', 'nationalCode'], ['Medical cover', 'پوشش درمانی', 'nationalCode']]),
  P('MIMT', 'Ministry of Industry, Mine and Trade', 'وزارت صنعت، معدن و تجارت', 'business', 30, [
    ['Trade licence', 'جواز کسب', 'nationalCode'], ['Operating licence', 'پروانه بهره‌برداری', 'legalId'], ['Mining licence', 'پروانه معدن', 'legalId'],
    ['Commercial card', 'کارت بازرگانی', 'legalId'], ['Industrial unit', 'واحد صنعتی', 'legalId']]),
  P('IRICA', 'Islamic Republic of Iran Customs Administration', 'گمرک جمهوری اسلامی ایران', 'customs', 30, [
    ['Customs declaration', 'اظهارنامه گمرکی', 'legalId'], ['Goods clearance', 'ترخیص کالا', 'legalId'], ['Passenger goods', 'کالای همراه مسافر', 'nationalCode'],
    ['Imported vehicle', 'خودروی وارداتی', 'plate'], ['Transit permit', 'مجوز ترانزیت', 'legalId']]),
  P('ICCIMA', 'Iran Chamber of Commerce, Industries, Mines and Agriculture', 'اتاق بازرگانی، صنایع، معادن و کشاورزی ایران', 'business', 12, [
    ['Chamber membership', 'عضویت اتاق', 'legalId'], ['Certificate of origin', 'گواهی مبدأ', 'legalId']]),
  P('MRUD', 'Ministry of Roads and Urban Development', 'وزارت راه و شهرسازی', 'property', 18, [
    ['Engineering licence', 'پروانه اشتغال مهندسی', 'nationalCode'], ['National housing plan', 'طرح نهضت ملی مسکن', 'nationalCode'],
    ['Real-estate transaction', 'معاملات املاک', 'postalCode']]),
  P('RMTO', 'Road Maintenance and Transportation Organization', 'سازمان راهداری و حمل و نقل جاده‌ای', 'transport', 18, [
    ['Smart driver card', 'کارت هوشمند راننده', 'nationalCode'], ['Waybill', 'بارنامه', 'plate'], ['Smart fleet card', 'کارت هوشمند ناوگان', 'plate']]),
  P('RAI', 'Railways of the Islamic Republic of Iran', 'راه‌آهن جمهوری اسلامی ایران', 'transport', 12, [
    ['Rail ticket', 'بلیت قطار', 'nationalCode'], ['Rail freight', 'حمل بار ریلی', 'legalId']]),
  P('CAO', 'Civil Aviation Organization', 'سازمان هواپیمایی کشوری', 'transport', 12, [
    ['Pilot licence', 'گواهینامه خلبانی', 'nationalCode'], ['Airline licence', 'مجوز شرکت هواپیمایی', 'legalId']]),
  P('PMO', 'Ports and Maritime Organization', 'سازمان بنادر و دریانوردی', 'transport', 12, [
    ['Seafarer certificate', 'گواهینامه دریانوردی', 'nationalCode'], ['Vessel registration', 'ثبت شناور', 'legalId']]),
  P('MOI', 'Ministry of Interior', 'وزارت کشور', 'civil', 18, [
    ['Election candidacy', 'داوطلبی انتخابات', 'nationalCode'], ['NGO registration', 'ثبت سازمان مردم‌نهاد', 'legalId'], ['Border crossing', 'تردد مرزی', 'nationalCode']]),
  P('TEHRAN-MUNICIPALITY', 'Tehran Municipality', 'شهرداری تهران', 'property', 18, [
    ['Building permit', 'پروانه ساختمان', 'postalCode'], ['Renewal levy', 'عوارض نوسازی', 'postalCode'], ['Completion certificate', 'پایان‌کار ساختمان', 'postalCode']]),
  P('NLHO', 'National Land and Housing Organization', 'سازمان ملی زمین و مسکن', 'property', 12, [
    ['Land allocation', 'واگذاری زمین', 'nationalCode'], ['Housing eligibility', 'استحقاق مسکن', 'nationalCode']]),
  P('SEO', 'Securities and Exchange Organization', 'سازمان بورس و اوراق بهادار', 'finance', 12, [
    ['Broker licence', 'مجوز کارگزاری', 'legalId'], ['Investor registration', 'ثبت‌نام سجام', 'nationalCode']]),
  P('CSDI', 'Central Securities Depository of Iran', 'شرکت سپرده‌گذاری مرکزی اوراق بهادار و تسویه وجوه', 'finance', 12, [
    ['Shareholdings', 'دارایی سهام', 'nationalCode'], ['Justice shares', 'سهام عدالت', 'nationalCode']]),
  P('MEFA', 'Ministry of Economic Affairs and Finance', 'وزارت امور اقتصادی و دارایی', 'finance', 12, [
    ['Government debt', 'بدهی دولت', 'legalId'], ['State property', 'اموال دولتی', 'legalId']]),
  P('TAVANIR', 'Iran Power Generation, Transmission and Distribution Company', 'شرکت توانیر', 'utilities', 18, [
    ['Electricity subscription', 'اشتراک برق', 'postalCode'], ['Electricity bill', 'قبض برق', 'postalCode'], ['Solar generation licence', 'مجوز نیروگاه خورشیدی', 'nationalCode']]),
  P('NIGC', 'National Iranian Gas Company', 'شرکت ملی گاز ایران', 'utilities', 12, [
    ['Gas subscription', 'اشتراک گاز', 'postalCode'], ['Gas bill', 'قبض گاز', 'postalCode']]),
  P('ABFA', 'Water and Wastewater Engineering Company', 'شرکت مهندسی آب و فاضلاب کشور', 'utilities', 12, [
    ['Water subscription', 'اشتراک آب', 'postalCode'], ['Water bill', 'قبض آب', 'postalCode']]),
  P('TCI', 'Telecommunication Company of Iran', 'شرکت مخابرات ایران', 'telecom', 12, [
    ['Landline ownership', 'مالکیت تلفن ثابت', 'nationalCode'], ['Landline bill', 'قبض تلفن ثابت', 'postalCode']]),
  P('MAJ', 'Ministry of Agriculture Jihad', 'وزارت جهاد کشاورزی', 'agriculture', 18, [
    ['Farmer card', 'کارت کشاورزی', 'nationalCode'], ['Agricultural land', 'اراضی کشاورزی', 'nationalCode'], ['Livestock unit licence', 'پروانه واحد دامداری', 'legalId']]),
  P('DOE', 'Department of Environment', 'سازمان حفاظت محیط زیست', 'environment', 12, [
    ['Hunting licence', 'پروانه شکار', 'nationalCode'], ['Environmental permit', 'مجوز زیست‌محیطی', 'legalId']]),
  P('MCTH', 'Ministry of Cultural Heritage, Tourism and Handicrafts', 'وزارت میراث فرهنگی، گردشگری و صنایع‌دستی', 'culture', 18, [
    ['Tour guide card', 'کارت راهنمای گردشگری', 'nationalCode'], ['Travel agency licence', 'مجوز دفتر خدمات مسافرتی', 'legalId'],
    ['Hotel licence', 'پروانه بهره‌برداری هتل', 'legalId']]),
  P('MCIG', 'Ministry of Culture and Islamic Guidance', 'وزارت فرهنگ و ارشاد اسلامی', 'culture', 18, [
    ['Press licence', 'پروانه نشریه', 'legalId'], ['Publisher licence', 'پروانه نشر', 'legalId'], ['Artist card', 'کارت هنرمندی', 'nationalCode']]),
  P('MSY', 'Ministry of Sport and Youth', 'وزارت ورزش و جوانان', 'culture', 12, [
    ['Coaching card', 'کارت مربیگری', 'nationalCode'], ['Sports club licence', 'مجوز باشگاه ورزشی', 'legalId']]),
  P('AWQAF', 'Endowment and Charity Organization', 'سازمان اوقاف و امور خیریه', 'culture', 12, [
    ['Endowed property', 'موقوفه', 'postalCode'], ['Charity licence', 'مجوز مؤسسه خیریه', 'legalId']]),
  P('HAJJ', 'Hajj and Pilgrimage Organization', 'سازمان حج و زیارت', 'travel', 12, [
    ['Hajj registration', 'ثبت‌نام حج', 'nationalCode'], ['Pilgrimage record', 'سابقه زیارت', 'nationalCode']]),
  P('BONYAD-SHAHID', 'Foundation of Martyrs and Veterans Affairs', 'بنیاد شهید و امور ایثارگران', 'welfare', 18, [
    ['Veteran status', 'وضعیت ایثارگری', 'nationalCode'], ['Veterans\' family cover', 'پوشش خانواده ایثارگران', 'nationalCode'],
    ['Disability percentage', 'درصد جانبازی', 'nationalCode']]),
  P('RCS', 'Iranian Red Crescent Society', 'جمعیت هلال احمر جمهوری اسلامی ایران', 'welfare', 12, [
    ['Volunteer membership', 'عضویت داوطلبان', 'nationalCode'], ['Relief received', 'امدادرسانی', 'nationalCode']]),
  P('SANJESH', 'Education Measurement and Evaluation Organization', 'سازمان سنجش آموزش کشور', 'education', 18, [
    ['Entrance exam result', 'نتیجه کنکور', 'nationalCode'], ['Exam registration', 'ثبت‌نام آزمون', 'nationalCode'], ['Language test', 'آزمون زبان', 'nationalCode']]),
  P('IAU', 'Islamic Azad University', 'دانشگاه آزاد اسلامی', 'education', 18, [
    ['Student enrolment', 'ثبت‌نام دانشجو', 'nationalCode'], ['Tuition debt', 'بدهی شهریه', 'nationalCode'], ['Graduate record', 'سابقه فارغ‌التحصیلی', 'nationalCode']]),
  P('TVTO', 'Technical and Vocational Training Organization', 'سازمان آموزش فنی و حرفه‌ای کشور', 'education', 12, [
    ['Skills certificate', 'گواهینامه مهارت', 'nationalCode'], ['Training institute licence', 'مجوز آموزشگاه آزاد', 'legalId']]),
  P('IFDA', 'Iran Food and Drug Administration', 'سازمان غذا و دارو', 'health', 18, [
    ['Product licence', 'پروانه ساخت فراورده', 'legalId'], ['Technical officer licence', 'پروانه مسئول فنی', 'nationalCode'],
    ['Drug import permit', 'مجوز واردات دارو', 'legalId']]),
  P('INSO', 'Iran National Standards Organization', 'سازمان ملی استاندارد ایران', 'business', 12, [
    ['Standard mark', 'نشان استاندارد', 'legalId'], ['Inspection company', 'شرکت بازرسی', 'legalId']]),
  P('IRIMC', 'Medical Council of the Islamic Republic of Iran', 'سازمان نظام پزشکی', 'health', 12, [
    ['Medical council membership', 'عضویت نظام پزشکی', 'nationalCode'], ['Professional conduct record', 'سابقه انتظامی پزشکی', 'nationalCode']]),
  P('ARAO', 'Administrative and Recruitment Affairs Organization', 'سازمان اداری و استخدامی کشور', 'government', 18, [
    ['Civil servant record', 'سابقه استخدام دولتی', 'nationalCode'], ['Recruitment exam', 'آزمون استخدامی', 'nationalCode'],
    ['Public-sector employment', 'اشتغال در دستگاه‌های اجرایی', 'nationalCode']]),
];

export const PROVIDERS: readonly ProviderEntry[] = [...REFERENCE_PROVIDERS, ...GENERATED_PROVIDERS];

/** The kinds of question asked of every topic: `<topic> status inquiry`, `استعلام وضعیت <topic>`, … */
export const QUESTIONS: ReadonlyArray<{ readonly code: string; readonly en: (t: string) => string; readonly fa: (t: string) => string }> = [
  { code: 'status', en: (t) => `${t} status inquiry`, fa: (t) => `استعلام وضعیت ${t}` },
  { code: 'records', en: (t) => `${t} records`, fa: (t) => `استعلام سوابق ${t}` },
  { code: 'validity', en: (t) => `${t} validity check`, fa: (t) => `استعلام اعتبار ${t}` },
  { code: 'certificate', en: (t) => `${t} certificate`, fa: (t) => `استعلام گواهی ${t}` },
  { code: 'history', en: (t) => `${t} history`, fa: (t) => `استعلام تاریخچه ${t}` },
  { code: 'registration', en: (t) => `${t} registration`, fa: (t) => `استعلام ثبت ${t}` },
];
