/**
 * The yearly ledger's arithmetic (2.2.2: the advocate records their hours; 12.2: accounting per calendar year;
 * 10.6: an academic hour is 45 minutes). Pure: no I/O.
 */
import { academicHours, kzDate } from "./time.js";

/** 12.2: a certificate counts in the calendar year, in Kazakhstan, in which its event ended. */
export function ledgerYearOf(eventEnd: string): number {
  return Number(kzDate(eventEnd).slice(0, 4));
}

export interface Totals {
  certificates: number;
  durationMinutes: number;
  /** 10.6: summed in minutes first, then turned into academic hours once, so rounding never accumulates. */
  academicHours: number;
}

export interface LedgerTotals {
  total: Totals;
  byProgramme: Record<string, Totals>;
  byForm: Record<string, Totals>;
}

export function ledgerTotals(entries: readonly { programme: string; form: string; durationMinutes: number }[]): LedgerTotals {
  const add = (map: Map<string, { n: number; minutes: number }>, key: string, minutes: number) => {
    const t = map.get(key) ?? { n: 0, minutes: 0 };
    t.n += 1;
    t.minutes += minutes;
    map.set(key, t);
  };
  const programmes = new Map<string, { n: number; minutes: number }>();
  const forms = new Map<string, { n: number; minutes: number }>();
  let minutes = 0;
  for (const e of entries) {
    minutes += e.durationMinutes;
    add(programmes, e.programme, e.durationMinutes);
    add(forms, e.form, e.durationMinutes);
  }
  const totals = (n: number, m: number): Totals => ({ certificates: n, durationMinutes: m, academicHours: academicHours(m) });
  const record = (map: Map<string, { n: number; minutes: number }>) => Object.fromEntries([...map].map(([k, v]) => [k, totals(v.n, v.minutes)]));
  return { total: totals(entries.length, minutes), byProgramme: record(programmes), byForm: record(forms) };
}
