/**
 * Frozen: closing a bar's year (12.1, 12.2, 13.1) and the 10.2 minimum length of a Foundations event (issue 14).
 *
 * - `compliance_policies.foundations_minimum_minutes`: the shortest Foundations event that completes the course;
 *   null: any length.
 * - `year_closings`: one row per closing of a (bar, year), never deleted. Reopening marks the row (`reopened_*`, the
 *   reason kept); closing again adds a row. A partial unique index allows one open closing per (bar, year), so of
 *   concurrent closings exactly one is written. `digest` is the SHA-256 (hex) of the frozen report's canonical JSON.
 * - `year_closing_chunks`: that canonical JSON, in pieces of at most 250,000 characters, so every row stays far below
 *   D1's row limit; written in the same atomic write as the closing.
 * - `year_measures`: for a member short in a closed year, the measure the bar took (free text) and its date (13.1).
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("compliance_policies").addColumn("foundations_minimum_minutes", "integer").execute();

  await db.schema
    .createTable("year_closings")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("closed_on", "text", (c) => c.notNull()) // YYYY-MM-DD, the date the bar chose
    .addColumn("closed_at", "text", (c) => c.notNull()) // the instant the snapshot was taken
    .addColumn("closed_by", "text", (c) => c.notNull())
    .addColumn("digest", "text", (c) => c.notNull())
    .addColumn("chunks", "integer", (c) => c.notNull())
    .addColumn("reopened_at", "text")
    .addColumn("reopened_by", "text")
    .addColumn("reopen_reason", "text")
    .execute();
  await db.schema.createIndex("year_closings_year").on("year_closings").columns(["bar_id", "year"]).execute();
  await db.schema
    .createIndex("year_closings_open")
    .on("year_closings")
    .columns(["bar_id", "year"])
    .unique()
    .where(sql<boolean>`reopened_at is null`)
    .execute();

  await db.schema
    .createTable("year_closing_chunks")
    .addColumn("closing_id", "text", (c) => c.notNull().references("year_closings.id"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("year_closing_chunks_pk", ["closing_id", "seq"])
    .execute();

  await db.schema
    .createTable("year_measures")
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("licence", "text", (c) => c.notNull())
    .addColumn("decision", "text", (c) => c.notNull())
    .addColumn("decided_on", "text", (c) => c.notNull()) // YYYY-MM-DD
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("year_measures_pk", ["bar_id", "year", "licence"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["year_measures", "year_closing_chunks", "year_closings"]) await db.schema.dropTable(t).ifExists().execute();
  await db.schema.alterTable("compliance_policies").dropColumn("foundations_minimum_minutes").execute();
}
