/**
 * Frozen: the quota of sign-in codes a member may ask for per window (issue 13, docs/advocates.md).
 *
 * Counting the member's `advocate_codes` rows before inserting one is read-then-write: concurrent requests all read
 * "4 of 5" and all insert. One row per member whose counter is raised by an upsert (`INSERT … ON CONFLICT DO UPDATE
 * … RETURNING`) serialises them on that row in PostgreSQL and is one write in SQLite and D1, so exactly the quota is
 * granted however many arrive at once. `window_start` opens a fixed window; a request after it lapses starts anew.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("advocate_code_quota")
    .addColumn("bar_id", "text", (c) => c.notNull())
    .addColumn("licence", "text", (c) => c.notNull())
    .addColumn("window_start", "text", (c) => c.notNull())
    .addColumn("used", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("advocate_code_quota_pk", ["bar_id", "licence"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("advocate_code_quota").ifExists().execute();
}
