/**
 * Frozen: issue 18 — a status list's set bits are read from its revoked certificates. The unique constraint on
 * (status_list_id, status_index) finds a list's rows, but each must then be read to test `revoked_at`, and each row
 * carries its ~3.7 KB signed credential: reloading one list read every certificate of it. This partial index holds
 * only the revoked rows, with every column the query reads, so the load touches nothing else (SQLite, PostgreSQL
 * and D1 all have partial indexes).
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("certificates_revoked_by_list")
    .on("certificates")
    // revoked_at too, though the condition already implies it: SQLite reads a column the query tests from the table
    // unless the index holds it, and then the index would not cover the query.
    .columns(["status_list_id", "status_index", "revoked_at"])
    .where(sql<boolean>`revoked_at is not null`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("certificates_revoked_by_list").execute();
}
