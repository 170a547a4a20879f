/**
 * A bar's bookkeeping of its members' duty (2.2, 2.3, 10.2, 12.1, 12.2): members and suspensions, the yearly policy,
 * certificates presented to the bar, and the compliance report built from verified certificates.
 */
import { ROWS_PER_SLICE, yieldToEventLoop } from "../lib/yield.js";
import { assertMayKeepMembers, assertMayReadBarReports, describeAdvocate, describePrincipal, mayEditSelfRecorded, type MemberRef, type Principal } from "../domain/authz.js";
import { PROGRAMMES, RBA_ID, type Programme } from "../domain/catalog.js";
import {
  assessMemberYear,
  DEFAULT_POLICY,
  foundationsCompletions,
  FOUNDATIONS_SOURCE_WORDING,
  kzYearRange,
  type CompliancePolicy,
  type ComplianceStatus,
  type DutyNote,
  type YearEntry,
} from "../domain/compliance.js";
import { BUSY_DETAIL_TEMPLATES, keyedError, SenimError, type FieldProblem } from "../domain/errors.js";
import { fieldProblem } from "../domain/field-problems.js";
import { WorkQueue } from "../lib/work-queue.js";
import { normaliseKazakh, normaliseLicence } from "../domain/people.js";
import { academicHours, isValidDate, kzDate } from "../domain/time.js";
import { csvError, csvProblem, mapColumns, parseCsv, type CsvProblem, type CsvProblemCode, type TextParams } from "../lib/csv.js";
import { audited } from "../lib/audit-chain.js";
import { newId } from "../lib/ids.js";
import type { RegistryService } from "../registry/service.js";
import type { LedgerStore, Member, MemberPage, MemberStore, SelfRecordedChanges, SelfRecordedHours, StoredPolicy, StoredSuspension } from "./model.js";
import { certificateUrlFor } from "../credentials/certificate-url.js";
import { tenthsToMinutes } from "../domain/submission.js";
import type { SubmissionStore } from "./submissions.js";
import type { LateReport, ReportClosing, YearMeasure } from "./closing.js";
import { COMPLIANCE_DETAIL_TEMPLATES } from "./details.js";

