/**
 * The yearly duty and how a bar checks it (2.2, 2.3, 5.1.4, 10.2, 12.1, 12.2), as pure rules. How Senim reads the
 * clauses the source leaves open is recorded in shared/domain.md ("Readings"); every reading is a policy setting here,
 * never a constant.
 */
import type { Programme } from "./catalog.js";
import { ACADEMIC_HOUR_MINUTES, academicHours } from "./time.js";

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
  /** 5.1(4): credit for teaching on courses as a percentage of the minutes taught; 100 = 1:1. */
  teachingCreditPercent: number;
  /** 2.3: shrink the quota by the share of the year in which the licence was not active. */
  prorate: boolean;
  /**
   * 10.2: the shortest Foundations event, in minutes, that completes the course; `null` or absent (the default): any
   * length. A shorter one still counts towards the hours, but does not complete Foundations.
   */
  foundationsMinimumMinutes?: number | null;
}

export const DEFAULT_POLICY: CompliancePolicy = {
  requiredMinutes: null,
  foundationsRule: { operator: "<", years: 1 },
  teachingCreditPercent: 100,
  prorate: true,
  foundationsMinimumMinutes: null,
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
  /** What the certificate credits: an attendee's minutes present, a teacher's minutes taught (5.1(4)). */
  minutes: number;
  programme: Programme | string;
  role: "attendee" | "teacher";
  /** 5.1: the event's form, when the source says it (a teacher earns credit on a course only). */
  form?: string;
  provenBy: ProvenBy;
}

export type ComplianceStatus = "met" | "short" | "exempt" | "no-policy";

export interface MemberFacts {
  admissionDate: string;
  suspensions: readonly Suspension[];
  /**
   * 10.2: the earliest calendar year before this one in which the member completed Foundations (as that year's
   * policy judged it); once completed, the duty does not return. `null` or absent: never before.
   */
  foundationsCompletedIn?: number | null;
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
  /** 10.2: the earlier year in which Foundations was completed (the duty then no longer applies), or `null`. */
  foundationsCompletedIn: number | null;
  /** 10.2: Foundations events attended this year that were shorter than the policy's minimum (they did not complete it). */
  foundationsTooShort: number;
  status: ComplianceStatus;
  /** Why the duty applies as it does, in words (admission, suspension, proration, Foundations): see {@link dutyNotes}. */
  notes: DutyNote[];
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

/** 10.2: the day practice is judged on for `year`: its 1 January, or the admission date when later. */
const foundationsJudgedOn = (admissionDate: string, year: number): string => (admissionDate > `${year}-01-01` ? admissionDate : `${year}-01-01`);

/**
 * 10.2: whether the Foundations course is required in `year`, judged on the practice at the year's start (or at
 * admission). Once completed in an earlier year (`completedIn`), it is never required again.
 */
export function foundationsRequired(rule: FoundationsRule | null, admissionDate: string, year: number, completedIn: number | null = null): boolean {
  if (rule === null) return false;
  if (completedIn !== null && completedIn < year) return false;
  const years = wholeYearsBetween(admissionDate, foundationsJudgedOn(admissionDate, year));
  return rule.operator === "<" ? years < rule.years : years >= rule.years;
}

/**
 * 10.2: whether one entry completes Foundations: attending (not teaching) a Foundations event at least as long as the
 * policy's minimum (its own length, before any teaching credit). Self-recorded hours never do.
 */
export function completesFoundations(e: Pick<YearEntry, "minutes" | "programme" | "role" | "provenBy">, policy: Pick<CompliancePolicy, "foundationsMinimumMinutes">): boolean {
  return (
    e.provenBy !== "self-recorded" &&
    e.programme === "foundations" &&
    e.role === "attendee" &&
    (policy.foundationsMinimumMinutes == null || e.minutes >= policy.foundationsMinimumMinutes)
  );
}

/**
 * 10.2: the earliest year in which each member completed Foundations, from their Foundations entries of earlier
 * years, each judged by the policy of its own year (a minimum set later does not undo a completion).
 */
export function foundationsCompletions(
  entries: readonly { licence: string; year: number; minutes: number }[],
  policyOf: (year: number) => Pick<CompliancePolicy, "foundationsMinimumMinutes">,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of entries) {
    if (!completesFoundations({ minutes: e.minutes, programme: "foundations", role: "attendee", provenBy: "issued" }, policyOf(e.year))) continue;
    const known = out.get(e.licence);
    if (known === undefined || e.year < known) out.set(e.licence, e.year);
  }
  return out;
}

