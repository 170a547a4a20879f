/**
 * Frozen: 10.3 — the bars' presidiums approve the programmes' indicative content (issue 14).
 *
 * - `programme_approvals`: one row per approval of one programme's content by one bar's presidium, never changed or
 *   deleted: a newer approval supersedes the one in force, which stays on record. The text in Kazakh, Russian and
 *   English (each optional, at least one given), the decision's number and date (YYYY-MM-DD), who recorded it and when.
 *   The approval in force is the newest by decision date, then by when it was recorded.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("programme_approvals")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("programme", "text", (c) => c.notNull().references("programmes.code"))
    .addColumn("content_kk", "text")
    .addColumn("content_ru", "text")
    .addColumn("content_en", "text")
    .addColumn("decision_number", "text", (c) => c.notNull())
    .addColumn("decision_date", "text", (c) => c.notNull())
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("programme_approvals_bar").on("programme_approvals").columns(["bar_id", "programme", "decision_date"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("programme_approvals").execute();
}
