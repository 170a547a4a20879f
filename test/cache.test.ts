/**
 * Issue 18: the per-process memo of hot reads (status bits, keys, accreditation histories) loads each key once, however
 * many requests miss at the same moment, and never keeps a value loaded across an invalidation.
 */
import { describe, expect, it } from "vitest";
import { TtlCache } from "../src/lib/cache.js";

/** A load that waits until released, counting how often it ran. */
function gatedLoad<V>(value: V) {
  let runs = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  return { load: async () => (runs++, await gate, value), release: () => release(), runs: () => runs };
}

describe("TtlCache single-flight loads", () => {
  it("500 concurrent misses of one key run the load once and all get its value", async () => {
    const cache = new TtlCache<number>(10_000);
    const g = gatedLoad(42);
    const all = Promise.all(Array.from({ length: 500 }, () => cache.getOrLoad("list-1", g.load)));
    g.release();
    expect(await all).toEqual(Array(500).fill(42));
    expect(g.runs()).toBe(1);
    expect(await cache.getOrLoad("list-1", async () => 0)).toBe(42); // kept
  });

  it("a delete while loading: the waiting callers get the value, the cache does not keep it, the next miss reloads", async () => {
    const cache = new TtlCache<string>(10_000);
    const before = gatedLoad("before the revocation");
    const waiting = cache.getOrLoad("list-1", before.load);
    cache.delete("list-1"); // a revocation in this process
    const after = cache.getOrLoad("list-1", async () => "after the revocation");
    before.release();
    expect(await waiting).toBe("before the revocation");
    expect(await after).toBe("after the revocation");
    expect(await cache.getOrLoad("list-1", async () => "third")).toBe("after the revocation");
  });

  it("a failed load is not kept: every waiting caller sees the error, the next miss tries again", async () => {
    const cache = new TtlCache<number>(10_000);
    let runs = 0;
    const failing = async () => {
      runs++;
      throw new Error("database unavailable");
    };
    const results = await Promise.allSettled([cache.getOrLoad("k", failing), cache.getOrLoad("k", failing)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(runs).toBe(1);
    expect(await cache.getOrLoad("k", async () => 7)).toBe(7);
  });

  it("an expired entry is loaded anew; different keys load independently", async () => {
    const cache = new TtlCache<number>(5);
    expect(await cache.getOrLoad("a", async () => 1)).toBe(1);
    expect(await cache.getOrLoad("b", async () => 2)).toBe(2);
    await new Promise((r) => setTimeout(r, 15));
    expect(await cache.getOrLoad("a", async () => 3)).toBe(3);
  });
});
