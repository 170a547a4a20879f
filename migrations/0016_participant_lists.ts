/**
 * Frozen: participant lists as they reach the bars (12.3), teaching credited by the minutes taught (5.1(4)), and the
 * co-organising bar's confirmation (5.1(3)) (issue 14).
 *
 * - `participants.attended_minutes`: an attendee's minutes present when less than the whole event (partial
 *   attendance); `participants.taught_minutes`: the minutes a teacher taught. New lists record one of them for every
 *   participant; rows from before this migration keep both null, which stands for the event's whole duration (what
 *   those lists said).
 * - `events.trainers` (JSON) needs no change: a trainer recorded before this migration simply has no `field` (11.1),
 *   shown as "not recorded"; every event recorded since gives it.
 * - `events.co_organisation_state`: `pending`, `confirmed` or `declined` when the event names a co-organising bar,
 *   null otherwise, with when and by whom the bar answered. Events that already named one are `pending`: that bar
 *   never confirmed, and certificates name it only once it has (certificates already issued stay as they are).
 * - An index on `participants.bar_id`: a bar reads the lists its members appear on.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("participants").addColumn("attended_minutes", "integer").execute();
  await db.schema.alterTable("participants").addColumn("taught_minutes", "integer").execute();
  await db.schema.alterTable("events").addColumn("co_organisation_state", "text").execute();
  await db.schema.alterTable("events").addColumn("co_organisation_decided_at", "text").execute();
  await db.schema.alterTable("events").addColumn("co_organisation_decided_by", "text").execute();
  await db.updateTable("events").set({ co_organisation_state: "pending" }).where("co_organiser_bar_id", "is not", null).execute();
  await db.schema.createIndex("participants_bar_id").on("participants").columns(["bar_id", "event_id"]).execute();
  await db.schema.createIndex("events_co_organiser").on("events").column("co_organiser_bar_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("events_co_organiser").ifExists().execute();
  await db.schema.dropIndex("participants_bar_id").ifExists().execute();
  for (const column of ["co_organisation_decided_by", "co_organisation_decided_at", "co_organisation_state"]) {
    await db.schema.alterTable("events").dropColumn(column).execute();
  }
  await db.schema.alterTable("participants").dropColumn("taught_minutes").execute();
  await db.schema.alterTable("participants").dropColumn("attended_minutes").execute();
}
