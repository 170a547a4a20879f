/**
 * Frozen: issue 18 — the signed credential out of the certificate's row. A vc+jwt is ~3.65 KB, the rest of the row
 * ~150 bytes: inline, every certificate was a 4 KiB SQLite page, and every report, join and index lookup that
 * touched `certificates` for its id or `revoked_at` read a page of JWT. `certificate_documents` holds the vc+jwt,
 * read only where the credential itself is needed (its page, its download, its verification by id).
 *
 * On SQLite, DROP COLUMN rewrites every row once (minutes at 1M certificates); the freed pages are reused by the new
 * table (run VACUUM to give them back to the file system). PostgreSQL kept the JWT in TOAST and drops it at once.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("certificate_documents")
    .addColumn("certificate_id", "text", (c) => c.primaryKey().references("certificates.id"))
    .addColumn("jwt", "text", (c) => c.notNull())
    .execute();
  await sql`INSERT INTO certificate_documents (certificate_id, jwt) SELECT id, jwt FROM certificates`.execute(db);
  await db.schema.alterTable("certificates").dropColumn("jwt").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("certificates").addColumn("jwt", "text", (c) => c.notNull().defaultTo("")).execute();
  await sql`UPDATE certificates SET jwt = (SELECT d.jwt FROM certificate_documents d WHERE d.certificate_id = certificates.id)`.execute(db);
  await db.schema.dropTable("certificate_documents").execute();
}
