import { afterEach, describe, expect, it } from "vitest";
import { issued, startSenim, type TestSenim } from "./helpers.js";
import { CHECKS } from "../src/credentials/checks.js";

let s: TestSenim;
afterEach(async () => s?.close());

describe("core path", () => {
  it("7.5: an accredited provider issues certificates that verify", async () => {
    s = await startSenim();
    const { certificates } = await issued(s, 3);
    expect(certificates).toHaveLength(3);
    const res = await s.call("POST", "/api/verify", { body: { url: certificates[0]!.url } });
    expect(res.status).toBe(200);
    expect(res.body.verified).toBe(true);
    expect(res.body.checks.map((c: any) => c.outcome)).toEqual(Array(CHECKS.length).fill("passed"));
  });
});
