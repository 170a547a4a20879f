/**
 * Closing a bar's year (12.1, 12.2, 13.1). The bar closes a calendar year, once it has ended in Kazakhstan, on a date
 * it chooses (its presidium's): the compliance report of that moment is frozen as a snapshot, stored as canonical JSON
 * with its SHA-256, and from then on the year's report is that snapshot, never recomputed. Certificates for the year
 * still arrive (issuing is not refused: the training happened); they are listed apart as late, with their hours and
 * what they would change, and the frozen figures do not move. Reopening needs a reason, which stays on record: a
 * closing is never deleted, reopening marks it and a new closing adds another. For each member short in the closed
 * year the bar records the measure taken (12.1: the bars act against those who evade; 13.1), shown on the report.
 */
import { assertMayCloseYear, assertMayReadBarReports, describePrincipal, type Principal } from "../domain/authz.js";
import { RBA_ID } from "../domain/catalog.js";
import { creditedMinutes, DEFAULT_POLICY, kzYearRange, withLateEntries, type CompliancePolicy, type ComplianceStatus, type YearEntry } from "../domain/compliance.js";
import { keyedError, type FieldProblem } from "../domain/errors.js";
import { fieldProblem } from "../domain/field-problems.js";
import type { AuditedWrite } from "../domain/audit.js";
import { audited } from "../lib/audit-chain.js";
import { normaliseLicence } from "../domain/people.js";
import { tenthsToMinutes } from "../domain/submission.js";
import { academicHours, isValidDate, kzDate } from "../domain/time.js";
import { canonicalJson } from "../lib/canonical-json.js";
import { newId, sha256Hex } from "../lib/ids.js";
import type { CertificateRecord } from "./model.js";
import type { ComplianceReport, ComplianceService, MemberReportRow } from "./service.js";
import type { SubmissionStore } from "./submissions.js";
import { CLOSING_DETAIL_TEMPLATES, COMPLIANCE_DETAIL_TEMPLATES } from "./details.js";

/** One closing of a (bar, year): kept for ever; `reopened*` set when the bar reopened the year. */
export interface YearClosing {
  id: string;
  barId: string;
  year: number;
  /** `YYYY-MM-DD`: the date the bar chose (its presidium's decision). */
  closedOn: string;
  /** The instant the snapshot was taken: certificates issued, presented or accepted later are late. */
  closedAt: string;
  closedBy: string;
  /** SHA-256 (hex) of the snapshot's canonical JSON, exactly as stored and served. */
  digest: string;
  reopenedAt: string | null;
  reopenedBy: string | null;
  reopenReason: string | null;
}

/** 13.1: the measure a bar took for a member short in a closed year. */
export interface YearMeasure {
  barId: string;
  year: number;
  licence: string;
  /** Free text: the decision as the bar took it. */
  decision: string;
  /** `YYYY-MM-DD`: when it was decided. */
  decidedOn: string;
  recordedAt: string;
  recordedBy: string;
}

/** A certificate issued here after the closing, for an event of the closed year, to a member of the bar. */
export interface LateIssued extends CertificateRecord {
  issuedAt: string;
  topic: string;
}

export interface ClosingStore {
  /**
   * Writes the closing and its snapshot (in pieces) as one atomic write; `false`, nothing written, when the year has
   * an open closing already (one open closing per bar and year, by a unique index: of concurrent closings one wins).
   */
  insertClosing(closing: YearClosing, snapshot: string, audit?: AuditedWrite): Promise<boolean>;
  /** The year's closing that is not reopened, if any. */
  openClosing(barId: string, year: number): Promise<YearClosing | undefined>;
  /** Every closing of the year, oldest first (reopened ones included). */
  closings(barId: string, year: number): Promise<YearClosing[]>;
  /** The snapshot's canonical JSON, exactly as stored. */
  snapshotOf(closingId: string): Promise<string | undefined>;
  /** Marks the open closing reopened, in the one statement that finds it open; the reopened closing, or undefined. */
  reopen(barId: string, year: number, at: string, by: string, reason: string, audit?: AuditedWrite): Promise<YearClosing | undefined>;
  /** Records (or replaces) the member's measure for the year, with its audit entry (issue 17) in the same write. */
  putMeasure(measure: YearMeasure, audit?: AuditedWrite): Promise<void>;
  measures(barId: string, year: number): Promise<YearMeasure[]>;
  /** Certificates issued after `after` to the bar's members for events that ended in `year`, not revoked. */
  issuedAfter(barId: string, year: number, after: string): Promise<LateIssued[]>;
}

