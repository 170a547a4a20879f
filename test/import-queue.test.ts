/**
 * Issue 17, bounded memory for big uploads: member imports run one at a time with two in line
 * (src/lib/work-queue.ts), so however many arrive together the process holds at most three files and one import's
 * working set; more are refused at once with 503 `busy`, Retry-After and a localised detail, and nothing of them is
 * stored. The memory itself is measured by `npm run bench:import-memory` (RSS growth: eight sent together against
 * one, same run).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkQueue } from "../src/lib/work-queue.js";
import { membersCsv, startSenim, type TestSenim } from "./helpers.js";

describe("WorkQueue", () => {
  it("runs `running` jobs at once, keeps `waiting` more in line in order, refuses the rest, and frees a place when a job throws", async () => {
    const q = new WorkQueue({ running: 1, waiting: 2 });
    const order: number[] = [];
    const gates: (() => void)[] = [];
    const job = (n: number, fail = false) => () =>
      new Promise<number>((resolve, reject) => gates.push(() => (order.push(n), fail ? reject(new Error(`job ${n}`)) : resolve(n))));
    const first = q.run(job(1, true));
    const second = q.run(job(2));
    const third = q.run(job(3));
    expect(await q.run(job(4))).toBeUndefined(); // the line is full
    expect(q.size).toEqual({ running: 1, waiting: 2 });
    gates.shift()!();
    await expect(first).rejects.toThrow("job 1");
    await new Promise((r) => setTimeout(r, 0));
    gates.shift()!();
    expect(await second).toEqual({ value: 2 });
    await new Promise((r) => setTimeout(r, 0));
    gates.shift()!();
    expect(await third).toEqual({ value: 3 });
    expect(order).toEqual([1, 2, 3]);
    expect(q.size).toEqual({ running: 0, waiting: 0 });
    expect(await q.run(async () => 5)).toEqual({ value: 5 });
  });
});

describe("issue 17: member imports sent together", () => {
  let s: TestSenim;
  let token: string;
  beforeAll(async () => {
    s = await startSenim();
    token = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "desk" } })).body.token;
  });
  afterAll(async () => s.close());

  it("four at once: three are imported in turn, the fourth is refused with 503 busy, Retry-After and its detail in kk, and nothing of it is stored", async () => {
    const N = 20_000;
    const sent = await Promise.all(
      [0, 1, 2, 3].map((i) => s.call("POST", "/api/bars/almaty-city/members.csv", { token, raw: membersCsv(N, 200_000 + i * N), headers: { "content-type": "text/csv", "accept-language": "kk" } })),
    );
    const statuses = sent.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 503]);
    const refused = sent.findIndex((r) => r.status === 503);
    expect(sent[refused]!.body).toMatchObject({ code: "busy", status: 503, title: "Сервер бос емес, сәлден соң қайталаңыз", detail: expect.stringMatching(/импорты жүріп жатыр; ештеңе сақталған жоқ\. Файлды 30 с кейін/) });
    expect(sent[refused]!.headers.get("retry-after")).toBe("30");
    const members = (await s.call("GET", "/api/bars/almaty-city/members", { token })).body.members as { licence: string }[];
    expect(members).toHaveLength(3 * N);
    const first = 200_000 + refused * N;
    expect(members.some((m) => Number(m.licence) >= first && Number(m.licence) < first + N)).toBe(false);
    // The line is free again: the refused file goes in when sent again.
    const again = await s.call("POST", "/api/bars/almaty-city/members.csv", { token, raw: membersCsv(N, first), headers: { "content-type": "text/csv" } });
    expect(again.status, again.text).toBe(201);
  }, 120_000);
});
