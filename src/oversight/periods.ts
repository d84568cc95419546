// The periods statistics are kept in: Tehran's wall-clock hour, Jalali day and Jalali month, as
// sortable text ('1399/07/15 13', '1399/07/15', '1399/07'). Tehran's offset from UTC is +03:30
// (+04:30 in summer until 2022): always a whole number of half hours, so every UTC half hour falls in
// one Tehran hour, and the label of a half hour is computed once and cached.
import { formatInstant } from '../dates/jalali.ts';

const HALF_HOUR = 1_800_000;
const cache = new Map<number, string>();

/** '1399/07/15 13': the Jalali date and hour on Tehran's clock at `epochMs`. */
export function hourLabel(epochMs: number): string {
  const slot = Math.floor(epochMs / HALF_HOUR);
  let label = cache.get(slot);
  if (label === undefined) {
    label = formatInstant(new Date(slot * HALF_HOUR)).slice(0, 13);
    // A writer sees a few slots at a time; a bounded cache keeps a replay of old records cheap too.
    if (cache.size > 4096) cache.clear();
    cache.set(slot, label);
  }
  return label;
}

export const dayOfHour = (hour: string): string => hour.slice(0, 10);
export const monthOfDay = (day: string): string => day.slice(0, 7);