/** What a closed report says of its closing. */
export interface ReportClosing {
  id: string;
  closedOn: string;
  closedAt: string;
  closedBy: string;
  digest: string;
}

/** 12.2: one certificate for the closed year that arrived after the closing. */
export interface LateCertificate {
  /** Issued here after the closing, or an outside certificate the bar accepted after it. */
  kind: "issued" | "accepted-by-bar";
  /** The certificate's id, or the submission's. */
  id: string;
  licence: string;
  /** The member's name as the snapshot has it; `null` when the snapshot does not list them. */
  fullName: string | null;
  topic: string;
  programme: string;
  role: "attendee" | "teacher";
  /** Academic hours it would credit, under the policy the year was closed with (5.1.4 teaching credit included). */
  hours: number;
  /** When it was issued (or accepted). */
  at: string;
}

/** 12.2: what a member's late certificates would change, beside the frozen figures (which stay). */
export interface LateEffect {
  licence: string;
  fullName: string | null;
  lateHours: number;
  /** As frozen; `null` when the snapshot does not list the member (admitted to the bar's records since). */
  frozen: { verifiedHours: number; status: ComplianceStatus; foundationsDone: boolean } | null;
  /** With the late certificates counted; `null` as `frozen`. */
  withLate: { verifiedHours: number; status: ComplianceStatus; foundationsDone: boolean } | null;
  statusWouldChange: boolean;
}

export interface LateReport {
  certificates: LateCertificate[];
  members: LateEffect[];
  /** The late certificates' academic hours together. */
  hours: number;
}

/** The closing as the API shows it: whether the year is closed, every closing with its reason, and the measures. */
export interface ClosingState {
  barId: string;
  year: number;
  /** Whether the year has ended in Kazakhstan (only then may it be closed). */
  yearEnded: boolean;
  closed: boolean;
  current: YearClosing | null;
  history: YearClosing[];
  measures: YearMeasure[];
}

/** Reasons and decisions: plain text of at most this many characters. */
export const CLOSING_TEXT_MAX = 2000;

export class YearClosingService {
  constructor(
    private readonly deps: {
      store: ClosingStore;
      compliance: Pick<ComplianceService, "buildReport">;
      registry: { now(): string; bar(id: string): Promise<{ id: string } | undefined> };
      submissions?: Pick<SubmissionStore, "acceptedInYear">;
    },
  ) {}

  private now(): string {
    return this.deps.registry.now();
  }

  private async territorialBar(barId: string): Promise<void> {
    const bar = await this.deps.registry.bar(barId);
    // The RBA has no members of its own, so it has no year to close.
    if (!bar || bar.id === RBA_ID) throw keyedError("not_found", COMPLIANCE_DETAIL_TEMPLATES, "compliance-bar-unknown", { id: JSON.stringify(barId) });
  }

