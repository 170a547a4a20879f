/**
 * Frozen: certificates Senim did not issue (2.2(2), 7.5: paper certificates), submitted for the member's bar to review.
 *
 * - `attachments` / `attachment_chunks`: a scan or PDF, kept in the database behind the AttachmentStore interface.
 *   The bytes are base64 text in chunks of at most 512 KiB of bytes (≈ 700 KB of text) a row: D1 limits a row to
 *   about 2 MB, and text is stored and bound the same way on SQLite, PostgreSQL and D1 (no dialect's blob type).
 * - `submissions`: one row per submission and its review. `status` moves from `pending` to `accepted` or
 *   `rejected` once (an `UPDATE … WHERE status = 'pending'`); hours are kept in tenths of an academic hour (10.6,
 *   one decimal) so no rounding happens until minutes are summed.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("attachments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("media_type", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("chunks", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("attachment_chunks")
    .addColumn("attachment_id", "text", (c) => c.notNull().references("attachments.id").onDelete("cascade"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("attachment_chunks_pk", ["attachment_id", "seq"])
    .execute();

  await db.schema
    .createTable("submissions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("licence", "text", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("organiser", "text", (c) => c.notNull())
    .addColumn("topic", "text", (c) => c.notNull())
    .addColumn("programme", "text", (c) => c.notNull())
    .addColumn("form", "text", (c) => c.notNull())
    .addColumn("completed_on", "text", (c) => c.notNull())
    .addColumn("claimed_tenths", "integer", (c) => c.notNull())
    .addColumn("attachment_id", "text")
    .addColumn("attachment_type", "text")
    .addColumn("attachment_size", "integer")
    .addColumn("attachment_name", "text")
    .addColumn("credential", "text")
    .addColumn("credential_id", "text")
    .addColumn("credential_issuer", "text")
    .addColumn("credential_verified", "integer")
    .addColumn("credential_profile", "text")
    .addColumn("credential_failed", "text")
    .addColumn("submitted_at", "text", (c) => c.notNull())
    .addColumn("submitted_by", "text", (c) => c.notNull())
    .addColumn("on_behalf", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("credited_tenths", "integer")
    .addColumn("reason", "text")
    .addColumn("decided_at", "text")
    .addColumn("decided_by", "text")
    .execute();
  await db.schema.createIndex("submissions_by_bar").on("submissions").columns(["bar_id", "status", "submitted_at"]).execute();
  await db.schema.createIndex("submissions_by_licence").on("submissions").columns(["bar_id", "licence", "year"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("submissions").ifExists().execute();
  await db.schema.dropTable("attachment_chunks").ifExists().execute();
  await db.schema.dropTable("attachments").ifExists().execute();
}
