// The files of one month: each table as CSV (RFC 4180, csv.ts) and as JSON, with the same columns.
// A withheld cell is empty in CSV and null in JSON, and its row says so (`suppressed`, and in JSON
// `suppressedFields`).
import { toCsv, type CsvValue } from './csv.ts';
import { COUNT_FIELDS, OTHER, type OpenRow, type TableName } from './open-data-tables.ts';
import { THRESHOLD } from './suppression.ts';

export const MEDIA_TYPES = { csv: 'text/csv', json: 'application/json' } as const;
export type FileFormat = keyof typeof MEDIA_TYPES;

interface Column { csv: string; json: string; get: (r: OpenRow, month: string) => CsvValue }

const count = (f: (typeof COUNT_FIELDS)[number]): Column => ({
  csv: f, json: f, get: (r) => (r.cells[f].suppressed ? null : r.cells[f].value),
});

const KEY_COLUMN: Record<TableName, Pick<Column, 'csv' | 'json'>> = {
  providers: { csv: 'provider_subsystem', json: 'providerSubsystem' },
  consumers: { csv: 'consumer_subsystem', json: 'consumerSubsystem' },
  services: { csv: 'service', json: 'service' },
};

function columns(table: TableName): Column[] {
  return [
    { csv: 'month', json: 'month', get: (_r, m) => m },
    { ...KEY_COLUMN[table], get: (r) => r.key },
    ...(table === 'services' ? [
      { csv: 'service_title', json: 'serviceTitle', get: (r: OpenRow) => r.title },
      { csv: 'provider_subsystem', json: 'providerSubsystem', get: (r: OpenRow) => r.provider },
    ] : []),
    { csv: 'agency', json: 'agency', get: (r) => r.agency },
    { csv: 'agency_name_fa', json: 'agencyNameFa', get: (r) => r.agencyNameFa },
    { csv: 'agency_name_en', json: 'agencyNameEn', get: (r) => r.agencyNameEn },
    ...COUNT_FIELDS.map(count),
    { csv: 'p50_ms', json: 'p50Ms', get: (r) => r.p50Ms },
    { csv: 'p95_ms', json: 'p95Ms', get: (r) => r.p95Ms },
    { csv: 'suppressed', json: 'suppressed', get: (r) => COUNT_FIELDS.some((f) => r.cells[f].suppressed) },
  ];
}

/** What each column holds, for the JSON file and the catalogue. */
export const COLUMN_NOTES = {
  en: `inquiries: exchanges the consumer made through the exchange in the month (Tehran time); answered: the provider answered (a "not found" included); refused: the exchange refused the caller (no access right, a malformed request, an unknown service); failed: the provider or the exchange failed; p50_ms, p95_ms: median and 95th-percentile time through the exchange in milliseconds, from log-scale histograms (error under the bucket width). "${OTHER}": callers and services this exchange does not have registered, counted together and never named. A count from 1 to ${THRESHOLD - 1} is withheld (empty in CSV, null in JSON), not rounded, and so is a second cell wherever the withheld one could be recovered by subtracting published figures (a row's total, a column's total, a provider's services); such rows have suppressed = true. Zero is published.`,
  fa: `inquiries: تعداد استعلام‌هایی که مصرف‌کننده در ماه (به وقت تهران) از راه تبادل انجام داده است؛ answered: پاسخ داده‌شده از سوی ارائه‌دهنده (از جمله «یافت نشد»)؛ refused: ردشده از سوی تبادل (نبود مجوز دسترسی، درخواست نادرست، خدمت ناشناخته)؛ failed: خطای ارائه‌دهنده یا تبادل؛ p50_ms و p95_ms: میانه و صدک ۹۵ زمان پاسخ به میلی‌ثانیه. «${OTHER}»: فراخوان‌ها و خدماتی که در تبادل ثبت نشده‌اند، با هم شمرده می‌شوند و نامشان منتشر نمی‌شود. هر شماری از ۱ تا ${THRESHOLD - 1} منتشر نمی‌شود (در CSV خالی و در JSON برابر null) و گرد نمی‌شود؛ هر جا که بتوان آن را با تفریق ارقام منتشرشده بازیافت، خانه‌ی دیگری هم منتشر نمی‌شود؛ در این ردیف‌ها suppressed برابر true است. صفر منتشر می‌شود.`,
} as const;

export interface RenderedFile { name: string; format: FileFormat; body: Buffer }

export function renderTable(table: TableName, month: string, datasetId: string, rows: readonly OpenRow[]): RenderedFile[] {
  const cols = columns(table);
  const csv = toCsv(cols.map((c) => c.csv), rows.map((r) => cols.map((c) => c.get(r, month))));
  const json = {
    dataset: datasetId,
    month,
    suppressionThreshold: THRESHOLD,
    notes: COLUMN_NOTES,
    rows: rows.map((r) => {
      const o: Record<string, unknown> = {};
      for (const c of cols) o[c.json] = c.get(r, month);
      o.suppressedFields = COUNT_FIELDS.filter((f) => r.cells[f].suppressed);
      return o;
    }),
  };
  return [
    { name: `${table}.csv`, format: 'csv', body: Buffer.from(csv, 'utf8') },
    { name: `${table}.json`, format: 'json', body: Buffer.from(JSON.stringify(json, null, 1) + '\n', 'utf8') },
  ];
}
