/**
 * The yearly duty and how a bar checks it (2.2, 2.3, 5.1.4, 10.2, 12.1, 12.2), as pure rules. How Senim reads the
 * clauses the source leaves open is recorded in shared/domain.md ("Readings"); every reading is a policy setting here,
 * never a constant.
 */
import type { Programme } from "./catalog.js";
import { ACADEMIC_HOUR_MINUTES } from "./time.js";

/** 10.2 in the source's own words, shown beside the setting so a bar sees what it is interpreting. */
export const FOUNDATIONS_SOURCE_WORDING = {
  kk: "10.2. Кемінде бір жыл адвокаттық жұмыс өтілі бар адвокаттар «Адвокат кәсібінің негіздері» бағдарламасы бойынша міндетті оқудан өтеді.",
  ru: "10.2 (дословно): адвокаты со стажем адвокатской работы не менее одного года проходят обязательное обучение по программе «Основы профессии адвоката». По умолчанию Сенім читает «менее одного года».",
  en: "10.2 (literal): advocates with at least one year of practice take mandatory training in the Foundations programme. Senim's default reads it as less than one year (a probable slip; see docs/compliance.md).",
} as const;

export interface FoundationsRule {
  /** `<`: advocates with less than `years` of practice must complete Foundations (default); `>=`: the literal text. */
  operator: "<" | ">=";
  years: number;
}

/** A bar's policy for one calendar year (12.2). Data, never constants: every field can be changed by the bar. */
export interface CompliancePolicy {
  /** The quota in minutes (academic hours × 45); `null` until the bar sets it: reports then show totals, not verdicts. */
  requiredMinutes: number | null;
  /** 10.2: who must complete a Foundations course that year; `null` turns the rule off. */
  foundationsRule: FoundationsRule | null;
  /** 5.1.4: credit for teaching as a percentage of the event's duration; 100 = 1:1. */
  teachingCreditPercent: number;
  /** 2.3: shrink the quota by the share of the year in which the licence was not active. */
  prorate: boolean;
}

export const DEFAULT_POLICY: CompliancePolicy = {
  requiredMinutes: null,
  foundationsRule: { operator: "<", years: 1 },
  teachingCreditPercent: 100,
  prorate: true,
};

/** A licence suspension (2.3): both dates inclusive, `until` null while it lasts. */
export interface Suspension {
  from: string;
  until: string | null;
}

/**
 * Where an entry of a member's year comes from: a certificate issued here, one in the ledger of presented certificates
 * (`ledger_entries`, 2.2.4), an outside or paper certificate the member's bar reviewed and accepted (`submissions`,
 * 2.2(2), 7.5), or self-recorded hours (`self_recorded_hours`, 2.2.2). All but the last count.
 */
export type ProvenBy = "issued" | "presented" | "accepted-by-bar" | "self-recorded";

/** One input to a member's year (not a ledger row: the report builds these from all three sources). */
export interface YearEntry {
  /** The credential's `id` (a certificate URL for Senim's own): the key that makes a certificate count once. */
  credentialId: string | null;
  minutes: number;
  programme: Programme | string;
  role: "attendee" | "teacher";
  provenBy: ProvenBy;
}

export type ComplianceStatus = "met" | "short" | "exempt" | "no-policy";

export interface MemberFacts {
  admissionDate: string;
  suspensions: readonly Suspension[];
}

export interface MemberYear {
  year: number;
  /** Whole years of practice at the end of the year (from the admission date). */
  practiceYears: number;
  activeDays: number;
  daysInYear: number;
  verifiedMinutes: number;
  /** Of `verifiedMinutes`, the credit earned by teaching (5.1.4). */
  teachingMinutes: number;
  /** Of `verifiedMinutes`, what the bar credited on reviewing outside certificates (`accepted-by-bar`). */
  acceptedMinutes: number;
  /** 2.2.2: what the advocate recorded themselves; shown apart, never counted. */
  selfRecordedMinutes: number;
  /** Verified certificates counted (each credential once). */
  certificates: number;
  requiredMinutes: number | null;
  foundationsRequired: boolean;
  foundationsDone: boolean;
  status: ComplianceStatus;
}

// ---- dates ------------------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const dayNumber = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

export function daysInYear(year: number): number {
  return dayNumber(`${year + 1}-01-01`) - dayNumber(`${year}-01-01`);
}

/** Whole years between two `YYYY-MM-DD` dates (an anniversary counts on its day; 29 February on 1 March). */
export function wholeYearsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = to.split("-").map(Number) as [number, number, number];
  let years = ty - fy;
  if (tm < fm || (tm === fm && td < fd)) years -= 1;
  return Math.max(0, years);
}

/**
 * 2.3: the days of `year` in which the licence was active: from admission (or 1 January) to 31 December, less
 * every suspended day. Overlapping suspensions count once; a suspension that spans two years removes from each
 * year only its own days.
 */
