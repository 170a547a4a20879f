/**
 * Frozen: the calendar of accredited events (7.3, 2.1(4)): an event's announcement, one row per event, deleted when
 * the provider withdraws it. A table of its own rather than columns on `events`: an event is what was given and is
 * certified, an announcement is what was promised before it, and only events that are announced have one.
 *
 * - `fee_kind` is `free`, `paid` (`fee_amount_tenge`, whole tenge) or `sponsored` (`fee_sponsor`: `bar`, `rba` or
 *   `grant`): 6.1–6.2, who pays for the training.
 * - `city`, `venue` (an in-person event's address) and `link` (an https URL to join or read more) as the provider
 *   wrote them; `seats` is null when the provider did not say.
 * - `announced_at` is kept when the announcement is changed; `updated_at` is the calendar feed's DTSTAMP.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("event_announcements")
    .addColumn("event_id", "text", (c) => c.primaryKey().references("events.id"))
    .addColumn("announced_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("city", "text")
    .addColumn("venue", "text")
    .addColumn("link", "text")
    .addColumn("fee_kind", "text", (c) => c.notNull())
    .addColumn("fee_amount_tenge", "integer")
    .addColumn("fee_sponsor", "text")
    .addColumn("seats", "integer")
    .execute();
  // The calendar reads upcoming events by their dates.
  await db.schema.createIndex("events_ends_at").on("events").column("ends_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("events_ends_at").ifExists().execute();
  await db.schema.dropTable("event_announcements").ifExists().execute();
}
