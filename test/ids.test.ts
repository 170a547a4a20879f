import { describe, expect, it } from "vitest";
import { newId } from "../src/lib/ids.js";

describe("newId (random bytes drawn from a pool)", () => {
  it("gives ids of the length asked, in the Crockford alphabet, never the same twice, across pool refills", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const length = [10, 12, 16, 20, 24][i % 5]!;
      const id = newId(length);
      expect(id).toMatch(new RegExp(`^[0-9abcdefghjkmnpqrstvwxyz]{${length}}$`));
      seen.add(id);
    }
    expect(seen.size).toBe(5_000);
    expect(newId()).toHaveLength(20);
  });

  it("uses every character about equally (each byte once, 5 bits of it)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2_000; i++) for (const ch of newId(20)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(32);
    for (const n of counts.values()) expect(n).toBeGreaterThan(1_000); // 40,000 / 32 = 1,250 on average
  });
});
