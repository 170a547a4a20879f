/**
 * Issue 18: the hot reads go through indexes, never through every row ever stored. A status list's set bits come from
 * an index that holds only revoked certificates (migration 0021), never from each certificate row of the list — the
 * row carries the whole signed credential; a bar's survey results start from the bar (0022). The plans of the very
 * queries the stores run are read back from SQLite and PostgreSQL.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./databases.js";

const revokedOfList = (t: TestDatabase) =>
  t.db.selectFrom("certificates").select("status_index").where("status_list_id", "=", "list-1").where("revoked_at", "is not", null).compile();

const surveysOfBar = (t: TestDatabase) =>
  t.db.selectFrom("survey_responses as s").innerJoin("events as e", "e.id", "s.event_id").select(["s.event_id", "e.topic"]).where("s.bar_id", "=", "almaty-city").compile();

/** The plan of a compiled query, its parameters inlined as text (EXPLAIN takes none). */
async function planOf(t: TestDatabase, q: { sql: string; parameters: readonly unknown[] }): Promise<string> {
  const inline = (i: number) => `'${String(q.parameters[i]).replace(/'/g, "''")}'`;
  if (t.kind === "sqlite") {
    let i = 0;
    const plan = await sql.raw(`EXPLAIN QUERY PLAN ${q.sql.replace(/\?/g, () => inline(i++))}`).execute(t.db);
    return (plan.rows as { detail: string }[]).map((r) => r.detail).join("\n");
  }
  // An empty table makes any plan cheap: with sequential scans priced out, the planner shows what it can use.
  return t.db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const plan = await sql.raw(`EXPLAIN ${q.sql.replace(/\$(\d+)/g, (_, n) => inline(Number(n) - 1))}`).execute(trx);
    return (plan.rows as Record<string, string>[]).map((r) => Object.values(r)[0]).join("\n");
  });
}

describe.each(["sqlite", "postgres"] as const)("issue 18: the hot reads through their indexes on %s", (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  }, 60_000);
  afterAll(async () => t?.close());

  it("a list's revoked entries are read from the partial index alone", async () => {
    const plan = await planOf(t, revokedOfList(t));
    expect(plan).toMatch(kind === "sqlite" ? /USING COVERING INDEX certificates_revoked_by_list/ : /Index Only Scan using certificates_revoked_by_list/);
  });

  it("a bar's survey answers are found from the bar", async () => {
    expect(await planOf(t, surveysOfBar(t))).toMatch(/survey_responses_bar/);
  });
});