/**
 * 5.1(4): minutes credited for one entry. Teaching on a course earns the policy's share of the minutes the teacher
 * taught — an entry's `minutes` for a teacher are those, as the participant list records them per teacher and the
 * certificate states them, not the event's whole duration. Teaching is credited on courses only: an entry that says
 * its form and is no course earns nothing for teaching (participant lists refuse a teacher on any other form, so only
 * records from before that rule can be such an entry).
 */
export function creditedMinutes(entry: Pick<YearEntry, "minutes" | "role" | "form">, policy: Pick<CompliancePolicy, "teachingCreditPercent">): number {
  if (entry.role !== "teacher") return entry.minutes;
  if (entry.form !== undefined && entry.form !== "course") return 0;
  return Math.round((entry.minutes * policy.teachingCreditPercent) / 100);
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
  let foundationsTooShort = 0;
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
    if (completesFoundations(e, policy)) foundationsDone = true;
    else if (e.programme === "foundations" && e.role === "attendee") foundationsTooShort += 1; // 10.2: below the bar's minimum
  }
  const completedIn = member.foundationsCompletedIn ?? null;
  const needsFoundations = foundationsRequired(policy.foundationsRule, member.admissionDate, year, completedIn);
  const required =
    policy.requiredMinutes === null ? null : policy.prorate ? proratedMinutes(policy.requiredMinutes, active, total) : policy.requiredMinutes;
  const status = statusOf({ activeDays: active, requiredMinutes: required, verifiedMinutes: verified, foundationsRequired: needsFoundations, foundationsDone });
  const assessed = {
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
    foundationsCompletedIn: completedIn !== null && completedIn < year ? completedIn : null,
    foundationsTooShort,
    status,
  };
  return { ...assessed, notes: dutyNotes(member, assessed, policy) };
}

/** 12.1: the verdict from the year's figures (one rule for the assessment and for what late certificates would change). */
export function statusOf(y: { activeDays: number; requiredMinutes: number | null; verifiedMinutes: number; foundationsRequired: boolean; foundationsDone: boolean }): ComplianceStatus {
  if (y.activeDays === 0) return "exempt"; // 2.3: suspended (or not yet admitted) the whole year
  if (y.requiredMinutes === null) return "no-policy";
  return y.verifiedMinutes >= y.requiredMinutes && (!y.foundationsRequired || y.foundationsDone) ? "met" : "short";
}

// ---- the duty in words (2.3, 10.2) -----------------------------------------------------------------------------

/**
 * English texts of the notes on a member's line; `{name}` is filled from the note's `params`. The pages say them in
 * kk/ru/en from the `dutyNotes` section of each catalogue (src/http/i18n/*.ts), whose English texts are these.
 */
export const DUTY_NOTE_TEMPLATES = {
  "admitted-mid-year": "Admitted on {date}, during the year: the licence counts from that day (2.3).",
  suspended: "Licence suspended {days} day(s) of the year (2.3).",
  "inactive-all-year": "The licence was not active on any day of the year: exempt (2.3).",
  "quota-prorated": "Requirement prorated to {active} of {days} days: {hours} of {full} academic hours (2.3).",
  "quota-not-prorated": "The full requirement of {full} academic hours applies: the bar does not prorate (2.3).",
  "foundations-required": "Foundations required (10.2): {years} full year(s) of practice on {on}, the bar's rule is {rule}.",
  "foundations-completed": "Foundations completed in {year}: not required again (10.2).",
  "foundations-too-short": "{count} Foundations event(s) shorter than the bar's minimum of {minutes} minutes: counted as hours, not as completing Foundations (10.2).",
} as const;

export type DutyNoteCode = keyof typeof DUTY_NOTE_TEMPLATES;

/** One reason on a member's line: a code to switch on, the values its text names, and the English text. */
export interface DutyNote {
  code: DutyNoteCode;
  params: Record<string, string | number>;
  text: string;
}

const note = (code: DutyNoteCode, params: Record<string, string | number> = {}): DutyNote => ({
  code,
  params,
  text: DUTY_NOTE_TEMPLATES[code].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)),
});