  /**
   * 12.1, 12.2: closes the year on `closedOn`, freezing the report of this moment. Refused before the year has ended
   * in Kazakhstan (422), for a date before its end or after today (422), and when the year is closed already (409).
   */
  async close(p: Principal, barId: string, year: number, input: { closedOn: string }): Promise<ClosingState> {
    assertMayCloseYear(p, barId);
    await this.territorialBar(barId);
    const now = this.now();
    const closedOn = input.closedOn;
    if (!isValidDate(closedOn)) throw keyedError("invalid_request", CLOSING_DETAIL_TEMPLATES, "closing-closed-on-invalid", undefined, { problems: [fieldProblem("closedOn", "date-format-invalid")] });
    if (now < kzYearRange(year).to) {
      throw keyedError("rule_violated", CLOSING_DETAIL_TEMPLATES, "closing-year-not-ended", { year }, { problems: [fieldProblem("year", "year-not-ended")] });
    }
    const today = kzDate(now);
    if (closedOn < `${year + 1}-01-01` || closedOn > today) {
      throw keyedError("rule_violated", CLOSING_DETAIL_TEMPLATES, "closing-closed-on-outside", { year, today }, { problems: [fieldProblem("closedOn", "closed-on-outside")] });
    }
    if (await this.deps.store.openClosing(barId, year)) throw alreadyClosed(barId, year);
    // The snapshot counts what was recorded up to `now`; what comes after is late (issuedAfter, decidedAt > closedAt).
    const report = await this.deps.compliance.buildReport(barId, year, { asOf: now });
    const snapshot = canonicalJson(report);
    const closing: YearClosing = {
      id: newId(20), barId, year, closedOn, closedAt: now, closedBy: describePrincipal(p), digest: await sha256Hex(snapshot), reopenedAt: null, reopenedBy: null, reopenReason: null,
    };
    // The snapshot is in the entry only as its digest (it names members); the closing's own digest is the same text's.
    const audit = await audited({ at: now, principal: p, action: "year.closed", barId, subjects: [closing.id], content: { closingId: closing.id, barId, year, closedOn, snapshotDigest: closing.digest } });
    if (!(await this.deps.store.insertClosing(closing, snapshot, audit))) throw alreadyClosed(barId, year);
    return this.stateOf(barId, year);
  }

  /** Reopens a closed year; the reason (required) stays on record with the closing it ends. */
  async reopen(p: Principal, barId: string, year: number, input: { reason: string }): Promise<ClosingState> {
    assertMayCloseYear(p, barId);
    await this.territorialBar(barId);
    const reason = (input.reason ?? "").trim();
    if (reason.length < 1 || reason.length > CLOSING_TEXT_MAX) throw reasonProblem(reason);
    const open = await this.deps.store.openClosing(barId, year);
    const at = this.now();
    const audit = open && (await audited({ at, principal: p, action: "year.reopened", barId, subjects: [open.id], content: { closingId: open.id, reason, reopenedAt: at }, onceKey: `year.reopened:${open.id}` }));
    const reopened = open && (await this.deps.store.reopen(barId, year, at, describePrincipal(p), reason, audit));
    if (!reopened) throw keyedError("conflict", CLOSING_DETAIL_TEMPLATES, "closing-nothing-to-reopen", { year, bar: barId });
    return this.stateOf(barId, year);
  }

  /** 13.1: the measure taken for a member short in the closed year (recorded again, it replaces the earlier one). */
  async recordMeasure(p: Principal, barId: string, year: number, licence: string, input: { decision: string; decidedOn: string }): Promise<YearMeasure> {
    assertMayCloseYear(p, barId);
    await this.territorialBar(barId);
    const decision = (input.decision ?? "").trim();
    const problems: FieldProblem[] = [];
    if (decision.length < 1 || decision.length > CLOSING_TEXT_MAX) problems.push(fieldProblem("decision", "text-length", { max: CLOSING_TEXT_MAX }));
    if (!isValidDate(input.decidedOn ?? "")) problems.push(fieldProblem("decidedOn", "date-format-invalid"));
    if (problems.length) throw keyedError("invalid_request", CLOSING_DETAIL_TEMPLATES, "closing-measure-incomplete", undefined, { problems });
    const now = this.now();
    if (input.decidedOn < `${year + 1}-01-01` || input.decidedOn > kzDate(now)) {
      throw keyedError("rule_violated", CLOSING_DETAIL_TEMPLATES, "closing-decided-on-outside", { year }, { problems: [fieldProblem("decidedOn", "outside-measure-dates")] });
    }
    const closing = await this.deps.store.openClosing(barId, year);
    if (!closing) throw keyedError("conflict", CLOSING_DETAIL_TEMPLATES, "closing-measure-year-open", { year, bar: barId });
    const l = normaliseLicence(licence);
    const row = (await this.snapshot(closing)).members.find((m) => m.licence === l);
    if (!row) throw keyedError("not_found", CLOSING_DETAIL_TEMPLATES, "closing-member-not-listed", { year, licence: JSON.stringify(l) });
    if (row.status !== "short") {
      throw keyedError("rule_violated", CLOSING_DETAIL_TEMPLATES, "closing-member-not-short", { licence: l, year }, {
        parts: { status: `closing-status-${row.status}` },
        problems: [fieldProblem("licence", "member-not-short")],
      });
    }
    const measure: YearMeasure = { barId, year, licence: l, decision, decidedOn: input.decidedOn, recordedAt: now, recordedBy: describePrincipal(p) };
    // The licence is in the digest only (an entry holds no personal data in clear); the subject is the closing.
    await this.deps.store.putMeasure(measure, await audited({ at: now, principal: p, action: "measure.recorded", barId, subjects: [closing.id], content: measure }));
    return measure;
  }

