/**
 * Frozen: sign-in sessions of the web consoles. A session is looked up by the SHA-256 of its cookie's token; the API
 * key it was opened with is referenced, never stored, so revoking the key ends its sessions.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("console_sessions")
    .addColumn("id", "text", (c) => c.primaryKey()) // hex SHA-256 of the cookie's token
    .addColumn("api_key_id", "text", (c) => c.notNull()) // api_keys.id, or 'env:' + a fingerprint of SENIM_ADMIN_TOKEN
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("bar_id", "text")
    .addColumn("party_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("console_sessions_expires").on("console_sessions").column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("console_sessions").execute();
}
