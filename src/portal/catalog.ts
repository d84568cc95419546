// The open-data catalogue in the shape of DCAT-AP (W3C DCAT 3, with DCAT-AP's mandatory and
// recommended properties), written as JSON-LD with its context inline, so that it reads as plain JSON
// too and nothing is fetched from elsewhere. Addresses are relative to the portal (resolved against
// the catalogue's own URL, JSON-LD 1.1 §4.1.2): a Host header is the caller's, never trusted.
import { createHash } from 'node:crypto';
import { formatJalali, jalaliMonthLength, jalaliToGregorian, toPersianDigits, type JalaliDate } from '../dates/jalali.ts';
import { COLUMN_NOTES, MEDIA_TYPES, type RenderedFile } from './open-data-files.ts';
import type { TableName } from './open-data-tables.ts';
import { THRESHOLD } from './suppression.ts';

/** Creative Commons Attribution 4.0: reuse for any purpose, naming the source. */
export const LICENCE = 'https://creativecommons.org/licenses/by/4.0/';
export const OPEN_DATA_ROOT = '/open-data';

export interface PublishedMonth {
  year: number;
  month: number;
  /** The first instant after the month in Tehran: when its figures became final. */
  closedAt: Date;
  files: Record<TableName, RenderedFile[]>;
}

const MONTHS_FA = ['فروردین', 'اردیبهشت', 'خرداد', 'تیر', 'مرداد', 'شهریور', 'مهر', 'آبان', 'آذر', 'دی', 'بهمن', 'اسفند'];
const MONTHS_EN = ['Farvardin', 'Ordibehesht', 'Khordad', 'Tir', 'Mordad', 'Shahrivar', 'Mehr', 'Aban', 'Azar', 'Dey', 'Bahman', 'Esfand'];

const TITLES: Record<TableName, { fa: string; en: string; keywordsFa: string[]; keywordsEn: string[] }> = {
  providers: { fa: 'استعلام‌ها به تفکیک سامانه‌ی ارائه‌دهنده', en: 'Inquiries per provider subsystem', keywordsFa: ['ارائه‌دهنده'], keywordsEn: ['provider'] },
  consumers: { fa: 'استعلام‌ها به تفکیک سامانه‌ی مصرف‌کننده', en: 'Inquiries per consumer subsystem', keywordsFa: ['مصرف‌کننده'], keywordsEn: ['consumer'] },
  services: { fa: 'استعلام‌ها به تفکیک خدمت', en: 'Inquiries per service', keywordsFa: ['خدمت'], keywordsEn: ['service'] },
};

const lang = (fa: string, en: string) => [{ '@language': 'fa', '@value': fa }, { '@language': 'en', '@value': en }];
const isoDate = (d: JalaliDate) => {
  const g = jalaliToGregorian(d);
  return `${String(g.year).padStart(4, '0')}-${String(g.month).padStart(2, '0')}-${String(g.day).padStart(2, '0')}`;
};

export const monthPath = (year: number, month: number) => `${OPEN_DATA_ROOT}/${year}/${String(month).padStart(2, '0')}`;

export function datasetId(instance: string, table: TableName, year: number, month: number): string {
  return `${instance}-inquiries-${table}-${year}-${String(month).padStart(2, '0')}`;
}

