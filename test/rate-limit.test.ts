/**
 * Issue 17: rate limits per client address. The rule (fixed windows, SENIM_RATE_LIMITS), the in-memory limiter of
 * one Node process, and the shared one on SQLite, PostgreSQL and D1 — hundreds of concurrent requests on
 * PostgreSQL's pool pass exactly the limit. Over HTTP on every runtime: test/http-scenarios.ts › "issue 17: rate limits".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decide, DEFAULT_RATE_LIMITS, fixedWindow, parseRateLimits } from "../src/domain/rate-limit.js";
import { MemoryRateLimiter } from "../src/lib/memory-rate-limiter.js";
import { KyselyRateLimiter } from "../src/storage/rate-limit-store.js";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "./databases.js";

const T = Date.parse("2026-12-02T10:00:30Z");
const LIMIT = { limit: 20, windowSeconds: 60 };

describe("issue 17: the rate-limit rule", () => {
  it("fixed windows: the window's start and the seconds to the next one", () => {
    expect(fixedWindow(T, 60)).toEqual({ start: Date.parse("2026-12-02T10:00:00Z"), retryAfterSeconds: 30 });
    expect(fixedWindow(Date.parse("2026-12-02T10:00:59.900Z"), 60).retryAfterSeconds).toBe(1);
    expect(decide(20, LIMIT, T)).toEqual({ allowed: true });
    expect(decide(21, LIMIT, T)).toEqual({ allowed: false, retryAfterSeconds: 30 });
  });

  it("SENIM_RATE_LIMITS: defaults, off, per class; a typo stops the start with the reason", () => {
    expect(parseRateLimits(undefined)).toEqual(DEFAULT_RATE_LIMITS);
    expect(parseRateLimits(" OFF ")).toBe("off");
    expect(parseRateLimits("secrets=5/10")).toEqual({ public: DEFAULT_RATE_LIMITS.public, secrets: { limit: 5, windowSeconds: 10 } });
    for (const bad of ["secret=5/10", "public=0/60", "public=5", "public=5/60;secrets=1/1"]) expect(() => parseRateLimits(bad)).toThrow(/SENIM_RATE_LIMITS/);
  });

  it("in memory: the limit per class and address, a new window starts afresh, and a flood of addresses stays bounded", async () => {
    const m = new MemoryRateLimiter(1_000);
    const outcomes = [];
    for (let i = 0; i < 25; i++) outcomes.push((await m.consume("secrets", "10.0.0.1", LIMIT, T)).allowed);
    expect(outcomes.filter(Boolean)).toHaveLength(20);
    expect(await m.consume("secrets", "10.0.0.1", LIMIT, T)).toEqual({ allowed: false, retryAfterSeconds: 30 });
    expect((await m.consume("public", "10.0.0.1", LIMIT, T)).allowed).toBe(true);
    expect((await m.consume("secrets", "10.0.0.2", LIMIT, T)).allowed).toBe(true);
    expect((await m.consume("secrets", "10.0.0.1", LIMIT, T + 60_000)).allowed).toBe(true);
    for (let i = 0; i < 5_000; i++) await m.consume("public", `flood-${i}`, LIMIT, T + 60_000);
    expect((m as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(1_000);
  });
});

describe.each(DATABASE_KINDS)("issue 17: the shared rate limiter on %s", (kind) => {
  let d: TestDatabase;
  beforeAll(async () => {
    d = await openTestDatabase(kind);
  });
  afterAll(async () => d?.close());

  it("counts per class, address and window in one upsert: exactly the limit passes, concurrent requests included", async () => {
    const limiter = new KyselyRateLimiter(d);
    // PostgreSQL runs these on a pool in parallel; SQLite and D1 have one writer.
    const n = kind === "postgres" ? 300 : 100;
    const decisions = await Promise.all(Array.from({ length: n }, () => limiter.consume("secrets", "203.0.113.7", LIMIT, T)));
    expect(decisions.filter((x) => x.allowed)).toHaveLength(LIMIT.limit);
    expect(decisions.find((x) => !x.allowed)).toEqual({ allowed: false, retryAfterSeconds: 30 });
    // Another instance on the same database sees the same count.
    expect((await new KyselyRateLimiter(d).consume("secrets", "203.0.113.7", LIMIT, T)).allowed).toBe(false);
    expect((await limiter.consume("public", "203.0.113.7", LIMIT, T)).allowed).toBe(true);
    expect((await limiter.consume("secrets", "203.0.113.8", LIMIT, T)).allowed).toBe(true);
    expect((await limiter.consume("secrets", "203.0.113.7", LIMIT, T + 60_000)).allowed).toBe(true);
  });
});