  /** The year's closing: whether closed, every closing (with the reasons for reopening) and the measures. */
  async state(p: Principal, barId: string, year: number): Promise<ClosingState> {
    assertMayReadBarReports(p, barId);
    await this.territorialBar(barId);
    return this.stateOf(barId, year);
  }

  /** A closing's snapshot exactly as stored (its SHA-256 is the closing's digest): the open closing, or one named. */
  async snapshotText(p: Principal, barId: string, year: number, closingId?: string): Promise<{ closing: YearClosing; text: string }> {
    assertMayReadBarReports(p, barId);
    await this.territorialBar(barId);
    const closings = await this.deps.store.closings(barId, year);
    const closing = closingId === undefined ? closings.find((c) => c.reopenedAt === null) : closings.find((c) => c.id === closingId);
    if (!closing) {
      throw closingId === undefined
        ? keyedError("not_found", CLOSING_DETAIL_TEMPLATES, "closing-year-open", { year, bar: barId })
        : keyedError("not_found", CLOSING_DETAIL_TEMPLATES, "closing-unknown", { id: JSON.stringify(closingId), bar: barId, year });
    }
    const text = await this.deps.store.snapshotOf(closing.id);
    if (text === undefined) throw snapshotMissing(closing.id);
    return { closing, text };
  }

  /**
   * The closed year's report for {@link ComplianceService.report} (which has checked who may read it): the snapshot,
   * each short member's measure, and the late certificates apart. `undefined` while the year is not closed.
   */
  async closedReport(barId: string, year: number): Promise<ComplianceReport | undefined> {
    const closing = await this.deps.store.openClosing(barId, year);
    if (!closing) return undefined;
    const [snapshot, measures, issued, accepted] = await Promise.all([
      this.snapshot(closing),
      this.deps.store.measures(barId, year),
      this.deps.store.issuedAfter(barId, year, closing.closedAt),
      this.deps.submissions?.acceptedInYear(barId, year) ?? Promise.resolve([]),
    ]);
    const byLicence = new Map(measures.map((m) => [m.licence, m]));
    const members = snapshot.members.map((m) => ({ ...m, measure: byLicence.get(m.licence) ?? null }));
    const { id, closedOn, closedAt, closedBy, digest } = closing;
    return { ...snapshot, members, closing: { id, closedOn, closedAt, closedBy, digest }, late: lateReport(snapshot, issued, accepted, closedAt) };
  }

  private async snapshot(closing: YearClosing): Promise<ComplianceReport> {
    const text = await this.deps.store.snapshotOf(closing.id);
    if (text === undefined) throw snapshotMissing(closing.id);
    return JSON.parse(text) as ComplianceReport;
  }

  private async stateOf(barId: string, year: number): Promise<ClosingState> {
    const [history, measures] = await Promise.all([this.deps.store.closings(barId, year), this.deps.store.measures(barId, year)]);
    const current = history.find((c) => c.reopenedAt === null) ?? null;
    return { barId, year, yearEnded: this.now() >= kzYearRange(year).to, closed: current !== null, current, history, measures };
  }
}

const alreadyClosed = (barId: string, year: number) => keyedError("conflict", CLOSING_DETAIL_TEMPLATES, "closing-already-closed", { year, bar: barId });

/** The snapshot of a closing whose row is there but whose text is not: the store is damaged, not the request. */
const snapshotMissing = (closingId: string) => keyedError("internal", CLOSING_DETAIL_TEMPLATES, "closing-snapshot-missing", { id: closingId });

