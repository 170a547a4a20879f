/**
 * Closed years (12.1, 12.2, 13.1; migration 0015): closings with their frozen report, and the measures taken for
 * members short in a closed year. A closing and the pieces of its snapshot are one atomic write; the partial unique
 * index `year_closings_open` lets one closing per (bar, year) be open, so of concurrent closings exactly one is
 * written and the others write nothing. Reopening is one UPDATE that finds the closing open, so it happens once.
 */
import type { ClosingStore, LateIssued, YearClosing, YearMeasure } from "../compliance/closing.js";
import { kzYearRange } from "../domain/compliance.js";
import type { StoreDb } from "./atomic.js";
import type { AuditedWrite } from "../domain/audit.js";
import { auditedAtomic } from "./audit-store.js";
import { isUniqueViolation } from "./errors.js";
import { certificateRecord, participantMinutesSql } from "./member-store.js";
import type { YearClosingRow, YearMeasureRow } from "./schema.js";

/**
 * Characters of snapshot per row: at most 1 MB even if every character took four bytes in UTF-8, far below D1's
 * row limit (about 2 MB); a bar of 2,000 members fits in a handful of rows.
 */
export const SNAPSHOT_CHUNK_CHARS = 250_000;

export class KyselyClosingStore implements ClosingStore {
  constructor(private readonly store: StoreDb) {}

  private get db() {
    return this.store.db;
  }

  async insertClosing(c: YearClosing, snapshot: string, audit?: AuditedWrite): Promise<boolean> {
    const pieces: string[] = [];
    for (let i = 0; i < snapshot.length; i += SNAPSHOT_CHUNK_CHARS) pieces.push(snapshot.slice(i, i + SNAPSHOT_CHUNK_CHARS));
    if (pieces.length === 0) pieces.push("");
    const statements = [
      // The head first: if another closing of the year is open, its unique index refuses this one, and the whole
      // write (pieces included) is undone.
      this.db.insertInto("year_closings").values({ ...closingRow(c), chunks: pieces.length }).compile(),
      ...pieces.map((data, seq) => this.db.insertInto("year_closing_chunks").values({ closing_id: c.id, seq, data }).compile()),
    ];
    try {
      await auditedAtomic(this.store, statements, audit);
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async openClosing(barId: string, year: number): Promise<YearClosing | undefined> {
    const r = await this.db.selectFrom("year_closings").selectAll().where("bar_id", "=", barId).where("year", "=", year).where("reopened_at", "is", null).executeTakeFirst();
    return r && closing(r);
  }

  async closings(barId: string, year: number): Promise<YearClosing[]> {
    const rows = await this.db.selectFrom("year_closings").selectAll().where("bar_id", "=", barId).where("year", "=", year).orderBy("closed_at").orderBy("id").execute();
    return rows.map(closing);
  }

  async snapshotOf(closingId: string): Promise<string | undefined> {
    const [head, pieces] = await Promise.all([
      this.db.selectFrom("year_closings").select("chunks").where("id", "=", closingId).executeTakeFirst(),
      this.db.selectFrom("year_closing_chunks").select(["seq", "data"]).where("closing_id", "=", closingId).orderBy("seq").execute(),
    ]);
    if (!head || pieces.length !== Number(head.chunks)) return undefined;
    return pieces.map((p) => p.data).join("");
  }

  async reopen(barId: string, year: number, at: string, by: string, reason: string, audit?: AuditedWrite): Promise<YearClosing | undefined> {
    const update = this.db
      .updateTable("year_closings")
      .set({ reopened_at: at, reopened_by: by, reopen_reason: reason })
      .where("bar_id", "=", barId)
      .where("year", "=", year)
      .where("reopened_at", "is", null)
      .returningAll()
      .compile();
    try {
      const [result] = await auditedAtomic(this.store, [update], audit);
      const r = result!.rows[0] as YearClosingRow | undefined;
      return r && closing(r);
    } catch (e) {
      // Audited, a concurrent second reopening is refused by the entry's once-only key.
      if (audit && isUniqueViolation(e)) return undefined;
      throw e;
    }
  }

  async putMeasure(m: YearMeasure, audit?: AuditedWrite): Promise<void> {
    const row: YearMeasureRow = { bar_id: m.barId, year: m.year, licence: m.licence, decision: m.decision, decided_on: m.decidedOn, recorded_at: m.recordedAt, recorded_by: m.recordedBy };
    const upsert = this.db
      .insertInto("year_measures")
      .values(row)
      .onConflict((oc) => oc.columns(["bar_id", "year", "licence"]).doUpdateSet({ decision: row.decision, decided_on: row.decided_on, recorded_at: row.recorded_at, recorded_by: row.recorded_by }))
      .compile();
    await auditedAtomic(this.store, [upsert], audit);
  }

  async measures(barId: string, year: number): Promise<YearMeasure[]> {
    const rows = await this.db.selectFrom("year_measures").selectAll().where("bar_id", "=", barId).where("year", "=", year).orderBy("licence").execute();
    return rows.map((r) => ({ barId: r.bar_id, year: Number(r.year), licence: r.licence, decision: r.decision, decidedOn: r.decided_on, recordedAt: r.recorded_at, recordedBy: r.recorded_by }));
  }

  async issuedAfter(barId: string, year: number, after: string): Promise<LateIssued[]> {
    const { from, to } = kzYearRange(year);
    const rows = await this.db
      .selectFrom("members as m")
      .innerJoin("participants as p", "p.licence_number", "m.licence")
      .innerJoin("certificates as c", "c.participant_id", "p.id")
      .innerJoin("events as e", "e.id", "p.event_id")
      .select(["m.licence", "c.id as certificate_id", "c.issued_at", participantMinutesSql, "e.programme", "e.form", "e.topic", "p.role"])
      .where("m.bar_id", "=", barId)
      .where("e.ends_at", ">=", from)
      .where("e.ends_at", "<", to)
      .where("c.issued_at", ">", after)
      .where("c.revoked_at", "is", null)
      .orderBy("c.issued_at")
      .orderBy("c.id")
      .execute();
    // Not revoked by the query's own condition; the rest is a certificate record like every other.
    return rows.map((r) => ({ ...certificateRecord({ ...r, revoked: 0 }), issuedAt: r.issued_at, topic: r.topic }));
  }
}

const closingRow = (c: YearClosing): Omit<YearClosingRow, "chunks"> => ({
  id: c.id, bar_id: c.barId, year: c.year, closed_on: c.closedOn, closed_at: c.closedAt, closed_by: c.closedBy, digest: c.digest,
  reopened_at: c.reopenedAt, reopened_by: c.reopenedBy, reopen_reason: c.reopenReason,
});
const closing = (r: YearClosingRow): YearClosing => ({
  id: r.id, barId: r.bar_id, year: Number(r.year), closedOn: r.closed_on, closedAt: r.closed_at, closedBy: r.closed_by, digest: r.digest,
  reopenedAt: r.reopened_at, reopenedBy: r.reopened_by, reopenReason: r.reopen_reason,
});
