/**
 * Issue 17: GET /readyz touches the database on every call and names the check that failed (503), without leaking
 * the database's URL; /healthz stays a bare liveness answer. On SQLite and PostgreSQL in process (the three runtimes
 * answer the ready case in test/http-scenarios.ts).
 */
import { describe, expect, it } from "vitest";
import { startSenim } from "./helpers.js";

describe.each(["sqlite", "postgres"] as const)("readiness on %s", (kind) => {
  it("ready while the database answers; 503 naming the database, with no URL, once it does not", async () => {
    const s = await startSenim({ database: kind });
    try {
      const ready = await s.call("GET", "/readyz");
      expect(ready.status).toBe(200);
      expect(ready.headers.get("cache-control")).toBe("no-store");
      expect(ready.body).toMatchObject({ ready: true, checks: [{ check: "database", ok: true }, { check: "registry", ok: true }] });
      await s.db.destroy(); // the database goes away under the running service
      const down = await s.call("GET", "/readyz");
      expect(down.status).toBe(503);
      expect(down.body.ready).toBe(false);
      expect(down.body.checks).toEqual([{ check: "database", ok: false, detail: expect.stringContaining("The database did not answer") }]);
      expect(down.text).not.toMatch(/postgres:\/\/|\.db\b/);
      expect((await s.call("GET", "/healthz")).status).toBe(200);
    } finally {
      await s.close().catch(() => undefined);
    }
  });
});