export function buildCatalog(o: { instance: string; nodeId: string; months: readonly PublishedMonth[] }): object {
  const issued = o.months.map((m) => m.closedAt.toISOString()).sort();
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
      spdx: 'http://spdx.org/rdf/terms#',
      tabadol: 'urn:tabadol:open-data:',
      'dcat:downloadURL': { '@type': '@id' },
      'dcat:accessURL': { '@type': '@id' },
      'dct:license': { '@type': '@id' },
      'dct:issued': { '@type': 'xsd:dateTime' },
      'dct:modified': { '@type': 'xsd:dateTime' },
      'dcat:startDate': { '@type': 'xsd:date' },
      'dcat:endDate': { '@type': 'xsd:date' },
      'dcat:byteSize': { '@type': 'xsd:nonNegativeInteger' },
    },
    '@id': `${OPEN_DATA_ROOT}/catalog.json`,
    '@type': 'dcat:Catalog',
    'dct:title': lang('داده‌های باز تبادل', 'Tabadol open data'),
    'dct:description': lang(
      `آمار ماهانه‌ی استعلام‌های تبادل (${o.instance}) به تفکیک ارائه‌دهنده، مصرف‌کننده و خدمت، فقط برای ماه‌های کامل‌شده‌ی خورشیدی. هیچ داده‌ی شخصی در آن نیست: تنها شناسه‌ی سازمان‌ها، سامانه‌ها و خدمات. شمارهای کمتر از ${toPersianDigits(String(THRESHOLD))} منتشر نمی‌شوند.`,
      `Monthly statistics of the inquiries through the Tabadol exchange (${o.instance}) per provider, consumer and service, for complete Jalali months only. No personal data: identifiers of organisations, their subsystems and services only. Counts under ${THRESHOLD} are withheld.`,
    ),
    'dct:publisher': {
      '@type': 'foaf:Agent',
      'foaf:name': lang(`تبادل، مرکز ملی تبادل اطلاعات (${o.instance})`, `Tabadol national information exchange (${o.instance})`),
      'dct:identifier': `${o.instance}/${o.nodeId}`,
    },
    'dct:license': LICENCE,
    'dct:language': ['fa', 'en'],
    ...(issued.length > 0 ? { 'dct:issued': issued[0], 'dct:modified': issued[issued.length - 1] } : {}),
    'dcat:dataset': o.months.flatMap((m) => (Object.keys(m.files) as TableName[]).map((t) => dataset(o.instance, t, m))),
  };
}

function dataset(instance: string, table: TableName, m: PublishedMonth): object {
  const t = TITLES[table];
  const first = { year: m.year, month: m.month, day: 1 };
  const last = { ...first, day: jalaliMonthLength(m.year, m.month) };
  const label = formatJalali(first).slice(0, 7);
  const monthFa = `${MONTHS_FA[m.month - 1]} ${toPersianDigits(String(m.year))}`;
  const monthEn = `${MONTHS_EN[m.month - 1]} ${m.year} (${label})`;
  const closed = m.closedAt.toISOString();
  return {
    '@id': `${monthPath(m.year, m.month)}/${table}`,
    '@type': 'dcat:Dataset',
    'dct:identifier': datasetId(instance, table, m.year, m.month),
    'dct:title': lang(`${t.fa}، ${monthFa}`, `${t.en}, ${monthEn}`),
    'dct:description': lang(COLUMN_NOTES.fa, COLUMN_NOTES.en),
    'dct:temporal': {
      '@type': 'dct:PeriodOfTime',
      'dcat:startDate': isoDate(first),
      'dcat:endDate': isoDate(last),
      'tabadol:jalaliStart': formatJalali(first),
      'tabadol:jalaliEnd': formatJalali(last),
    },
    'dcat:temporalResolution': 'P1M',
    'dcat:keyword': [
      ...['تبادل', 'استعلام', 'دولت الکترونیک', 'آمار', ...t.keywordsFa].map((k) => ({ '@language': 'fa', '@value': k })),
      ...['information exchange', 'inquiries', 'e-government', 'statistics', ...t.keywordsEn].map((k) => ({ '@language': 'en', '@value': k })),
    ],
    'dct:issued': closed,
    'dct:modified': closed,
    'dct:license': LICENCE,
    'dcat:distribution': m.files[table].map((f) => ({
      '@type': 'dcat:Distribution',
      'dct:title': lang(`${t.fa}، ${monthFa} (${f.format.toUpperCase()})`, `${t.en}, ${monthEn} (${f.format.toUpperCase()})`),
      'dct:format': f.format.toUpperCase(),
      'dcat:mediaType': MEDIA_TYPES[f.format],
      'dcat:byteSize': f.body.length,
      'dcat:downloadURL': `${monthPath(m.year, m.month)}/${f.name}`,
      'dcat:accessURL': `${OPEN_DATA_ROOT}/catalog.json`,
      'dct:license': LICENCE,
      'dct:issued': closed,
      // DCAT-AP's checksum property (SPDX 2.3 Checksum), so a download can be checked.
      'spdx:checksum': { '@type': 'spdx:Checksum', 'spdx:algorithm': 'spdx:checksumAlgorithm_sha256', 'spdx:checksumValue': createHash('sha256').update(f.body).digest('hex') },
    })),
  };
}
