/**
 * Frozen: the advocate's sign-in at `/me` (issue 13, "Advocate sign-in"); see docs/advocates.md.
 *
 * - `advocate_codes`: one-time sign-in codes. The code itself is never stored: `code_mac` is its HMAC under a
 *   KEK-derived key (src/registry/keyring.ts, purpose `advocate-code`). `failed_attempts` is counted in the same
 *   statement that checks the limit (src/storage/advocate-store.ts `tryCode`); `used_at` is set once.
 * - `advocate_sessions`: signed-in advocates. `id` is the SHA-256 of the session cookie's random token; the record
 *   names the member (bar, licence), not a Principal: an advocate is not a role of the API.
 * - `outbox` is rebuilt with `certificate_id`, `event_id` and `participant_id` nullable, so a sign-in code's message
 *   (kind `advocate_code`, the outbox row's id is the code's id) goes through the same outbox as certificates. SQLite
 *   cannot drop NOT NULL in place, so the table is copied (statements only: D1 runs them as generated).
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("advocate_codes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("bar_id", "text", (c) => c.notNull())
    .addColumn("licence", "text", (c) => c.notNull())
    .addColumn("code_mac", "text", (c) => c.notNull())
    .addColumn("failed_attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("advocate_codes_member").on("advocate_codes").columns(["bar_id", "licence", "created_at"]).execute();
  await db.schema
    .createTable("advocate_sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("bar_id", "text", (c) => c.notNull())
    .addColumn("licence", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();

  // The outbox, copied into a table whose certificate, event and participant may be absent.
  await db.schema.dropIndex("outbox_due").execute();
  await db.schema.dropIndex("outbox_event").execute();
  await db.schema.alterTable("outbox").renameTo("outbox_0009").execute();
  await db.schema
    .createTable("outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("certificate_id", "text", (c) => c.references("certificates.id"))
    .addColumn("event_id", "text")
    .addColumn("participant_id", "text")
    .addColumn("to_address", "text")
    .addColumn("lang", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("generation", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("lease_until", "text")
    .addColumn("lease_token", "text")
    .addColumn("message_id", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    // A new name: PostgreSQL names a unique constraint's index schema-wide, and the old table still holds the old one.
    .addUniqueConstraint("outbox_certificate_kind_0011", ["certificate_id", "kind"])
    .execute();
  await sql`INSERT INTO outbox (id, kind, certificate_id, event_id, participant_id, to_address, lang, status, attempts, generation, next_attempt_at, lease_until, lease_token, message_id, last_error, created_at, updated_at, sent_at) SELECT id, kind, certificate_id, event_id, participant_id, to_address, lang, status, attempts, generation, next_attempt_at, lease_until, lease_token, message_id, last_error, created_at, updated_at, sent_at FROM outbox_0009`.execute(db);
  await db.schema.dropTable("outbox_0009").execute();
  await db.schema.createIndex("outbox_due").on("outbox").columns(["status", "next_attempt_at"]).execute();
  await db.schema.createIndex("outbox_event").on("outbox").columns(["event_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // Code messages have no certificate; the older outbox cannot hold them.
  await sql`DELETE FROM outbox WHERE certificate_id IS NULL`.execute(db);
  await db.schema.dropTable("advocate_sessions").ifExists().execute();
  await db.schema.dropTable("advocate_codes").ifExists().execute();
}
