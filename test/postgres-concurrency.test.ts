/**
 * Many Node instances on one PostgreSQL database: two separate server processes issue 2 × 5,000 certificates at the
 * same time for overlapping events (both race on one event; one provider, so both draw from the same status lists).
 * No participant is certified twice, no status-list entry is shared, and every certificate verifies on the instance
 * that did not issue it.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "../src/registry/keyring.js";
import { newToken } from "../src/lib/ids.js";
import { freshPostgresSchema } from "./databases.js";
import { accreditedProvider, eventWithParticipants } from "./helpers.js";
import { startNodeTarget, type NodeTarget } from "./node-target.js";

const PER_EVENT = 2_500; // A issues events 1 and 2, B issues events 2 and 3: 5,000 each, overlapping on event 2

let schema: Awaited<ReturnType<typeof freshPostgresSchema>>;
let a: NodeTarget, b: NodeTarget;
beforeAll(async () => {
  schema = await freshPostgresSchema();
  // One deployment: the same database, secrets and public URL behind a load balancer; two processes.
  const shared = { database: "postgres" as const, databaseUrl: schema.url, kek: Keyring.newSecret(), adminToken: newToken(), publicUrl: "https://senim.test" };
  [a, b] = await Promise.all([startNodeTarget(shared), startNodeTarget(shared)]); // both migrate at once: one waits for the other's lock
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await schema?.drop();
});

/** Runs `work` over `items` with at most `n` in flight. */
async function pool<T>(items: T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

describe("two Node instances on one PostgreSQL database", () => {
  it("issue 2 × 5,000 certificates at once for overlapping events: each participant once, no shared status entry, all verify", async () => {
    const provider = await accreditedProvider(a);
    const events = [];
    for (let i = 0; i < 3; i++) events.push(await eventWithParticipants(i % 2 ? b : a, provider.token, { n: PER_EVENT }));
    const [e1, e2, e3] = events as [{ id: string }, { id: string }, { id: string }];

    const issue = (s: NodeTarget, eventId: string) => s.call("POST", `/api/events/${eventId}/certificates`, { token: provider.token });
    const [a1, a2, b2, b3] = await Promise.all([issue(a, e1.id), issue(a, e2.id), issue(b, e2.id), issue(b, e3.id)]);
    for (const r of [a1, a2, b2, b3]) expect(r.status, r.text.slice(0, 300)).toBe(r.body.issued > 0 ? 201 : 200);
    expect(a1.body.issued).toBe(PER_EVENT);
    expect(b3.body.issued).toBe(PER_EVENT);
    // The raced event: one instance stored all of it, the other found it done; both answer with the same certificates.
    expect(a2.body.issued + b2.body.issued).toBe(PER_EVENT);
    const ids = (r: typeof a2) => r.body.certificates.map((c: { id: string }) => c.id).sort();
    expect(ids(a2)).toEqual(ids(b2));
    // 7.5: each participant's survey link is in exactly one of the two responses (the first to store it wins).
    const linked = (r: typeof a2) => r.body.certificates.filter((c: { survey: string | null }) => c.survey !== null).map((c: { id: string }) => c.id);
    expect([...linked(a2), ...linked(b2)].sort()).toEqual(ids(a2));

    const db = new pg.Client({ connectionString: schema.url });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT count(*)::int AS n, count(DISTINCT participant_id)::int AS participants,
        count(DISTINCT status_list_id || ':' || status_index)::int AS entries FROM certificates`);
      expect(rows[0]).toEqual({ n: 3 * PER_EVENT, participants: 3 * PER_EVENT, entries: 3 * PER_EVENT });
      const lists = await db.query(`SELECT count(*)::int AS n, sum(allocated)::int AS allocated FROM status_lists`);
      // The losing attempt on the raced event had claimed entries too: they stay unused, never handed out again.
      console.log(`status entries claimed: ${lists.rows[0].allocated} for ${3 * PER_EVENT} certificates`);
      expect(lists.rows[0].allocated).toBeGreaterThanOrEqual(3 * PER_EVENT);
    } finally {
      await db.end();
    }

    // Every certificate verifies on the other instance than the one that answered for it.
    const all = [...a1.body.certificates.map((c: { url: string }) => [b, c.url]), ...b3.body.certificates.map((c: { url: string }) => [a, c.url]), ...a2.body.certificates.map((c: { url: string }, i: number) => [i % 2 ? a : b, c.url])] as [NodeTarget, string][];
    expect(all).toHaveLength(3 * PER_EVENT);
    const failures: string[] = [];
    await pool(all, 32, async ([s, url]) => {
      const r = await s.call("POST", "/api/verify", { body: { url } });
      if (r.status !== 200 || r.body.verified !== true) failures.push(`${url}: ${r.status}`);
    });
    expect(failures).toEqual([]);
  }, 120_000);
});
