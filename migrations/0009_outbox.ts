/**
 * Frozen: the outbox (issue 13, "Delivery"). Every message to a person is a row written in the same atomic write as
 * the fact it reports (a certificate's row), drained later by a sender; see docs/design.md "The outbox".
 *
 * - `outbox`: one row per (certificate, kind). The unique key makes a second row for the same message impossible,
 *   whatever retries or replays do. `status`: queued | sending | sent | failed | no_address. `lease_until` and
 *   `lease_token` are the sender's claim (a lapsed lease is claimed again); `generation` counts deliberate resends and
 *   is part of the Message-ID, which is otherwise fixed by the row id.
 * - `participants.lang`: the participant's language (kk, ru, en), optional; messages are in Kazakh and Russian unless
 *   it is `en`.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("certificate_id", "text", (c) => c.notNull().references("certificates.id"))
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("participant_id", "text", (c) => c.notNull())
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
    .addUniqueConstraint("outbox_certificate_kind", ["certificate_id", "kind"])
    .execute();
  await db.schema.createIndex("outbox_due").on("outbox").columns(["status", "next_attempt_at"]).execute();
  await db.schema.createIndex("outbox_event").on("outbox").columns(["event_id"]).execute();
  await db.schema.alterTable("participants").addColumn("lang", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("participants").dropColumn("lang").execute();
  await db.schema.dropTable("outbox").ifExists().execute();
}
