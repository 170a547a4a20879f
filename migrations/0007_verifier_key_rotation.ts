/**
 * Frozen: a bar's verifier key can be rotated. `bar_verifier_keys` keeps the one key a bar signs presentation requests
 * with; a rotation moves the old key here, and the bar's DID document keeps publishing it until `published_until` so
 * that a request object a wallet fetched just before the rotation still verifies (none after a compromise).
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("bar_verifier_retired_keys")
    .addColumn("kid", "text", (c) => c.primaryKey())
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("public_jwk", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("retired_at", "text", (c) => c.notNull())
    .addColumn("retired_by", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull()) // 'scheduled' | 'compromised'
    .addColumn("published_until", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("bar_verifier_retired_keys_bar").on("bar_verifier_retired_keys").columns(["bar_id", "published_until"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("bar_verifier_retired_keys").execute();
}
