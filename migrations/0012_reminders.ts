/**
 * Frozen: reminders to members short of the year's requirement (issue 13, "Reminders"); see docs/compliance.md.
 *
 * - `reminder_schedules`: the dates a bar set for a year (`dates`: a JSON array of `YYYY-MM-DD`, sorted); without a
 *   row the defaults apply (1 November, 1 December).
 * - `reminders`: the log, one row per (bar, year, date, licence) by a unique key, with the member's hours and the
 *   requirement as they were when the reminder was queued (tenths of an academic hour, 10.6). `id` is derived from
 *   that key and is also the id of the reminder's `outbox` row (kind `reminder`), written in the same atomic write;
 *   both are inserted with ON CONFLICT DO NOTHING, so concurrent runners remind each member once per date.
 * - `reminder_runs`: that a (bar, year, date) run completed, so the sender does not build the bar's report again on
 *   every poll; `superseded_by` names the later date a missed one was closed by (nobody gets two reminders at once).
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("reminder_schedules")
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("dates", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("reminder_schedules_pk", ["bar_id", "year"])
    .execute();
  await db.schema
    .createTable("reminders")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("reminder_date", "text", (c) => c.notNull())
    .addColumn("licence", "text", (c) => c.notNull())
    .addColumn("full_name", "text", (c) => c.notNull())
    .addColumn("to_address", "text")
    .addColumn("lang", "text")
    .addColumn("verified_tenths", "integer", (c) => c.notNull())
    .addColumn("required_tenths", "integer", (c) => c.notNull())
    .addColumn("foundations_missing", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("reminders_member_date", ["bar_id", "year", "reminder_date", "licence"])
    .execute();
  await db.schema
    .createTable("reminder_runs")
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("reminder_date", "text", (c) => c.notNull())
    .addColumn("completed_at", "text", (c) => c.notNull())
    .addColumn("superseded_by", "text")
    .addPrimaryKeyConstraint("reminder_runs_pk", ["bar_id", "year", "reminder_date"])
    .execute();
  await db.schema.createIndex("reminder_runs_year").on("reminder_runs").columns(["year"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // Their messages name a reminder the older schema cannot hold.
  await sql`DELETE FROM outbox WHERE kind = 'reminder'`.execute(db);
  await db.schema.dropTable("reminder_runs").ifExists().execute();
  await db.schema.dropTable("reminders").ifExists().execute();
  await db.schema.dropTable("reminder_schedules").ifExists().execute();
}
