/**
 * Issue 18: an event of any size issues inside the edge's limits. Where one call takes at most a chunk of
 * participants (a Worker: D1's queries per invocation and 128 MB), the API answers 202 with what remains; the rest is
 * issued by the Worker's Queue (workerd, below) or by calling again, never twice, on SQLite, PostgreSQL and D1. On
 * D1 the queries of one call are counted as Cloudflare counts them: every statement, alone or in a batch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "./databases.js";
import { accreditedProvider, eventWithParticipants, startSenim, type HttpTarget, type TestSenim } from "./helpers.js";
import { startWorkerTarget, type WorkerTarget } from "./worker-target.js";

const CHUNK = 40;

async function certifiedCount(s: HttpTarget, token: string, eventId: string): Promise<{ certified: string[]; total: number }> {
  const list = await s.call("GET", `/api/events/${eventId}/participants`, { token });
  expect(list.status).toBe(200);
  const ids = (list.body.participants as { certificateId: string | null }[]).map((p) => p.certificateId).filter((x): x is string => x !== null);
  return { certified: ids, total: list.body.count };
}

describe.each(DATABASE_KINDS)(`issue 18: issuing in chunks of ${CHUNK} participants on %s`, (kind) => {
  let s: TestSenim;
  beforeAll(async () => {
    s = await startSenim({ database: kind, issuingChunk: CHUNK });
  }, 60_000);
  afterAll(async () => s?.close());

  it("202 with what remains, each call the next chunk, concurrent calls never issue twice, then 201 … 200", async () => {
    const provider = await accreditedProvider(s);
    const event = await eventWithParticipants(s, provider.token, { n: 130 });
    const issue = () => s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token });

    const first = await issue();
    expect(first.status, first.text).toBe(202);
    expect(first.body).toMatchObject({ issued: CHUNK, alreadyIssued: 0, pending: 130 - CHUNK });
    expect(first.body.certificates).toHaveLength(CHUNK);
    expect(first.body.issuedIds).toBeUndefined();

    // Concurrent calls: each either issues a chunk or finds it taken (all or nothing per call).
    const concurrent = await Promise.all(Array.from({ length: 4 }, issue));
    expect(concurrent.every((r) => [200, 201, 202].includes(r.status)), JSON.stringify(concurrent.map((r) => r.status))).toBe(true);
    let last = concurrent.at(-1)!;
    for (let round = 0; round < 10 && last.body.pending > 0; round++) last = await issue();
    expect(last.body.pending).toBe(0);

    const { certified, total } = await certifiedCount(s, provider.token, event.id);
    expect(total).toBe(130);
    expect(new Set(certified).size).toBe(130);
    expect((await issue()).status).toBe(200); // nothing left

    // One audit entry per call that stored a chunk, and together exactly the 130 certificates.
    const audit = await s.call("GET", "/api/audit?limit=1000", { token: s.adminToken });
    const issuings = (audit.body.entries as { action: string; subjects: string[] }[]).filter((e) => e.action === "certificates.issued" && e.subjects[0] === event.id);
    expect(issuings.length).toBeGreaterThanOrEqual(Math.ceil(130 / CHUNK));
    expect(issuings.length).toBeLessThanOrEqual(7);

    // The last chunk's certificates are as genuine as the first's.
    for (const id of [certified[0]!, certified.at(-1)!]) {
      const jwt = (await s.call("GET", `/api/certificates/${id}`)).body.jwt;
      expect((await s.call("POST", "/api/verify", { body: { jwt } })).body.verified).toBe(true);
    }
  }, 120_000);

  it.runIf(kind === "d1")(`one call of ${CHUNK} stays inside the Free plan's 50 D1 queries`, async () => {
    const provider = await accreditedProvider(s);
    const event = await eventWithParticipants(s, provider.token, { n: CHUNK + 5 });
    const before = s.storeDb.queries!();
    const r = await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token });
    expect(r.status).toBe(202);
    const used = s.storeDb.queries!() - before;
    expect(used, `${used} D1 queries for ${CHUNK} participants`).toBeLessThanOrEqual(50);
    console.log(`D1 queries of one issuing call: ${used} for ${CHUNK} participants`);
  }, 60_000);
});

describe("issue 18: the default chunk of 500 on D1 stays inside the Paid plan's 1,000 queries", () => {
  let s: TestSenim;
  beforeAll(async () => {
    s = await startSenim({ database: "d1", issuingChunk: 500 });
  }, 60_000);
  afterAll(async () => s?.close());

  it("500 participants in one call", async () => {
    const provider = await accreditedProvider(s);
    const event = await eventWithParticipants(s, provider.token, { n: 520 });
    const before = s.storeDb.queries!();
    const r = await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token });
    expect(r.status, r.text).toBe(202);
    expect(r.body).toMatchObject({ issued: 500, pending: 20 });
    const used = s.storeDb.queries!() - before;
    expect(used, `${used} D1 queries for 500 participants`).toBeLessThanOrEqual(1_000);
    console.log(`D1 queries of one issuing call: ${used} for 500 participants`);
  }, 120_000);
});

describe("issue 18: on workerd the Worker's Queue issues the rest by itself", () => {
  let w: WorkerTarget;
  beforeAll(async () => {
    w = await startWorkerTarget({ bindings: { SENIM_ISSUE_CHUNK: String(CHUNK) } });
  }, 120_000);
  afterAll(async () => w?.close());

  it("202 for the first chunk; the queue consumer issues the other chunks, each once", async () => {
    const provider = await accreditedProvider(w);
    const event = await eventWithParticipants(w, provider.token, { n: 130 });
    const first = await w.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token });
    expect(first.status, first.text).toBe(202);
    expect(first.body).toMatchObject({ issued: CHUNK, pending: 130 - CHUNK });
    let certified: string[] = [];
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      ({ certified } = await certifiedCount(w, provider.token, event.id));
      if (certified.length === 130) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(certified).toHaveLength(130);
    expect(new Set(certified).size).toBe(130);
    const again = await w.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token });
    expect(again.status).toBe(200);
    expect(again.body.pending).toBe(0);
    const jwt = (await w.call("GET", `/api/certificates/${certified.at(-1)}`)).body.jwt;
    expect((await w.call("POST", "/api/verify", { body: { jwt } })).body.verified).toBe(true);
  }, 120_000);
});
