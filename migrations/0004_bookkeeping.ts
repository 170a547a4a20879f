/**
 * The Procedure's bookkeeping (2.2, 2.3, 3.2, 7.5, 12): members, suspensions, yearly policies, the ledger of verified
 * certificates a member proved (2.2.4), self-recorded hours kept apart (2.2.2), and anonymous surveys. Frozen in time: never imports application code.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("members")
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("licence", "text", (c) => c.notNull()) // normalised licence number
    .addColumn("full_name", "text", (c) => c.notNull())
    .addColumn("admission_date", "text", (c) => c.notNull()) // YYYY-MM-DD
    .addColumn("email", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("members_pk", ["bar_id", "licence"])
    .execute();

  await db.schema
    .createTable("suspensions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("bar_id", "text", (c) => c.notNull())
    .addColumn("licence", "text", (c) => c.notNull())
    .addColumn("from_date", "text", (c) => c.notNull()) // inclusive
    .addColumn("until_date", "text") // inclusive; null while it lasts
    .addColumn("reason", "text")
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("suspensions_member").on("suspensions").columns(["bar_id", "licence"]).execute();

  await db.schema
    .createTable("compliance_policies")
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("required_minutes", "integer") // null: no quota set
    .addColumn("foundations_operator", "text") // '<' | '>=' | null (rule off)
    .addColumn("foundations_years", "integer")
    .addColumn("teaching_credit_percent", "integer", (c) => c.notNull())
    .addColumn("prorate", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("compliance_policies_pk", ["bar_id", "year"])
    .execute();

  // 2.2.4, 12.2: the ledger of certificates an advocate proved to their bar for a calendar year: verified certificates
  // presented through a wallet (OpenID4VP, migrations/0005) or uploaded. Nothing unverified is ever written here.
  await db.schema
    .createTable("ledger_entries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("licence", "text", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull()) // calendar year of the event's end, in Kazakhstan (12.2)
    .addColumn("certificate_id", "text", (c) => c.notNull().references("certificates.id"))
    .addColumn("credential_id", "text", (c) => c.notNull()) // the certificate's URL, its VC id
    .addColumn("issuer", "text", (c) => c.notNull()) // issuer DID
    .addColumn("issuer_name", "text", (c) => c.notNull())
    .addColumn("topic", "text", (c) => c.notNull())
    .addColumn("programme", "text", (c) => c.notNull())
    .addColumn("form", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull()) // attendee | teacher (5.1.4 teaching credit)
    .addColumn("duration_minutes", "integer", (c) => c.notNull())
    .addColumn("academic_hours", "text", (c) => c.notNull()) // decimal as text, e.g. "8" or "2.7"
    .addColumn("event_end", "text", (c) => c.notNull())
    .addColumn("proven_by", "text", (c) => c.notNull()) // openid4vp | upload
    .addColumn("presentation_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    // A certificate counts once per advocate, year and bar, however often it is presented.
    .addUniqueConstraint("ledger_entries_once", ["bar_id", "licence", "year", "certificate_id"])
    .execute();
  await db.schema.createIndex("ledger_entries_year").on("ledger_entries").columns(["bar_id", "year"]).execute();
  await db.schema.createIndex("ledger_entries_licence").on("ledger_entries").columns(["licence", "year"]).execute();

  // 2.2.2: hours the advocate recorded themselves. A table of their own, with no credential column, so a record can
  // never be read as a verified certificate.
  await db.schema
    .createTable("self_recorded_hours")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("licence", "text", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("minutes", "integer", (c) => c.notNull())
    .addColumn("programme", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("self_recorded_hours_year").on("self_recorded_hours").columns(["bar_id", "year"]).execute();

  // Issued certificates are found by the participant's licence when a bar totals its members' year.
  await db.schema.createIndex("participants_licence").on("participants").column("licence_number").execute();

  // 7.5 surveys. The spent marker and the response share no key, no fine timestamp and no insertion order: the
  // response's id is a random integer (SQLite keeps such a table in id order) and it carries no time at all: the
  // spent markers are kept in the order of answering, so any time on an answer could pair the two.
  await db.schema
    .createTable("survey_spent")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .execute();
  await db.schema
    .createTable("survey_responses")
    .addColumn("id", "integer", (c) => c.primaryKey()) // random, never sequential
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("party_id", "text", (c) => c.notNull())
    .addColumn("bar_id", "text", (c) => c.notNull()) // the accrediting bar, which sees the results (7.5)
    .addColumn("quality", "integer", (c) => c.notNull())
    .addColumn("effectiveness", "integer", (c) => c.notNull())
    .addColumn("usefulness", "integer", (c) => c.notNull())
    .addColumn("comment", "text")
    .execute();
  await db.schema.createIndex("survey_responses_event").on("survey_responses").column("event_id").execute();
  await db.schema.createIndex("survey_responses_party").on("survey_responses").column("party_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("participants_licence").ifExists().execute();
  for (const t of ["survey_responses", "survey_spent", "self_recorded_hours", "ledger_entries", "compliance_policies", "suspensions", "members"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