export const LICENCE_PATTERN = /^[0-9A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{1,32}$/u;

export interface MemberInput {
  licence: string;
  fullName: string;
  admissionDate: string;
  email?: string | null;
}

export interface PolicyInput {
  requiredAcademicHours?: number | null;
  foundationsRule?: { operator: "<" | ">="; years: number } | null;
  teachingCreditPercent?: number;
  prorate?: boolean;
  /** 10.2: the shortest Foundations event, in minutes, that completes the course; `null`: any length. */
  foundationsMinimumMinutes?: number | null;
}

export interface MemberReportRow {
  licence: string;
  fullName: string;
  admissionDate: string;
  practiceYears: number;
  activeDays: number;
  suspendedDays: number;
  certificates: number;
  verifiedHours: number;
  /** `verifiedHours` in minutes, as counted (what a closed year's late certificates are weighed against, 12.2). */
  verifiedMinutes: number;
  teachingHours: number;
  /** Of `verifiedHours`, what the bar credited on reviewing outside certificates (counted, marked apart). */
  acceptedByBarHours: number;
  /** Each outside certificate the bar accepted: who decided and when (shown in the report, its CSV and pages). */
  acceptedByBar: AcceptedByBar[];
  selfRecordedHours: number;
  requiredHours: number | null;
  /** `requiredHours` in minutes (prorated, rounded up to a whole minute, 2.3). */
  requiredMinutes: number | null;
  foundationsRequired: boolean;
  foundationsDone: boolean;
  /** 10.2: the earlier year in which the member completed Foundations, so the duty no longer applies; or `null`. */
  foundationsCompletedIn: number | null;
  status: ComplianceStatus;
  /** Why the duty applies as it does (admission during the year, suspension, proration, Foundations), in words. */
  duty: DutyNote[];
  /** 13.1: in a closed year, the measure the bar recorded for this member (short members only), else `null`. */
  measure?: YearMeasure | null;
}

export interface AcceptedByBar {
  submissionId: string;
  organiser: string;
  topic: string;
  completedOn: string;
  creditedHours: number;
  decidedBy: string;
  decidedAt: string;
}

export interface ComplianceReport {
  barId: string;
  year: number;
  /** Whether the year has ended: only then is `short` a finding under 12.1; before, it is progress. */
  final: boolean;
  generatedAt: string;
  policy: PolicyView;
  totals: Record<ComplianceStatus, number> & { members: number; verifiedHours: number; selfRecordedHours: number };
  members: MemberReportRow[];
  /**
   * 12.1, 12.2: set when the bar has closed the year. The report is then the snapshot frozen at the closing (served
   * from storage, with its digest), never recomputed; see src/compliance/closing.ts.
   */
  closing?: ReportClosing;
  /** 12.2: in a closed year, the certificates that arrived after the closing, listed apart: the frozen figures stay. */
  late?: LateReport;
}

export interface PolicyView {
  barId: string;
  year: number;
  /** `false` while the bar has not set a policy for the year: the defaults apply and no quota is set. */
  configured: boolean;
  requiredAcademicHours: number | null;
  requiredMinutes: number | null;
  foundationsRule: { operator: "<" | ">="; years: number } | null;
  foundationsSourceWording: typeof FOUNDATIONS_SOURCE_WORDING;
  teachingCreditPercent: number;
  prorate: boolean;
  /** 10.2: the shortest Foundations event, in minutes, that completes the course; `null`: any length. */
  foundationsMinimumMinutes: number | null;
  updatedAt: string | null;
}

const MAX_MEMBERS_PER_IMPORT = 50_000;
/**
 * Issue 17: member imports one at a time per process, two more in line, so three at once hold one import's memory;
 * a fourth is told to come back (`busy`). Imports are a registry office's occasional work, not a hot path.
 */
const MEMBER_IMPORTS = new WorkQueue({ running: 1, waiting: 2 });
/** 10.2: the longest minimum a bar may set for a Foundations event (as long as the longest self-recorded entry). */
export const MAX_FOUNDATIONS_MINIMUM = 100_000;

/** Self-recorded hours as entered (by the bar's API, or the advocate at /me). */
export interface SelfHoursInput {
  year: number;
  minutes: number;
  programme: string;
  description: string;
}

/** The bounds of a self-recorded entry: the bar's API schema (SelfHoursIn, src/http/routes/bookkeeping.tsx) has the same. */
export const SELF_HOURS_LIMITS = { minYear: 2000, maxYear: 2100, maxMinutes: 100_000, maxDescription: 1000 } as const;
/** Entries an advocate may keep for one year: a note per training is plenty, and it bounds what a session can write. */
export const MAX_OWN_SELF_ENTRIES = 100;

/**
 * Every problem of a self-recorded entry, one per field (`year`, `minutes`, `programme`, `description`); each has a
 * `code` (`self_hours_<field>`) so a page can say it in its own language.
 */
export function selfHoursProblems(input: SelfHoursInput): FieldProblem[] {
  const L = SELF_HOURS_LIMITS;
  const problems: FieldProblem[] = [];
  const say = (path: string, message: string) => problems.push({ path, message, code: `self_hours_${path}` });
  if (!Number.isInteger(input.year) || input.year < L.minYear || input.year > L.maxYear) say("year", `must be a year from ${L.minYear} to ${L.maxYear}`);
  if (!Number.isInteger(input.minutes) || input.minutes < 1 || input.minutes > L.maxMinutes) say("minutes", `must be whole minutes from 1 to ${L.maxMinutes}`);
  if (!(PROGRAMMES as readonly string[]).includes(input.programme)) say("programme", `must be one of ${PROGRAMMES.join(", ")}`);
  const description = input.description.trim();
  if (description.length < 1 || description.length > L.maxDescription) say("description", `must be 1 to ${L.maxDescription} characters`);
  return problems;
}

/** The entry's fields, checked and normalised, or an `invalid_request` naming every bad field. */
function selfHoursOrRefuse(input: SelfHoursInput): SelfRecordedChanges {
  const problems = selfHoursProblems(input);
  if (problems.length) throw keyedError("invalid_request", COMPLIANCE_DETAIL_TEMPLATES, "compliance-self-hours-problems", { count: problems.length }, { problems });
  return { year: input.year, minutes: input.minutes, programme: input.programme as Programme, description: normaliseKazakh(input.description.trim()) };
}

export class ComplianceService {
  constructor(
    private readonly deps: {
      store: MemberStore;
      ledger: LedgerStore;
      registry: RegistryService;
      submissions?: Pick<SubmissionStore, "acceptedInYear">;
      /** 12.1, 12.2: a closed year's frozen report (src/compliance/closing.ts), or `undefined` while the year is open. */
      closedReport?: (barId: string, year: number) => Promise<ComplianceReport | undefined>;
    },
  ) {}

  private now(): string {
    return this.deps.registry.now();
  }

  private async territorialBar(barId: string): Promise<void> {
    const bar = await this.deps.registry.bar(barId);
    // Every advocate is a member of exactly one territorial bar; the RBA has no members of its own.
    if (!bar || bar.id === RBA_ID) throw keyedError("not_found", COMPLIANCE_DETAIL_TEMPLATES, "compliance-bar-unknown", { id: JSON.stringify(barId) });
  }

  // ---- members ----------------------------------------------------------------------------------------------------

  /** Validates members as a whole; returns the rows or every problem, never a half. */
  private validateMembers(barId: string, inputs: { line: number; m: MemberInput }[], seen = new Map<string, number>()): { members: Member[]; problems: CsvProblem[] } {
    const now = this.now();
    const today = kzDate(now);
    const problems: CsvProblem[] = [];
    const members: Member[] = [];
    for (const { line, m } of inputs) {
      const licence = normaliseLicence(m.licence ?? "");
      const fullName = normaliseKazakh((m.fullName ?? "").trim().replace(/\s+/g, " "));
      const email = m.email?.trim() || null;
      const bad = (code: CsvProblemCode, params?: TextParams) => problems.push(csvProblem(line, code, params));
      if (!LICENCE_PATTERN.test(licence)) bad("licence-invalid");
      else if (seen.has(licence)) bad("licence-repeated", { licence, first: seen.get(licence)! });
      else seen.set(licence, line);
      if (fullName.length === 0 || fullName.length > 300) bad("name-invalid");
      if (!isValidDate(m.admissionDate ?? "")) bad("admission-date-invalid");
      else if (m.admissionDate > today) bad("admission-date-future");
      if (email !== null && (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))) bad("email-invalid");
      members.push({ barId, licence, fullName, admissionDate: m.admissionDate, email, createdAt: now, updatedAt: now });
    }
    return { members, problems };
  }

  /** validateMembers in slices, the event loop given back between them (issue 17: a 50,000-row file). */
  private async validateMembersCooperatively(barId: string, inputs: { line: number; m: MemberInput }[]): Promise<{ members: Member[]; problems: CsvProblem[] }> {
    const members: Member[] = [];
    const problems: CsvProblem[] = [];
    // Repeated licences are found across slices: validate the whole list's licences once for duplicates, rows in slices.
    const seen = new Map<string, number>();
    for (let i = 0; i < inputs.length; i += ROWS_PER_SLICE) {
      if (i > 0) await yieldToEventLoop();
      const slice = this.validateMembers(barId, inputs.slice(i, i + ROWS_PER_SLICE), seen);
      members.push(...slice.members);
      problems.push(...slice.problems);
    }
    return { members, problems };
  }

  async upsertMember(p: Principal, barId: string, input: MemberInput): Promise<Member> {
    assertMayKeepMembers(p, barId);
    await this.territorialBar(barId);
    const { members, problems } = this.validateMembers(barId, [{ line: 0, m: input }]);
    if (problems.length) throw new SenimError("invalid_request", problems.map((x) => x.message).join("; "), { key: "problems-joined", problems: problems.map((x) => ({ path: "member", message: x.message, code: x.code, ...(x.params ? { params: x.params } : {}) })) });
    await this.deps.store.upsertMembers(members, await this.membersAudit(p, barId, members));
    return (await this.deps.store.getMember(barId, members[0]!.licence))!;
  }

  /**
   * Members from CSV: licence, name, admission date, optional e-mail. The whole file is validated first; every bad
   * row is reported with its line; nothing is stored unless every row is valid. Existing members are updated.
   */
  async importMembersCsv(p: Principal, barId: string, text: string, onProgress?: (read: number, total: number) => void): Promise<{ imported: number }> {
    assertMayKeepMembers(p, barId);
    await this.territorialBar(barId);
    const done = await MEMBER_IMPORTS.run(() => this.importMembersNow(p, barId, text, onProgress));
    if (!done) throw keyedError("busy", BUSY_DETAIL_TEMPLATES, "imports-busy", { seconds: 30 });
    return done.value;
  }

  /**
   * Issue 17: one entry per call that records members (one, or a whole file): no licence or name in clear, the digest
   * over the members as stored, in licence order.
   */
  private async membersAudit(p: Principal, barId: string, members: Member[]) {
    const sorted = [...members].sort((a, b) => (a.licence < b.licence ? -1 : a.licence > b.licence ? 1 : 0));
    return audited({ at: this.now(), principal: p, action: "members.recorded", barId, subjects: [], content: { barId, count: members.length, members: sorted } });
  }

  private async importMembersNow(p: Principal, barId: string, text: string, onProgress?: (read: number, total: number) => void): Promise<{ imported: number }> {
    const csv = await parseCsv(text, { maxRecords: MAX_MEMBERS_PER_IMPORT, maxFieldLength: 500, maxFields: 20 }, onProgress);
    const cols = mapColumns(csv.header, {
      licence: { names: ["licence", "license", "licence number", "licence_number", "лицензия", "№ лицензии", "лицензия нөмірі"], required: true },
      name: { names: ["name", "full name", "full_name", "фио", "ф.и.о.", "аты-жөні", "тегі аты"], required: true },
      admission: { names: ["admission date", "admission_date", "admitted", "дата приема", "дата приёма", "қабылданған күні"], required: true },
      email: { names: ["email", "e-mail", "эл. почта", "электрондық пошта"], required: false },
    });
    const problems: CsvProblem[] = [...csv.problems, ...cols.problems];
    if (cols.problems.length === 0) {
      const field = (row: string[], i: number | undefined) => (i === undefined ? "" : (row[i] ?? "").trim());
      const inputs = csv.rows.map((r) => ({
        line: r.line,
        m: { licence: field(r.fields, cols.index.licence), fullName: field(r.fields, cols.index.name), admissionDate: field(r.fields, cols.index.admission), email: field(r.fields, cols.index.email) || null },
      }));
      const checked = await this.validateMembersCooperatively(barId, inputs);
      problems.push(...checked.problems);
      if (problems.length === 0) {
        if (checked.members.length === 0) throw keyedError("invalid_csv", COMPLIANCE_DETAIL_TEMPLATES, "compliance-members-file-empty");
        await this.deps.store.upsertMembers(checked.members, await this.membersAudit(p, barId, checked.members));
        return { imported: checked.members.length };
      }
    }
    throw csvError(problems);
  }

  async listMembers(p: Principal, barId: string): Promise<Member[]> {
    assertMayKeepMembers(p, barId);
    return this.deps.store.listMembers(barId);
  }

  /** Issue 16: one page of the bar's members and how many there are (matching `page.search`), for the console. */
  async pageMembers(p: Principal, barId: string, page: MemberPage): Promise<{ members: Member[]; total: number }> {
    assertMayKeepMembers(p, barId);
    const [members, total] = await Promise.all([this.deps.store.pageMembers(barId, page), this.deps.store.countMembers(barId, page.search)]);
    return { members, total };
  }

  /** Every suspension the bar recorded, for the members' page of its console. */
  async listSuspensions(p: Principal, barId: string): Promise<StoredSuspension[]> {
    assertMayKeepMembers(p, barId);
    return this.deps.store.listSuspensions(barId);
  }

  async requireMember(p: Principal, barId: string, licence: string): Promise<Member & { suspensions: StoredSuspension[] }> {
    assertMayKeepMembers(p, barId);
    const l = normaliseLicence(licence);
    const m = await this.deps.store.getMember(barId, l);
    if (!m) throw keyedError("not_found", COMPLIANCE_DETAIL_TEMPLATES, "compliance-member-unknown", { licence: JSON.stringify(l), bar: barId });
    return { ...m, suspensions: await this.deps.store.listSuspensions(barId, l) };
  }

  async deleteMember(p: Principal, barId: string, licence: string): Promise<void> {
    assertMayKeepMembers(p, barId);
    const l = normaliseLicence(licence);
    const m = await this.deps.store.getMember(barId, l);
    // Once per record: the same member re-imported and deleted again is another record (its updatedAt).
    const audit = m && (await audited({ at: this.now(), principal: p, action: "member.deleted", barId, subjects: [], content: { barId, licence: l }, onceKey: `member.deleted:${barId}:${l}:${m.updatedAt}` }));
    if (!m || !(await this.deps.store.deleteMember(barId, l, audit))) throw keyedError("not_found", COMPLIANCE_DETAIL_TEMPLATES, "compliance-member-none");
  }

  /** 2.3: a licence suspension, as a range of dates (both inclusive; `until` open while it lasts). */
  async addSuspension(p: Principal, barId: string, licence: string, input: { from: string; until?: string | null; reason?: string | null }): Promise<StoredSuspension> {
    const m = await this.requireMember(p, barId, licence);
    const problems: FieldProblem[] = [];
    if (!isValidDate(input.from)) problems.push(fieldProblem("from", "date-format-invalid"));
    const until = input.until ?? null;
    if (until !== null && !isValidDate(until)) problems.push(fieldProblem("until", "date-format-invalid"));
    if (problems.length) throw keyedError("invalid_request", COMPLIANCE_DETAIL_TEMPLATES, "compliance-suspension-dates-invalid", undefined, { problems });
    if (until !== null && until < input.from) throw keyedError("rule_violated", COMPLIANCE_DETAIL_TEMPLATES, "compliance-suspension-ends-before-start", undefined, { problems: [fieldProblem("until", "until-before-from")] });
    const s: StoredSuspension = {
      id: newId(16), barId, licence: m.licence, from: input.from, until, reason: input.reason?.trim() || null, recordedAt: this.now(), recordedBy: describePrincipal(p),
    };
    await this.deps.store.addSuspension(s, await audited({ at: s.recordedAt, principal: p, action: "suspension.recorded", barId, subjects: [s.id], content: s }));
    return s;
  }

  async deleteSuspension(p: Principal, barId: string, id: string): Promise<void> {
    assertMayKeepMembers(p, barId);
    const known = (await this.deps.store.listSuspensions(barId)).some((s) => s.id === id);
    const audit = known ? await audited({ at: this.now(), principal: p, action: "suspension.deleted", barId, subjects: [id], content: { barId, id }, onceKey: `suspension.deleted:${id}` }) : undefined;
    if (!known || !(await this.deps.store.deleteSuspension(barId, id, audit))) throw keyedError("not_found", COMPLIANCE_DETAIL_TEMPLATES, "compliance-suspension-unknown");
  }

  // ---- policy -----------------------------------------------------------------------------------------------------

  async policy(p: Principal, barId: string, year: number): Promise<PolicyView> {
    assertMayReadBarReports(p, barId);
    return this.policyView(barId, year);
  }

  private async policyView(barId: string, year: number): Promise<PolicyView> {
    const stored = await this.deps.store.getPolicy(barId, year);
    return view(barId, year, stored ?? DEFAULT_POLICY, stored);
  }

  /** The bar sets its policy for a year; fields left out keep their current (or default) value. */
  async setPolicy(p: Principal, barId: string, year: number, input: PolicyInput): Promise<PolicyView> {
    assertMayKeepMembers(p, barId);
    await this.territorialBar(barId);
    const minimum = input.foundationsMinimumMinutes;
    if (minimum !== undefined && minimum !== null && (!Number.isInteger(minimum) || minimum < 1 || minimum > MAX_FOUNDATIONS_MINIMUM)) {
      throw keyedError("invalid_request", COMPLIANCE_DETAIL_TEMPLATES, "compliance-foundations-minimum-invalid", { max: MAX_FOUNDATIONS_MINIMUM }, {
        problems: [fieldProblem("foundationsMinimumMinutes", "whole-minutes-or-null", { max: MAX_FOUNDATIONS_MINIMUM })],
      });
    }
    const current = (await this.deps.store.getPolicy(barId, year)) ?? DEFAULT_POLICY;
    const next: StoredPolicy = {
      barId,
      year,
      requiredMinutes: input.requiredAcademicHours === undefined ? current.requiredMinutes : input.requiredAcademicHours === null ? null : Math.round(input.requiredAcademicHours * 45),
      foundationsRule: input.foundationsRule === undefined ? current.foundationsRule : input.foundationsRule,
      teachingCreditPercent: input.teachingCreditPercent ?? current.teachingCreditPercent,
      prorate: input.prorate ?? current.prorate,
      foundationsMinimumMinutes: input.foundationsMinimumMinutes === undefined ? (current.foundationsMinimumMinutes ?? null) : input.foundationsMinimumMinutes,
      updatedAt: this.now(),
      updatedBy: describePrincipal(p),
    };
    await this.deps.store.putPolicy(next, await audited({ at: next.updatedAt, principal: p, action: "policy.set", barId, subjects: [`${barId}/${year}`], content: next }));
    return view(barId, year, next, next);
  }

  // ---- self-recorded hours (2.2.2, 2.2(2)) ---------------------------------------------------------------------------
  // Verified certificates reach the ledger only through the wallet's presentation service (src/wallet/oid4vp.ts).
  // Self-recorded hours are a note, never proof: the report lists them apart and counts none (assessMemberYear).

  /** 2.2.2: hours the advocate recorded themselves, kept in their own table and never counted as verified. */
  async recordSelfHours(p: Principal, barId: string, licence: string, input: SelfHoursInput): Promise<SelfRecordedHours> {
    const m = await this.requireMember(p, barId, licence);
    return this.addSelfEntry({ barId, licence: m.licence }, selfHoursOrRefuse(input), describePrincipal(p));
  }

  /** 2.2(2): the advocate records their own hours from /me, at most {@link MAX_OWN_SELF_ENTRIES} a year. */
  async recordOwnSelfHours(m: MemberRef, input: SelfHoursInput): Promise<SelfRecordedHours> {
    const changes = selfHoursOrRefuse(input);
    if (!(await this.deps.store.getMember(m.barId, m.licence))) throw keyedError("not_found", COMPLIANCE_DETAIL_TEMPLATES, "compliance-member-none");
    const own = (await this.deps.store.listSelfRecorded(m.barId, changes.year)).filter((r) => mayEditSelfRecorded(m, r));
    if (own.length >= MAX_OWN_SELF_ENTRIES) {
      throw keyedError("rule_violated", COMPLIANCE_DETAIL_TEMPLATES, "compliance-self-entries-too-many", { max: MAX_OWN_SELF_ENTRIES }, { problems: [{ path: "year", message: "too many entries this year", code: "self_hours_too_many" }] });
    }
    return this.addSelfEntry(m, changes, describeAdvocate(m));
  }

  /** 2.2(2): the advocate changes an entry they recorded themselves; anything else is `not_found`, nothing changed. */
  async updateOwnSelfHours(m: MemberRef, id: string, input: SelfHoursInput): Promise<void> {
    const changes = selfHoursOrRefuse(input);
    if (!(await this.deps.store.updateSelfRecorded({ id, barId: m.barId, licence: m.licence, recordedBy: describeAdvocate(m) }, changes))) {
      throw keyedError("not_found", COMPLIANCE_DETAIL_TEMPLATES, "compliance-self-entry-unknown", { id: JSON.stringify(id) });
    }
  }

  /** 2.2(2): the advocate deletes an entry they recorded themselves; anything else is `not_found`, nothing deleted. */
  async deleteOwnSelfHours(m: MemberRef, id: string): Promise<void> {
    if (!(await this.deps.store.deleteSelfRecorded({ id, barId: m.barId, licence: m.licence, recordedBy: describeAdvocate(m) }))) {
      throw keyedError("not_found", COMPLIANCE_DETAIL_TEMPLATES, "compliance-self-entry-unknown", { id: JSON.stringify(id) });
    }
  }

  private async addSelfEntry(m: MemberRef, changes: SelfRecordedChanges, recordedBy: string): Promise<SelfRecordedHours> {
    const entry: SelfRecordedHours = { id: newId(16), barId: m.barId, licence: m.licence, ...changes, recordedAt: this.now(), recordedBy };
    await this.deps.store.addSelfRecorded(entry);
    return entry;
  }

  // ---- the report ---------------------------------------------------------------------------------------------------

  /**
   * 12.1, 12.2: every member's year, from verified certificates only. A year the bar has closed is its frozen
   * snapshot (with the certificates that arrived later listed apart); an open one is computed now.
   */
  async report(p: Principal, barId: string, year: number): Promise<ComplianceReport> {
    assertMayReadBarReports(p, barId);
    await this.territorialBar(barId);
    return this.yearReport(barId, year);
  }

  /**
   * The one place that decides which report a year has (12.1, 12.2): a closed year's frozen snapshot, else the year
   * computed now. For callers that have checked who may read it (`report`, the annual analysis of 3.2).
   */
  async yearReport(barId: string, year: number): Promise<ComplianceReport> {
    return (await this.deps.closedReport?.(barId, year)) ?? this.buildReport(barId, year);
  }

  /**
   * The year computed from what is recorded now. `asOf` (closing the year, 12.2): only certificates issued, presented
   * or accepted up to that instant, so what comes later is exactly what the closed year lists as late.
   */
  async buildReport(barId: string, year: number, options: { asOf?: string } = {}): Promise<ComplianceReport> {
    const { asOf } = options;
    const publicUrl = this.deps.registry.publicUrl;
    const [members, suspensions, presented, selfRecorded, issued, policies, acceptedAll, earlierFoundations] = await Promise.all([
      this.deps.store.listMembers(barId),
      this.deps.store.listSuspensions(barId),
      this.deps.ledger.presentedInYear(barId, year, asOf),
      this.deps.store.listSelfRecorded(barId, year),
      this.deps.store.issuedToMembers(barId, year, asOf),
      this.deps.store.listPolicies(barId),
      this.deps.submissions?.acceptedInYear(barId, year) ?? Promise.resolve([]),
      this.deps.store.foundationsBefore(barId, year),
    ]);
    const accepted = asOf === undefined ? acceptedAll : acceptedAll.filter((a) => a.decidedAt !== null && a.decidedAt <= asOf);
    const policyOf = (y: number): CompliancePolicy => policies.find((x) => x.year === y) ?? DEFAULT_POLICY;
    const stored = policies.find((x) => x.year === year);
    const policy: CompliancePolicy = stored ?? DEFAULT_POLICY;
    // 10.2: once completed, Foundations is not required again; one read for the whole bar, each earlier completion
    // judged by the minimum length of its own year's policy.
    const completedIn = foundationsCompletions(earlierFoundations, policyOf);
    const entries = new Map<string, YearEntry[]>();
    const add = (licence: string, e: YearEntry) => {
      const list = entries.get(licence);
      if (list) list.push(e);
      else entries.set(licence, [e]);
    };
    // Both sources name certificates issued here by id, so one issued and presented counts once (assessMemberYear).
    // A revoked certificate counts neither as issued nor as presented.
    const credentialId = (certificateId: string) => certificateUrlFor(publicUrl, certificateId);
    for (const c of issued) {
      if (!c.revoked) add(c.licence, { credentialId: credentialId(c.certificateId), minutes: c.minutes, programme: c.programme, form: c.form, role: c.role, provenBy: "issued" });
    }
    for (const r of presented) {
      if (!r.revoked) add(r.licence, { credentialId: credentialId(r.certificateId), minutes: r.minutes, programme: r.programme, form: r.form, role: r.role, provenBy: "presented" });
    }
    // Outside certificates the bar accepted on review count with the hours it credited. One uploaded with its signed
    // credential is keyed by that credential's id, so the same credential accepted twice counts once; Senim's own
    // certificates are refused as submissions (src/compliance/submissions.ts), so none can double an issued one.
    const acceptedBy = new Map<string, AcceptedByBar[]>();
    for (const a of accepted) {
      if (a.creditedHours === null || a.decidedAt === null || a.decidedBy === null) continue;
      const credited = Math.round(a.creditedHours * 10);
      add(a.licence, { credentialId: a.credential?.credentialId ? `outside:${a.credential.credentialId}` : null, minutes: tenthsToMinutes(credited), programme: a.programme, role: "attendee", provenBy: "accepted-by-bar" });
      const list = acceptedBy.get(a.licence) ?? [];
      list.push({ submissionId: a.id, organiser: a.organiser, topic: a.topic, completedOn: a.completedOn, creditedHours: a.creditedHours, decidedBy: a.decidedBy, decidedAt: a.decidedAt });
      acceptedBy.set(a.licence, list);
    }
    for (const r of selfRecorded) add(r.licence, { credentialId: null, minutes: r.minutes, programme: r.programme, role: "attendee", provenBy: "self-recorded" });
    const byLicence = new Map<string, { from: string; until: string | null }[]>();
    for (const s of suspensions) {
      const list = byLicence.get(s.licence);
      if (list) list.push(s);
      else byLicence.set(s.licence, [s]);
    }
    const { to } = kzYearRange(year);
    const totals: ComplianceReport["totals"] = { members: 0, met: 0, short: 0, exempt: 0, "no-policy": 0, verifiedHours: 0, selfRecordedHours: 0 };
    let verifiedMinutes = 0;
    let selfMinutes = 0;
    const rows: MemberReportRow[] = [];
    for (const m of members) {
      if (m.admissionDate > `${year}-12-31`) continue; // not yet a member that year
      const y = assessMemberYear(
        year,
        { admissionDate: m.admissionDate, suspensions: byLicence.get(m.licence) ?? [], foundationsCompletedIn: completedIn.get(m.licence) ?? null },
        entries.get(m.licence) ?? [],
        policy,
      );
      const admittedDays = y.daysInYear - Math.max(0, dayOfYear(m.admissionDate, year));
      rows.push({
        licence: m.licence,
        fullName: m.fullName,
        admissionDate: m.admissionDate,
        practiceYears: y.practiceYears,
        activeDays: y.activeDays,
        suspendedDays: admittedDays - y.activeDays,
        certificates: y.certificates,
        verifiedHours: academicHours(y.verifiedMinutes),
        verifiedMinutes: y.verifiedMinutes,
        teachingHours: academicHours(y.teachingMinutes),
        acceptedByBarHours: academicHours(y.acceptedMinutes),
        acceptedByBar: acceptedBy.get(m.licence) ?? [],
        selfRecordedHours: academicHours(y.selfRecordedMinutes),
        requiredHours: y.requiredMinutes === null ? null : academicHours(y.requiredMinutes),
        requiredMinutes: y.requiredMinutes,
        foundationsRequired: y.foundationsRequired,
        foundationsDone: y.foundationsDone,
        foundationsCompletedIn: y.foundationsCompletedIn,
        status: y.status,
        duty: y.notes,
      });
      totals.members++;
      totals[y.status]++;
      verifiedMinutes += y.verifiedMinutes;
      selfMinutes += y.selfRecordedMinutes;
    }
    totals.verifiedHours = academicHours(verifiedMinutes);
    totals.selfRecordedHours = academicHours(selfMinutes);
    const now = asOf ?? this.now();
    return { barId, year, final: now >= to, generatedAt: now, policy: view(barId, year, policy, stored), totals, members: rows };
  }
}

/** Days of `year` before `date` (0 when the date is before the year). */
function dayOfYear(date: string, year: number): number {
  const start = Date.parse(`${year}-01-01T00:00:00Z`);
  return Math.max(0, Math.round((Date.parse(`${date}T00:00:00Z`) - start) / 86_400_000));
}

function view(barId: string, year: number, p: CompliancePolicy, stored: StoredPolicy | undefined): PolicyView {
  return {
    barId,
    year,
    configured: stored !== undefined,
    requiredAcademicHours: p.requiredMinutes === null ? null : academicHours(p.requiredMinutes),
    requiredMinutes: p.requiredMinutes,
    foundationsRule: p.foundationsRule,
    foundationsSourceWording: FOUNDATIONS_SOURCE_WORDING,
    teachingCreditPercent: p.teachingCreditPercent,
    prorate: p.prorate,
    foundationsMinimumMinutes: p.foundationsMinimumMinutes ?? null,
    updatedAt: stored?.updatedAt ?? null,
  };
}
