/**
 * Migration 0011 rebuilds `outbox` (certificate, event and participant become optional, for sign-in codes' messages):
 * every row of 0009's table comes through unchanged, on SQLite and PostgreSQL. Foreign keys are switched off for the
 * one connection the test runs on, so a message row needs no real certificate behind it.
 */
import { Migrator, type Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { migrations } from "../migrations/index.js";
import { withForeignKeysOff } from "./databases.js";

const before0011 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "0011"));
const row = {
  id: "m1", kind: "certificate", certificate_id: "c1", event_id: "e1", participant_id: "p1", to_address: "a@example.kz", lang: "en", status: "sent",
  attempts: 2, generation: 1, next_attempt_at: "2026-06-01T09:00:00Z", lease_until: null, lease_token: null, message_id: "<m1.1@senim.test>",
  last_error: "421 try later", created_at: "2026-06-01T08:00:00Z", updated_at: "2026-06-01T09:00:00Z", sent_at: "2026-06-01T09:00:00Z",
};

async function migrateWithRow(db: Kysely<any>, schema?: string) {
  const to = async (set: typeof migrations) => {
    const r = await new Migrator({ db, provider: { getMigrations: async () => set }, ...(schema ? { migrationTableSchema: schema } : {}) }).migrateToLatest();
    if (r.error) throw r.error;
  };
  await to(before0011);
  await db.insertInto("outbox").values(row).execute();
  await to(migrations);
  const rows = await db.selectFrom("outbox").selectAll().execute();
  expect(rows.map((r) => ({ ...r, attempts: Number(r.attempts), generation: Number(r.generation) }))).toEqual([row]);
  // The rebuilt table takes a message without a certificate, and still one message per (certificate, kind).
  await db.insertInto("outbox").values({ ...row, id: "m2", kind: "advocate_code", certificate_id: null, event_id: null, participant_id: null }).execute();
  await expect(db.insertInto("outbox").values({ ...row, id: "m3" }).execute()).rejects.toThrow();
}

describe("migration 0011 keeps the outbox's rows", () => {
  it("on SQLite", () => withForeignKeysOff("sqlite", migrateWithRow));
  it("on PostgreSQL", () => withForeignKeysOff("postgres", migrateWithRow));
});