/**
 * Why the duty applies to the member as it does: admitted during the year, suspended days, how the requirement was
 * prorated (or not, as the policy says), and why Foundations is or is no longer required. A member active the whole
 * year, long in practice, gets no note: nothing about them departs from the policy.
 */
export function dutyNotes(member: MemberFacts, y: Omit<MemberYear, "notes">, policy: CompliancePolicy): DutyNote[] {
  const notes: DutyNote[] = [];
  if (y.activeDays === 0) return [note("inactive-all-year")];
  const admittedDuring = member.admissionDate > `${y.year}-01-01` && member.admissionDate <= `${y.year}-12-31`;
  if (admittedDuring) notes.push(note("admitted-mid-year", { date: member.admissionDate }));
  const fromDay = admittedDuring ? dayNumber(member.admissionDate) : dayNumber(`${y.year}-01-01`);
  const suspended = dayNumber(`${y.year}-12-31`) - fromDay + 1 - y.activeDays;
  if (suspended > 0) notes.push(note("suspended", { days: suspended }));
  if (policy.requiredMinutes !== null && y.activeDays < y.daysInYear) {
    const full = academicHours(policy.requiredMinutes);
    notes.push(policy.prorate ? note("quota-prorated", { active: y.activeDays, days: y.daysInYear, hours: academicHours(y.requiredMinutes ?? 0), full }) : note("quota-not-prorated", { full }));
  }
  // Without a 10.2 rule this year nobody needs Foundations: there is nothing to explain about it.
  const rule = policy.foundationsRule;
  if (rule !== null && y.foundationsCompletedIn !== null) notes.push(note("foundations-completed", { year: y.foundationsCompletedIn }));
  else if (rule !== null && y.foundationsRequired) {
    const on = foundationsJudgedOn(member.admissionDate, y.year);
    notes.push(note("foundations-required", { years: wholeYearsBetween(member.admissionDate, on), on, rule: `${rule.operator} ${rule.years}` }));
  }
  if (y.foundationsTooShort > 0 && policy.foundationsMinimumMinutes != null) notes.push(note("foundations-too-short", { count: y.foundationsTooShort, minutes: policy.foundationsMinimumMinutes }));
  return notes;
}

// ---- a closed year (12.1, 12.2, 13.1) --------------------------------------------------------------------------

/** A member's frozen figures in a closed year's snapshot: what a late certificate is weighed against. */
export interface FrozenFigures {
  verifiedMinutes: number;
  requiredMinutes: number | null;
  foundationsRequired: boolean;
  foundationsDone: boolean;
  status: ComplianceStatus;
}

/**
 * 12.2: what certificates issued after the year was closed would change for one member, had they been counted: the
 * frozen figures plus the late entries' credit, under the policy the year was closed with. The frozen figures
 * themselves never move; this is shown beside them.
 */
export function withLateEntries(frozen: FrozenFigures, late: readonly YearEntry[], policy: CompliancePolicy): { verifiedMinutes: number; foundationsDone: boolean; status: ComplianceStatus } {
  let verifiedMinutes = frozen.verifiedMinutes;
  let foundationsDone = frozen.foundationsDone;
  for (const e of late) {
    if (e.provenBy === "self-recorded") continue;
    verifiedMinutes += creditedMinutes(e, policy);
    if (completesFoundations(e, policy)) foundationsDone = true;
  }
  // Exempt stays exempt: no certificate makes a licence active.
  const status = frozen.status === "exempt" ? "exempt" : statusOf({ activeDays: 1, requiredMinutes: frozen.requiredMinutes, verifiedMinutes, foundationsRequired: frozen.foundationsRequired, foundationsDone });
  return { verifiedMinutes, foundationsDone, status };
}

/** Academic hours (10.6) to whole minutes, for policies set in hours. */
export const hoursToMinutes = (hours: number): number => Math.round(hours * ACADEMIC_HOUR_MINUTES);

/** 12.2: a calendar year in Kazakhstan as UTC instants `[from, to)`, to compare with stored instants. */
export function kzYearRange(year: number): { from: string; to: string } {
  const at = (y: number) => new Date(Date.parse(`${y}-01-01T00:00:00+05:00`)).toISOString().replace(".000Z", "Z");
  return { from: at(year), to: at(year + 1) };
}
