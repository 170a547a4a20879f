import { sql } from "kysely";
import type { AnalysisStore, TrainingGroup } from "../compliance/analysis.js";
import { kzYearRange } from "../domain/compliance.js";
import type { StoreDb } from "./atomic.js";

export class KyselyAnalysisStore implements AnalysisStore {
  constructor(private readonly store: StoreDb) {}

  private get db() {
    return this.store.db;
  }

  /**
   * The year's certificates, read from the year's events (issue 18), so the work grows with the year asked for, never
   * with the years stored: `events_ends_at`, then for one bar its participants of those events (`participants_bar_id
   * (bar_id, event_id)`) and each one's certificate (`participant_id`); for all bars the events' certificates
   * (`certificates_event`) and each one's participant (primary key). CROSS JOIN fixes that order on SQLite and D1,
   * which without statistics started from every participant the bar ever had (bench/README.md, Scale); PostgreSQL
   * reads it as an inner join and plans freely, and each shape is the one it picks (at 1M certificates: a bitmap scan
   * of `participants_bar_id` for one bar, `certificates_event` for all; joined the other way it scanned a table).
   * The minutes each certificate credits: participantMinutesSql in member-store.ts (attended or taught, else the event's).
   */
  private base(year: number, barId?: string) {
    const { from, to } = kzYearRange(year);
    const events = this.db.selectFrom("events as e").where("e.ends_at", ">=", from).where("e.ends_at", "<", to);
    const certificates = barId === undefined
      ? events.crossJoin("certificates as c").crossJoin("participants as p").whereRef("c.event_id", "=", "e.id").whereRef("p.id", "=", "c.participant_id")
      : events.crossJoin("participants as p").crossJoin("certificates as c").whereRef("p.event_id", "=", "e.id").where("p.bar_id", "=", barId).whereRef("c.participant_id", "=", "p.id");
    return certificates.where("c.revoked_at", "is", null);
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
