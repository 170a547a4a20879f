import { sql, type CompiledQuery, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import { yieldToEventLoop } from "../lib/yield.js";
import type {
  CertificateRecord,
  FoundationsAttended,
  LedgerStore,
  Member,
  MemberPage,
  MemberStore,
  SelfRecordedChanges,
  SelfRecordedHours,
  SelfRecordedKey,
  StoredPolicy,
  StoredSuspension,
} from "../compliance/model.js";
import { kzYearRange } from "../domain/compliance.js";
import { tenthsToMinutes } from "../domain/submission.js";
import { kzDate } from "../domain/time.js";
import type { AuditedWrite } from "../domain/audit.js";
import { chunks, rowsPerInsert, type StoreDb } from "./atomic.js";
import { auditedAtomic } from "./audit-store.js";
import { isUniqueViolation } from "./errors.js";
import { anyCasePatterns } from "./search.js";
import type { CompliancePolicyRow, Database, MemberRow, SuspensionRow } from "./schema.js";

/** Rows per statement of a member import: small enough that one statement is a few milliseconds. */
const MEMBER_ROWS_PER_STATEMENT = 1_000;

export class KyselyMemberStore implements MemberStore {
  constructor(private readonly store: StoreDb) {}

  private get db() {
    return this.store.db;
  }

  async upsertMembers(members: Member[], audit?: AuditedWrite): Promise<void> {
    if (members.length === 0) return;
    // 7 parameters a row: up to 1,000 rows per statement (D1: 14), all applied as one, so a large import is stored
    // whole or not at all. Compiled slice by slice, the event loop given back between them (issue 17).
    const statements: CompiledQuery[] = [];
    for (const rows of chunks(members.map(memberRow), Math.min(MEMBER_ROWS_PER_STATEMENT, rowsPerInsert(this.store, 7)))) {
      if (statements.length > 0) await yieldToEventLoop();
      statements.push(this.db
        .insertInto("members")
        .values(rows)
        .onConflict((oc) =>
          oc.columns(["bar_id", "licence"]).doUpdateSet((eb) => ({
            full_name: eb.ref("excluded.full_name"),
            admission_date: eb.ref("excluded.admission_date"),
            email: eb.ref("excluded.email"),
            updated_at: eb.ref("excluded.updated_at"),
          })),
        )
        .compile());
    }
    await auditedAtomic(this.store, statements, audit);
  }

  /** A delete audited once: the loser of two concurrent ones is refused by the entry's once-only key, so `false`. */
  private async auditedDelete(statement: CompiledQuery, audit: AuditedWrite | undefined): Promise<boolean> {
    try {
      const [r] = await auditedAtomic(this.store, [statement], audit);
      return Number(r!.numAffectedRows ?? 0n) === 1;
    } catch (e) {
      if (audit?.onceKey && isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async getMember(barId: string, licence: string): Promise<Member | undefined> {
    const r = await this.db.selectFrom("members").selectAll().where("bar_id", "=", barId).where("licence", "=", licence).executeTakeFirst();
    return r && member(r);
  }

  async listMembers(barId: string): Promise<Member[]> {
    return (await this.db.selectFrom("members").selectAll().where("bar_id", "=", barId).orderBy("full_name").orderBy("licence").execute()).map(member);
  }

  /**
   * Issue 16: one page of the bar's members in the list's order (name, then licence), optionally only those whose name
   * or licence contains `search`; with `countMembers`, what the console pages instead of drawing 2,000 rows at once.
   */
  async pageMembers(barId: string, page: MemberPage): Promise<Member[]> {
    const q = memberSearch(this.db.selectFrom("members").selectAll().where("bar_id", "=", barId), page.search);
    return (await q.orderBy("full_name").orderBy("licence").limit(page.limit).offset(page.offset).execute()).map(member);
  }

  /** How many members `pageMembers` pages through (with the same `search`). */
  async countMembers(barId: string, search?: string): Promise<number> {
    const q = memberSearch(this.db.selectFrom("members").select((eb) => eb.fn.countAll<number>().as("n")).where("bar_id", "=", barId), search);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  async deleteMember(barId: string, licence: string, audit?: AuditedWrite): Promise<boolean> {
    return this.auditedDelete(this.db.deleteFrom("members").where("bar_id", "=", barId).where("licence", "=", licence).compile(), audit);
  }

  async addSuspension(s: StoredSuspension, audit?: AuditedWrite): Promise<void> {
    const insert = this.db
      .insertInto("suspensions")
      .values({ id: s.id, bar_id: s.barId, licence: s.licence, from_date: s.from, until_date: s.until, reason: s.reason, recorded_at: s.recordedAt, recorded_by: s.recordedBy })
      .compile();
    await auditedAtomic(this.store, [insert], audit);
  }

  async listSuspensions(barId: string, licence?: string): Promise<StoredSuspension[]> {
    let q = this.db.selectFrom("suspensions").selectAll().where("bar_id", "=", barId);
    if (licence !== undefined) q = q.where("licence", "=", licence);
    return (await q.orderBy("from_date").orderBy("id").execute()).map(suspension);
  }

  async deleteSuspension(barId: string, id: string, audit?: AuditedWrite): Promise<boolean> {
    return this.auditedDelete(this.db.deleteFrom("suspensions").where("bar_id", "=", barId).where("id", "=", id).compile(), audit);
  }

  async getPolicy(barId: string, year: number): Promise<StoredPolicy | undefined> {
    const r = await this.db.selectFrom("compliance_policies").selectAll().where("bar_id", "=", barId).where("year", "=", year).executeTakeFirst();
    return r && storedPolicy(r);
  }

  async listPolicies(barId: string): Promise<StoredPolicy[]> {
    return (await this.db.selectFrom("compliance_policies").selectAll().where("bar_id", "=", barId).orderBy("year").execute()).map(storedPolicy);
  }

  async putPolicy(p: StoredPolicy, audit?: AuditedWrite): Promise<void> {
    const row = {
      bar_id: p.barId,
      year: p.year,
      required_minutes: p.requiredMinutes,
      foundations_minimum_minutes: p.foundationsMinimumMinutes ?? null,
      foundations_operator: p.foundationsRule?.operator ?? null,
      foundations_years: p.foundationsRule?.years ?? null,
      teaching_credit_percent: p.teachingCreditPercent,
      prorate: p.prorate ? 1 : 0,
      updated_at: p.updatedAt,
      updated_by: p.updatedBy,
    };
    const { bar_id: _b, year: _y, ...update } = row;
    await auditedAtomic(this.store, [this.db.insertInto("compliance_policies").values(row).onConflict((oc) => oc.columns(["bar_id", "year"]).doUpdateSet(update)).compile()], audit);
  }

  async addSelfRecorded(r: SelfRecordedHours): Promise<void> {
    await this.db
      .insertInto("self_recorded_hours")
      .values({ id: r.id, bar_id: r.barId, licence: r.licence, year: r.year, minutes: r.minutes, programme: r.programme, description: r.description, recorded_at: r.recordedAt, recorded_by: r.recordedBy })
      .execute();
  }

  async listSelfRecorded(barId: string, year: number): Promise<SelfRecordedHours[]> {
    const rows = await this.db.selectFrom("self_recorded_hours").selectAll().where("bar_id", "=", barId).where("year", "=", year).orderBy("recorded_at").orderBy("id").execute();
    return rows.map((r) => ({
      id: r.id, barId: r.bar_id, licence: r.licence, year: Number(r.year), minutes: Number(r.minutes), programme: r.programme, description: r.description,
      recordedAt: r.recorded_at, recordedBy: r.recorded_by,
    }));
  }

  async updateSelfRecorded(key: SelfRecordedKey, changes: SelfRecordedChanges): Promise<boolean> {
    const r = await ownSelfRecorded(this.db.updateTable("self_recorded_hours").set({ year: changes.year, minutes: changes.minutes, programme: changes.programme, description: changes.description }), key).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deleteSelfRecorded(key: SelfRecordedKey): Promise<boolean> {
    const r = await ownSelfRecorded(this.db.deleteFrom("self_recorded_hours"), key).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  async issuedToMembers(barId: string, year: number, asOf?: string): Promise<CertificateRecord[]> {
    const { from, to } = kzYearRange(year);
    // Issue 18: from the year's events (`events_ends_at`) to their participants (the `(event_id, licence_number)`
    // key), kept when the licence is one of the bar's members (its primary key), then each one's certificate: the year's
    // lists, never a member's every year. A member is matched by licence whatever bar the list named (2.1(2);
    // test/store-contract.test.ts, 12.2). CROSS JOIN fixes this order on SQLite and D1 (PostgreSQL plans freely).
    let q = this.db
      .selectFrom("events as e")
      .crossJoin("participants as p")
      .crossJoin("members as m")
      .crossJoin("certificates as c")
      .whereRef("p.event_id", "=", "e.id")
      .where("m.bar_id", "=", barId)
      .whereRef("m.licence", "=", "p.licence_number")
      .whereRef("c.participant_id", "=", "p.id")
      .select(["m.licence", "c.id as certificate_id", participantMinutesSql, "e.programme", "e.form", "p.role", revokedFlag])
      .where("e.ends_at", ">=", from)
      .where("e.ends_at", "<", to);
    if (asOf !== undefined) q = q.where("c.issued_at", "<=", asOf);
    return (await q.execute()).map(certificateRecord);
  }

  async foundationsBefore(barId: string, year: number): Promise<FoundationsAttended[]> {
    const { from } = kzYearRange(year);
    // Presented certificates (the ledger) are certificates issued here to the same licence, so the first read holds
    // them already; outside certificates reach the record only once the bar accepted them (submissions).
    // Every earlier year is the rule's, so this read starts from the members: each one's participations by licence
    // (`participants_licence`), then the event by its key. From the events it would read every bar's Foundations lists
    // of every year. CROSS JOIN keeps that order on SQLite and D1.
    const [issued, accepted] = await Promise.all([
      this.db
        .selectFrom("members as m")
        .crossJoin("participants as p")
        .crossJoin("events as e")
        .crossJoin("certificates as c")
        .whereRef("p.licence_number", "=", "m.licence")
        .whereRef("e.id", "=", "p.event_id")
        .whereRef("c.participant_id", "=", "p.id")
        .select(["m.licence", "e.ends_at", participantMinutesSql])
        .where("m.bar_id", "=", barId)
        .where("e.programme", "=", "foundations")
        .where("p.role", "=", "attendee")
        .where("c.revoked_at", "is", null)
        .where("e.ends_at", "<", from)
        .execute(),
      this.db
        .selectFrom("submissions")
        .select(["licence", "year", "credited_tenths"])
        .where("bar_id", "=", barId)
        .where("status", "=", "accepted")
        .where("programme", "=", "foundations")
        .where("year", "<", year)
        .execute(),
    ]);
    return [
      // 12.2: a certificate belongs to the Kazakhstan year in which its event ended.
      ...issued.map((r) => ({ licence: r.licence, year: Number(kzDate(r.ends_at).slice(0, 4)), minutes: Number(r.duration_minutes) })),
      ...accepted.filter((r) => r.credited_tenths !== null).map((r) => ({ licence: r.licence, year: Number(r.year), minutes: tenthsToMinutes(Number(r.credited_tenths)) })),
    ];
  }
}

/** A member search: any case of the text (`anyCasePatterns`), anywhere in the name or the licence. */
function memberSearch<Q extends { where: (e: (eb: ExpressionBuilder<Database, "members">) => Expression<SqlBool>) => Q }>(q: Q, search: string | undefined): Q {
  const patterns = anyCasePatterns(search);
  if (patterns.length === 0) return q;
  return q.where((eb) => eb.or(patterns.flatMap((p) => [sql<SqlBool>`${eb.ref("full_name")} like ${p} escape '\\'`, sql<SqlBool>`${eb.ref("licence")} like ${p} escape '\\'`])));
}

/**
 * The one condition every change of a self-recorded entry carries: its id, and the bar, licence and author it must
 * have. In the statement's own WHERE, so no read-then-write gap lets a change reach another member's row.
 */
function ownSelfRecorded<Q extends { where: (column: "id" | "bar_id" | "licence" | "recorded_by", op: "=", value: string) => Q }>(q: Q, key: SelfRecordedKey): Q {
  return q.where("id", "=", key.id).where("bar_id", "=", key.barId).where("licence", "=", key.licence).where("recorded_by", "=", key.recordedBy);
}

/**
 * The minutes a certificate credits its participant (`p` of event `e`), as `participantMinutes` in src/domain/event.ts
 * reads them: a teacher's minutes taught (5.1(4)), an attendee's minutes present (12.3), the event's whole duration
 * on lists from before migration 0016 (each row holds only its role's). The certificate states the same.
 */
export const participantMinutesSql = sql<number>`coalesce(p.taught_minutes, p.attended_minutes, e.duration_minutes)`.as("duration_minutes");

/** Whether the certificate (`c`) was revoked, as 0/1 on every dialect. */
const revokedFlag = sql<number>`case when c.revoked_at is null then 0 else 1 end`.as("revoked");
/** Issued and presented certificates reach the report in one shape. */
export const certificateRecord = (r: { licence: string; certificate_id: string; duration_minutes: number; programme: string; form: string; role: string; revoked: number }): CertificateRecord => ({
  licence: r.licence,
  certificateId: r.certificate_id,
  minutes: Number(r.duration_minutes),
  programme: r.programme,
  form: r.form,
  role: r.role as "attendee" | "teacher",
  revoked: Number(r.revoked) === 1,
});

const storedPolicy = (r: CompliancePolicyRow): StoredPolicy => ({
  barId: r.bar_id,
  year: Number(r.year),
  requiredMinutes: r.required_minutes === null ? null : Number(r.required_minutes),
  foundationsRule: r.foundations_operator === null ? null : { operator: r.foundations_operator as "<" | ">=", years: Number(r.foundations_years) },
  teachingCreditPercent: Number(r.teaching_credit_percent),
  prorate: Number(r.prorate) === 1,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
  // 10.2 (migration 0015): absent when no minimum is set, as policies were before there was one.
  ...(r.foundations_minimum_minutes === null ? {} : { foundationsMinimumMinutes: Number(r.foundations_minimum_minutes) }),
});

const memberRow = (m: Member): MemberRow => ({
  bar_id: m.barId, licence: m.licence, full_name: m.fullName, admission_date: m.admissionDate, email: m.email, created_at: m.createdAt, updated_at: m.updatedAt,
});
const member = (r: MemberRow): Member => ({
  barId: r.bar_id, licence: r.licence, fullName: r.full_name, admissionDate: r.admission_date, email: r.email, createdAt: r.created_at, updatedAt: r.updated_at,
});
const suspension = (r: SuspensionRow): StoredSuspension => ({
  id: r.id, barId: r.bar_id, licence: r.licence, from: r.from_date, until: r.until_date, reason: r.reason, recordedAt: r.recorded_at, recordedBy: r.recorded_by,
});

/** The one ledger (`ledger_entries`) as the compliance report reads it; the wallet's store writes it. */
export class KyselyLedgerStore implements LedgerStore {
  constructor(private readonly store: StoreDb) {}

  private get db() {
    return this.store.db;
  }

  async presentedInYear(barId: string, year: number, asOf?: string): Promise<CertificateRecord[]> {
    let q = this.db
      .selectFrom("ledger_entries as l")
      .innerJoin("certificates as c", "c.id", "l.certificate_id")
      .innerJoin("events as e", "e.id", "c.event_id")
      .select(["l.licence", "l.certificate_id", "l.duration_minutes", "l.programme", "e.form", "l.role", revokedFlag])
      .where("l.bar_id", "=", barId)
      .where("l.year", "=", year);
    if (asOf !== undefined) q = q.where("l.created_at", "<=", asOf);
    return (await q.execute()).map(certificateRecord);
  }
}
