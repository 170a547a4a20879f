/**
 * Frozen: the signed annual attestation (12.1, 12.2; issue 14). For each member who met the requirement of a closed
 * year, the bar issues one credential signed with its own did:web key (the OpenID4VP verifier's).
 *
 * - `attestations`: one row per attestation, never deleted; `jwt` is the vc+jwt exactly as signed (what every page,
 *   download and verification reads). `closing_id` is the closing whose frozen report it attests: a year reopened
 *   since no longer stands behind it. The unique index on (closing_id, licence) gives one attestation per member for
 *   the year's closing, so issuing again (or concurrently) adds nothing; as a year has at most one open closing, a
 *   member holds at most one attestation that stands per year. Revoking sets `revoked_at` and the reason.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("attestations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("licence", "text", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("closing_id", "text", (c) => c.notNull().references("year_closings.id"))
    .addColumn("jwt", "text", (c) => c.notNull())
    .addColumn("issued_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .addColumn("reason", "text")
    .execute();
  await db.schema.createIndex("attestations_closing_licence").on("attestations").columns(["closing_id", "licence"]).unique().execute();
  await db.schema.createIndex("attestations_licence").on("attestations").columns(["licence", "year"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("attestations").execute();
}