export function activeDaysInYear(year: number, m: MemberFacts): number {
  const start = Math.max(dayNumber(`${year}-01-01`), dayNumber(m.admissionDate));
  const end = dayNumber(`${year}-12-31`);
  if (start > end) return 0;
  const ranges = m.suspensions
    .map((s) => [Math.max(start, dayNumber(s.from)), Math.min(end, s.until === null ? end : dayNumber(s.until))] as const)
    .filter(([a, b]) => a <= b)
    .sort((x, y) => x[0] - y[0]);
  let suspended = 0;
  let coveredUntil = start - 1;
  for (const [a, b] of ranges) {
    const from = Math.max(a, coveredUntil + 1);
    if (b >= from) suspended += b - from + 1;
    coveredUntil = Math.max(coveredUntil, b);
  }
  return end - start + 1 - suspended;
}

/** 2.3: the quota shrinks by the share of the year the licence was not active (rounded up to a whole minute). */
export function proratedMinutes(requiredMinutes: number, activeDays: number, totalDays: number): number {
  return Math.ceil((requiredMinutes * activeDays) / totalDays);
}

/** 10.2: whether the Foundations course is required in `year`, judged on the practice at the year's start (or at admission). */
export function foundationsRequired(rule: FoundationsRule | null, admissionDate: string, year: number): boolean {
  if (rule === null) return false;
  const at = admissionDate > `${year}-01-01` ? admissionDate : `${year}-01-01`;
  const years = wholeYearsBetween(admissionDate, at);
  return rule.operator === "<" ? years < rule.years : years >= rule.years;
}

/** 5.1.4: minutes credited for one entry; teaching earns the policy's share of the event's duration. */
export function creditedMinutes(entry: Pick<YearEntry, "minutes" | "role">, policy: Pick<CompliancePolicy, "teachingCreditPercent">): number {
  return entry.role === "teacher" ? Math.round((entry.minutes * policy.teachingCreditPercent) / 100) : entry.minutes;
}

/**
 * The member's year. Verified hours come from certificates issued here, certificates presented (2.2.4) and outside
 * certificates the bar accepted on review (keyed by the outside credential's id when one was uploaded); a credential
 * counted from two sources counts once. Self-recorded hours (2.2.2) are summed apart and never counted.
 */
export function assessMemberYear(year: number, member: MemberFacts, entries: readonly YearEntry[], policy: CompliancePolicy): MemberYear {
  const total = daysInYear(year);
  const active = activeDaysInYear(year, member);
  const seen = new Set<string>();
  let verified = 0;
  let teaching = 0;
  let accepted = 0;
  let selfRecorded = 0;
  let certificates = 0;
  let foundationsDone = false;
  for (const e of entries) {
    if (e.provenBy === "self-recorded") {
      selfRecorded += e.minutes; // 2.2.2: a record, not proof
      continue;
    }
    if (e.credentialId !== null) {
      if (seen.has(e.credentialId)) continue; // the same certificate issued here and presented
      seen.add(e.credentialId);
    }
    const credit = creditedMinutes(e, policy);
    verified += credit;
    if (e.role === "teacher") teaching += credit;
    if (e.provenBy === "accepted-by-bar") accepted += credit;
    certificates += 1;
    if (e.programme === "foundations" && e.role === "attendee") foundationsDone = true;
  }
  const needsFoundations = foundationsRequired(policy.foundationsRule, member.admissionDate, year);
  const required =
    policy.requiredMinutes === null ? null : policy.prorate ? proratedMinutes(policy.requiredMinutes, active, total) : policy.requiredMinutes;
  let status: ComplianceStatus;
  if (active === 0) status = "exempt"; // 2.3: suspended (or not yet admitted) the whole year
  else if (required === null) status = "no-policy";
  else if (verified >= required && (!needsFoundations || foundationsDone)) status = "met";
  else status = "short";
  return {
    year,
    practiceYears: wholeYearsBetween(member.admissionDate, `${year}-12-31`),
    activeDays: active,
    daysInYear: total,
    verifiedMinutes: verified,
    teachingMinutes: teaching,
    acceptedMinutes: accepted,
    selfRecordedMinutes: selfRecorded,
    certificates,
    requiredMinutes: required,
    foundationsRequired: needsFoundations,
    foundationsDone,
    status,
  };
}

/** Academic hours (10.6) to whole minutes, for policies set in hours. */
export const hoursToMinutes = (hours: number): number => Math.round(hours * ACADEMIC_HOUR_MINUTES);

/** 12.2: a calendar year in Kazakhstan as UTC instants `[from, to)`, to compare with stored instants. */
export function kzYearRange(year: number): { from: string; to: string } {
  const at = (y: number) => new Date(Date.parse(`${y}-01-01T00:00:00+05:00`)).toISOString().replace(".000Z", "Z");
  return { from: at(year), to: at(year + 1) };
}
