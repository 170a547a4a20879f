/** Submissions of outside and paper certificates and their review (migration 0010). */
import { sql } from "kysely";
import type { Decision, Submission, SubmissionStore } from "../compliance/submissions.js";
import type { AttachmentType, SubmissionStatus } from "../domain/submission.js";
import type { StoreDb } from "./atomic.js";
import type { AuditedWrite } from "../domain/audit.js";
import { auditedAtomic } from "./audit-store.js";
import { isUniqueViolation } from "./errors.js";
import type { SubmissionRow } from "./schema.js";

export class KyselySubmissionStore implements SubmissionStore {
  constructor(private readonly store: StoreDb) {}

  private get db() {
    return this.store.db;
  }

  async insert(s: Submission): Promise<void> {
    await this.db.insertInto("submissions").values(row(s)).execute();
  }

  async get(barId: string, id: string): Promise<Submission | undefined> {
    const r = await this.db.selectFrom("submissions").selectAll().where("bar_id", "=", barId).where("id", "=", id).executeTakeFirst();
    return r && submission(r);
  }

  async list(barId: string, filter: { status?: SubmissionStatus; licence?: string } = {}): Promise<Submission[]> {
    let q = this.db.selectFrom("submissions").selectAll().where("bar_id", "=", barId);
    if (filter.status !== undefined) q = q.where("status", "=", filter.status);
    if (filter.licence !== undefined) q = q.where("licence", "=", filter.licence);
    const rows = await q
      .orderBy(sql`case when status = 'pending' then 0 else 1 end`)
      .orderBy(sql`case when status = 'pending' then submitted_at else '' end`)
      .orderBy("decided_at", "desc")
      .orderBy("id")
      .execute();
    return rows.map(submission);
  }

  async listForMember(barId: string, licence: string): Promise<Submission[]> {
    const rows = await this.db.selectFrom("submissions").selectAll().where("bar_id", "=", barId).where("licence", "=", licence).orderBy("submitted_at", "desc").orderBy("id").execute();
    return rows.map(submission);
  }

  async decide(barId: string, id: string, decision: Decision, decidedAt: string, decidedBy: string, audit?: AuditedWrite): Promise<Submission | undefined> {
    // One statement decides: whichever concurrent UPDATE finds the row still pending wins, every other one matches
    // nothing (audited, the losers' batches are refused by the entry's once-only key and log nothing).
    const update = this.db
      .updateTable("submissions")
      .set({
        status: decision.status,
        credited_tenths: decision.status === "accepted" ? Math.round(decision.creditedHours * 10) : null,
        reason: decision.status === "rejected" ? decision.reason : null,
        decided_at: decidedAt,
        decided_by: decidedBy,
      })
      .where("bar_id", "=", barId)
      .where("id", "=", id)
      .where("status", "=", "pending")
      .returningAll()
      .compile();
    try {
      const [result] = await auditedAtomic(this.store, [update], audit);
      const r = result!.rows[0] as SubmissionRow | undefined;
      return r && submission(r);
    } catch (e) {
      if (audit && isUniqueViolation(e)) return undefined;
      throw e;
    }
  }

  async acceptedInYear(barId: string, year: number): Promise<Submission[]> {
    const rows = await this.db
      .selectFrom("submissions as s")
      .innerJoin("members as m", (j) => j.onRef("m.bar_id", "=", "s.bar_id").onRef("m.licence", "=", "s.licence"))
      .selectAll("s")
      .where("s.bar_id", "=", barId)
      .where("s.year", "=", year)
      .where("s.status", "=", "accepted")
      .orderBy("s.decided_at")
      .orderBy("s.id")
      .execute();
    return rows.map(submission);
  }
}

const row = (s: Submission): SubmissionRow => ({
  id: s.id, bar_id: s.barId, licence: s.licence, year: s.year, organiser: s.organiser, topic: s.topic, programme: s.programme, form: s.form,
  completed_on: s.completedOn, claimed_tenths: Math.round(s.claimedHours * 10),
  attachment_id: s.attachment?.id ?? null, attachment_type: s.attachment?.mediaType ?? null, attachment_size: s.attachment?.size ?? null, attachment_name: s.attachment?.name ?? null,
  credential: s.credential?.text ?? null, credential_id: s.credential?.credentialId ?? null, credential_issuer: s.credential?.issuer ?? null,
  credential_verified: s.credential ? (s.credential.verified ? 1 : 0) : null, credential_profile: s.credential?.profile ?? null,
  credential_failed: s.credential ? JSON.stringify(s.credential.failed) : null,
  submitted_at: s.submittedAt, submitted_by: s.submittedBy, on_behalf: s.onBehalf ? 1 : 0, status: s.status,
  credited_tenths: s.creditedHours === null ? null : Math.round(s.creditedHours * 10), reason: s.reason, decided_at: s.decidedAt, decided_by: s.decidedBy,
});

const submission = (r: SubmissionRow): Submission => ({
  id: r.id, barId: r.bar_id, licence: r.licence, year: Number(r.year), organiser: r.organiser, topic: r.topic, programme: r.programme, form: r.form,
  completedOn: r.completed_on, claimedHours: Number(r.claimed_tenths) / 10,
  attachment: r.attachment_id === null ? null : { id: r.attachment_id, mediaType: r.attachment_type as AttachmentType, size: Number(r.attachment_size), name: r.attachment_name },
  credential: r.credential === null ? null : {
    text: r.credential, credentialId: r.credential_id, issuer: r.credential_issuer, verified: Number(r.credential_verified) === 1,
    profile: r.credential_profile, failed: JSON.parse(r.credential_failed ?? "[]") as string[],
  },
  submittedAt: r.submitted_at, submittedBy: r.submitted_by, onBehalf: Number(r.on_behalf) === 1, status: r.status as SubmissionStatus,
  creditedHours: r.credited_tenths === null ? null : Number(r.credited_tenths) / 10, reason: r.reason, decidedAt: r.decided_at, decidedBy: r.decided_by,
});