const reasonProblem = (text: string) =>
  keyedError("invalid_request", CLOSING_DETAIL_TEMPLATES, "closing-reopen-reason-invalid", { max: CLOSING_TEXT_MAX }, {
    problems: [{ path: "reason", message: text.length === 0 ? "required" : `at most ${CLOSING_TEXT_MAX} characters` }],
  });

/** The policy a closed year was judged by, from its snapshot (what late certificates are weighed with). */
function snapshotPolicy(r: ComplianceReport): CompliancePolicy {
  return {
    requiredMinutes: r.policy.requiredMinutes,
    foundationsRule: r.policy.foundationsRule,
    teachingCreditPercent: r.policy.teachingCreditPercent,
    prorate: r.policy.prorate,
    foundationsMinimumMinutes: r.policy.foundationsMinimumMinutes ?? DEFAULT_POLICY.foundationsMinimumMinutes,
  };
}

/**
 * 12.2: the late certificates, each with the hours it would credit, and per member what they would change; computed
 * when the report is read, beside the snapshot, which stays as it was frozen.
 */
function lateReport(snapshot: ComplianceReport, issued: readonly LateIssued[], accepted: Awaited<ReturnType<SubmissionStore["acceptedInYear"]>>, closedAt: string): LateReport {
  const policy = snapshotPolicy(snapshot);
  const rows = new Map<string, MemberReportRow>(snapshot.members.map((m) => [m.licence, m]));
  const entries = new Map<string, YearEntry[]>();
  const certificates: LateCertificate[] = [];
  let totalMinutes = 0;
  const add = (licence: string, e: YearEntry, c: Omit<LateCertificate, "hours" | "licence" | "fullName">) => {
    entries.set(licence, [...(entries.get(licence) ?? []), e]);
    const credit = creditedMinutes(e, policy);
    totalMinutes += credit;
    certificates.push({ ...c, licence, fullName: rows.get(licence)?.fullName ?? null, hours: academicHours(credit) });
  };
  for (const c of issued) {
    if (c.revoked) continue;
    add(c.licence, { credentialId: c.certificateId, minutes: c.minutes, programme: c.programme, role: c.role, provenBy: "issued" }, { kind: "issued", id: c.certificateId, topic: c.topic, programme: c.programme, role: c.role, at: c.issuedAt });
  }
  // An outside credential accepted before the closing is in the snapshot already: accepted again later, it is not late.
  const counted = new Set(accepted.filter((a) => a.decidedAt !== null && a.decidedAt <= closedAt && a.credential?.credentialId).map((a) => a.credential!.credentialId));
  for (const a of accepted) {
    if (a.creditedHours === null || a.decidedAt === null || a.decidedAt <= closedAt) continue;
    if (a.credential?.credentialId) {
      if (counted.has(a.credential.credentialId)) continue;
      counted.add(a.credential.credentialId);
    }
    const minutes = tenthsToMinutes(Math.round(a.creditedHours * 10));
    add(a.licence, { credentialId: null, minutes, programme: a.programme, role: "attendee", provenBy: "accepted-by-bar" }, { kind: "accepted-by-bar", id: a.id, topic: a.topic, programme: a.programme, role: "attendee", at: a.decidedAt });
  }
  const members: LateEffect[] = [...entries].map(([licence, late]) => {
    const row = rows.get(licence);
    const lateMinutes = late.reduce((sum, e) => sum + creditedMinutes(e, policy), 0);
    if (!row) return { licence, fullName: null, lateHours: academicHours(lateMinutes), frozen: null, withLate: null, statusWouldChange: false };
    const after = withLateEntries(row, late, policy);
    return {
      licence,
      fullName: row.fullName,
      lateHours: academicHours(lateMinutes),
      frozen: { verifiedHours: row.verifiedHours, status: row.status, foundationsDone: row.foundationsDone },
      withLate: { verifiedHours: academicHours(after.verifiedMinutes), status: after.status, foundationsDone: after.foundationsDone },
      statusWouldChange: after.status !== row.status,
    };
  });
  certificates.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.id < y.id ? -1 : 1));
  members.sort((x, y) => (x.licence < y.licence ? -1 : 1));
  return { certificates, members, hours: academicHours(totalMinutes) };
}
