/**
 * Issue 18: a status list's set bits are found through an index that holds only revoked certificates (migration
 * 0021), never by reading each certificate row of the list — the row carries the whole signed credential. The plan
 * of the very query the store runs (KyselyIssuanceStore.listStatusIndexesSet's certificate half) is read back from
 * SQLite and PostgreSQL.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./databases.js";

const revokedOfList = (t: TestDatabase) =>
  t.db.selectFrom("certificates").select("status_index").where("status_list_id", "=", "list-1").where("revoked_at", "is not", null).compile();

describe.each(["sqlite", "postgres"] as const)("the revoked-certificates index on %s", (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  }, 60_000);
  afterAll(async () => t?.close());

  it("a list's revoked entries are read from the partial index alone", async () => {
    const q = revokedOfList(t);
    if (kind === "sqlite") {
      const plan = await sql.raw(`EXPLAIN QUERY PLAN ${q.sql.replace(/\?/g, () => "'x'")}`).execute(t.db);
      const detail = (plan.rows as { detail: string }[]).map((r) => r.detail).join("\n");
      expect(detail).toContain("USING COVERING INDEX certificates_revoked_by_list");
    } else {
      // An empty table makes any plan cheap: with sequential scans priced out, the planner shows what it can use.
      const detail = await t.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        const plan = await sql.raw(`EXPLAIN ${q.sql.replace("$1", "'list-1'")}`).execute(trx);
        return (plan.rows as Record<string, string>[]).map((r) => Object.values(r)[0]).join("\n");
      });
      expect(detail).toMatch(/Index Only Scan using certificates_revoked_by_list/);
    }
  });
});
