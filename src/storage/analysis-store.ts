import { sql } from "kysely";
import type { AnalysisStore, TrainingGroup } from "../compliance/analysis.js";
import { kzYearRange } from "../domain/compliance.js";
import type { StoreDb } from "./atomic.js";

export class KyselyAnalysisStore implements AnalysisStore {
  constructor(private readonly store: StoreDb) {}

  private get db() {
    return this.store.db;
  }

  /** The minutes each certificate credits (participantMinutesSql in member-store.ts): attended or taught, else the event's. */
  private base(year: number, barId?: string) {
    const { from, to } = kzYearRange(year);
    let q = this.db
      .selectFrom("certificates as c")
      .innerJoin("events as e", "e.id", "c.event_id")
      .innerJoin("participants as p", "p.id", "c.participant_id")
      .where("c.revoked_at", "is", null)
      .where("e.ends_at", ">=", from)
      .where("e.ends_at", "<", to);
    if (barId !== undefined) q = q.where("p.bar_id", "=", barId);
    return q;
  }

  async trainingGroups(year: number, barId?: string): Promise<TrainingGroup[]> {
    const rows = await this.base(year, barId)
      .select(["e.programme", "e.form", "e.delivery_mode", sql<number>`count(*)`.as("n"), sql<number>`sum(coalesce(p.taught_minutes, p.attended_minutes, e.duration_minutes))`.as("minutes")])
      .groupBy(["e.programme", "e.form", "e.delivery_mode"])
      .execute();
    return rows.map((r) => ({ programme: r.programme, form: r.form, deliveryMode: r.delivery_mode, certificates: Number(r.n), minutes: Number(r.minutes) }));
  }

  async distinctCounts(year: number, barId?: string): Promise<{ events: number; providers: number; advocates: number }> {
    const r = await this.base(year, barId)
      .select([
        sql<number>`count(distinct e.id)`.as("events"),
        sql<number>`count(distinct e.party_id)`.as("providers"),
        sql<number>`count(distinct p.licence_number)`.as("advocates"),
      ])
      .executeTakeFirstOrThrow();
    return { events: Number(r.events), providers: Number(r.providers), advocates: Number(r.advocates) };
  }

  async certificatesByBar(year: number): Promise<{ barId: string; certificates: number; minutes: number }[]> {
    const rows = await this.base(year)
      .select(["p.bar_id", sql<number>`count(*)`.as("n"), sql<number>`sum(coalesce(p.taught_minutes, p.attended_minutes, e.duration_minutes))`.as("minutes")])
      .groupBy("p.bar_id")
      .execute();
    return rows.map((r) => ({ barId: r.bar_id, certificates: Number(r.n), minutes: Number(r.minutes) }));
  }
}
