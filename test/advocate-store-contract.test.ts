/**
 * The store contract for advocates' sign-in (issue 13, migration 0011) on SQLite, PostgreSQL and D1 (workerd): a code
 * row and its outbox message are one write; a try of a code compares, counts and checks the limit in one statement,
 * so 20 concurrent wrong codes count exactly 5 and afterwards even the right code matches nothing; the quota of codes
 * a member may ask for is one upsert, so 300 concurrent requests are granted exactly 5; sessions by id.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../src/lib/ids.js";
import { KyselyAdvocateStore } from "../src/storage/advocate-store.js";
import { KyselyOutboxStore } from "../src/storage/outbox-store.js";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "./databases.js";

const T0 = "2026-06-01T09:00:00.000Z";
const LATER = "2026-06-01T09:10:00.000Z";
const NOW = "2026-06-01T09:01:00.000Z";

describe.each(DATABASE_KINDS)("store contract: advocate sign-in on %s", (kind) => {
  let t: TestDatabase;
  let store: KyselyAdvocateStore;

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    store = new KyselyAdvocateStore(t);
  }, 60_000);
  afterAll(async () => t?.close());

  const newCode = async (licence: string) => {
    const id = newId(24);
    await store.insertCode({ id, barId: "almaty-city", licence, codeMac: `right-${id}`, createdAt: T0, expiresAt: LATER }, { toAddress: `${licence}@example.kz`, lang: "ru" });
    return id;
  };

  it("a code row and its outbox message (kind advocate_code, no certificate) are written together", async () => {
    const id = await newCode("500001");
    const m = await new KyselyOutboxStore(t).get(id);
    expect(m).toMatchObject({ id, kind: "advocate_code", certificateId: null, eventId: null, participantId: null, toAddress: "500001@example.kz", lang: "ru", status: "queued" });
    // A second write under the same id fails whole: no second message, the first code intact.
    await expect(store.insertCode({ id, barId: "almaty-city", licence: "500001", codeMac: "other", createdAt: T0, expiresAt: LATER }, { toAddress: "x@example.kz", lang: "kk" })).rejects.toThrow();
    expect((await new KyselyOutboxStore(t).get(id))?.toAddress).toBe("500001@example.kz");
    expect(await store.tryCode(id, `right-${id}`, NOW, 5)).toEqual({ outcome: "right", barId: "almaty-city", licence: "500001" });
    // Used once: never again.
    expect(await store.tryCode(id, `right-${id}`, NOW, 5)).toBeUndefined();
  });

  it("the code quota: 5 a window, then refused; a lapsed window starts anew; members apart", async () => {
    const HOUR_AGO = (iso: string) => new Date(Date.parse(iso) - 3_600_000).toISOString();
    const take = (licence: string, now: string) => store.takeCodeQuota("almaty-city", licence, now, HOUR_AGO(now), 5);
    const granted: boolean[] = [];
    for (let i = 0; i < 7; i++) granted.push(await take("500010", T0));
    expect(granted).toEqual([true, true, true, true, true, false, false]);
    expect(await take("500011", T0)).toBe(true); // another member's quota is their own
    expect(await take("500010", "2026-06-01T09:59:59.000Z")).toBe(false); // the window opened at T0 still stands
    expect(await take("500010", "2026-06-01T10:00:00.000Z")).toBe(true); // it has lapsed: a new window from now
    for (let i = 0; i < 4; i++) expect(await take("500010", "2026-06-01T10:00:01.000Z")).toBe(true);
    expect(await take("500010", "2026-06-01T10:00:02.000Z")).toBe(false);
  });

  it("300 concurrent code requests of one member are granted exactly 5", async () => {
    const results = await Promise.all(Array.from({ length: 300 }, () => store.takeCodeQuota("almaty-city", "500012", T0, "2026-06-01T08:00:00.000Z", 5)));
    expect(results.filter(Boolean)).toHaveLength(5);
    const row = await t.db.selectFrom("advocate_code_quota").selectAll().where("licence", "=", "500012").executeTakeFirstOrThrow();
    expect(Number(row.used)).toBe(300);
  }, 60_000);

  it("20 concurrent wrong codes count exactly 5; then the right code is refused too", async () => {
    const id = await newCode("500002");
    const tries = await Promise.all(Array.from({ length: 20 }, () => store.tryCode(id, "wrong", NOW, 5)));
    const counted = tries.filter((r) => r?.outcome === "wrong");
    expect(counted).toHaveLength(5);
    expect(counted.map((r) => (r as { failedAttempts: number }).failedAttempts).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(tries.filter((r) => r === undefined)).toHaveLength(15);
    expect(await store.tryCode(id, `right-${id}`, NOW, 5)).toBeUndefined();
    const row = await t.db.selectFrom("advocate_codes").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(Number(row.failed_attempts)).toBe(5);
    expect(row.used_at).toBeNull();
  });

  it("an expired code matches nothing and counts nothing", async () => {
    const id = await newCode("500003");
    expect(await store.tryCode(id, `right-${id}`, LATER, 5)).toBeUndefined();
    expect(await store.tryCode(id, "wrong", LATER, 5)).toBeUndefined();
    const row = await t.db.selectFrom("advocate_codes").select("failed_attempts").where("id", "=", id).executeTakeFirstOrThrow();
    expect(Number(row.failed_attempts)).toBe(0);
  });

  it("sessions: insert, find, prune the expired, delete", async () => {
    await store.insertSession({ id: "s-live", barId: "almaty-city", licence: "500004", createdAt: T0, expiresAt: LATER });
    await store.insertSession({ id: "s-old", barId: "almaty-city", licence: "500004", createdAt: T0, expiresAt: NOW });
    expect(await store.findSession("s-live")).toEqual({ id: "s-live", barId: "almaty-city", licence: "500004", createdAt: T0, expiresAt: LATER });
    await store.pruneSessions("2026-06-01T09:05:00.000Z");
    expect(await store.findSession("s-old")).toBeUndefined();
    expect(await store.findSession("s-live")).toBeDefined();
    await store.deleteSession("s-live");
    expect(await store.findSession("s-live")).toBeUndefined();
  });
});
