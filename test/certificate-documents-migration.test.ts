/**
 * Issue 18, migration 0029: the signed vc+jwt moves from `certificates` to `certificate_documents`. Every stored
 * certificate keeps its document byte for byte, the row keeps everything else, and `certificates` no longer has the
 * column, on SQLite and PostgreSQL. Foreign keys are off for the one connection, so the rows need no event behind them.
 */
import { Migrator, sql, type Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { migrations } from "../migrations/index.js";
import { withForeignKeysOff } from "./databases.js";

const before0029 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "0029"));

const certificate = (n: number) => ({
  id: `cert${n}`, event_id: "e1", participant_id: `p${n}`, party_id: "party", key_id: "k1", accreditation_id: "a1",
  status_list_id: "list", status_index: n, issued_at: "2026-06-01T09:00:00.000Z", revoked_at: n === 2 ? "2026-06-02T09:00:00.000Z" : null,
  revocation_reason: n === 2 ? "wrong name" : null, revoked_by: n === 2 ? "provider:k1" : null,
});
// A realistic size (a vc+jwt is ~3.65 KB) and characters a text column must keep exactly.
const jwtOf = (n: number) => `eyJhbGciOiJFZERTQSJ9.${"x".repeat(3600)}${n}.sig-${n}_Әлия`;

async function migrateWithCertificates(db: Kysely<any>, schema?: string) {
  const to = async (set: typeof migrations) => {
    const r = await new Migrator({ db, provider: { getMigrations: async () => set }, ...(schema ? { migrationTableSchema: schema } : {}) }).migrateToLatest();
    if (r.error) throw r.error;
  };
  await to(before0029);
  for (const n of [1, 2, 3]) await db.insertInto("certificates").values({ ...certificate(n), jwt: jwtOf(n) }).execute();
  await to(migrations);

  const rows = await db.selectFrom("certificates").selectAll().orderBy("id").execute();
  expect(rows.map((r) => ({ ...r, status_index: Number(r.status_index) }))).toEqual([1, 2, 3].map(certificate));
  const documents = await db.selectFrom("certificate_documents").selectAll().orderBy("certificate_id").execute();
  expect(documents).toEqual([1, 2, 3].map((n) => ({ certificate_id: `cert${n}`, jwt: jwtOf(n) })));
  await expect(sql`select jwt from certificates`.execute(db)).rejects.toThrow();
  // One document per certificate.
  await expect(db.insertInto("certificate_documents").values({ certificate_id: "cert1", jwt: "again" }).execute()).rejects.toThrow();
}

describe("migration 0029 moves every certificate's vc+jwt to certificate_documents", () => {
  it("on SQLite", () => withForeignKeysOff("sqlite", migrateWithCertificates));
  it("on PostgreSQL", () => withForeignKeysOff("postgres", migrateWithCertificates));
});
