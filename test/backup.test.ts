/**
 * Issue 17: `npm run backup` / `npm run restore` on the embedded SQLite database. A backup taken while the service
 * issues holds each issuing call whole or not at all; restored into a fresh data directory, every certificate in it
 * verifies. The refusals: overwriting a file, restoring over a database, a file that is no Senim database, PostgreSQL.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accreditedProvider, eventWithParticipants, startSenim, type TestSenim } from "./helpers.js";

const run = promisify(execFile);
const PER_EVENT = 40;

/** The CLI as an operator runs it (`npm run backup -- FILE` is this command), with DATA_DIR and no DATABASE_URL. */
async function cli(args: string[], dataDir: string, env: Record<string, string> = {}) {
  const { DATABASE_URL: _, ...rest } = process.env;
  try {
    const { stdout, stderr } = await run(join("node_modules", ".bin", "tsx"), ["src/runtime/cli.ts", ...args], { env: { ...rest, DATA_DIR: dataDir, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("issue 17: backup and restore of the SQLite database", () => {
  let live: TestSenim;
  let provider: Awaited<ReturnType<typeof accreditedProvider>>;
  const work = mkdtempSync(join(tmpdir(), "senim-backup-"));
  const backupFile = join(work, "backups", "senim-backup.db");

  beforeAll(async () => {
    live = await startSenim({ now: "system", dbFile: join(work, "live", "senim.db") });
    provider = await accreditedProvider(live);
  });
  afterAll(async () => {
    await live?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("a backup taken while certificates are issued holds every issuing call whole; restored into a fresh directory, every certificate verifies", async () => {
    const events = await Promise.all(Array.from({ length: 6 }, () => eventWithParticipants(live, provider.token, { n: PER_EVENT })));
    await live.call("POST", `/api/events/${events[0]!.id}/certificates`, { token: provider.token });
    // The rest are issued one after another while the backup runs in another process.
    const issuing = (async () => {
      for (const e of events.slice(1)) expect((await live.call("POST", `/api/events/${e.id}/certificates`, { token: provider.token })).status).toBe(201);
    })();
    const backedUp = await cli(["backup", backupFile], join(work, "live"));
    await issuing;
    expect(backedUp.code, backedUp.stderr).toBe(0);
    expect(backedUp.stdout).toMatch(/Backed up to .*senim-backup\.db: [\d,]+ bytes, [\d,]+ certificates, \d+ migrations; integrity check ok\./);
    expect(readdirSync(join(work, "backups"))).toEqual(["senim-backup.db"]);

    const fresh = join(work, "restored");
    const restored = await cli(["restore", backupFile], fresh);
    expect(restored.code, restored.stderr).toBe(0);
    const copy = await startSenim({ now: "system", dbFile: join(fresh, "senim.db") });
    try {
      const rows = await copy.db.selectFrom("certificates as c").innerJoin("certificate_documents as d", "d.certificate_id", "c.id").select(["c.id", "c.event_id", "d.jwt"]).execute();
      const perEvent = new Map<string, number>();
      for (const r of rows) perEvent.set(r.event_id, (perEvent.get(r.event_id) ?? 0) + 1);
      // The first event was issued before the backup started; every issuing call is in the copy whole or not at all.
      expect(perEvent.get(events[0]!.id)).toBe(PER_EVENT);
      for (const n of perEvent.values()) expect(n).toBe(PER_EVENT);
      for (const r of rows) {
        const v = await copy.call("POST", "/api/verify", { body: { jwt: r.jwt } });
        expect(v.body.verified, `${r.id}: ${JSON.stringify(v.body.checks?.filter((c: { outcome: string }) => c.outcome !== "passed"))}`).toBe(true);
      }
      expect(restored.stdout).toContain(`${rows.length.toLocaleString("en")} certificates`);
    } finally {
      await copy.close();
    }
  });

  it("refusals: a backup never overwrites a file; a restore never replaces a database; a file that is no Senim database is refused and leaves nothing; PostgreSQL is pg_dump's", async () => {
    const again = await cli(["backup", backupFile], join(work, "live"));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists already: a backup never overwrites a file/);

    const over = await cli(["restore", backupFile], join(work, "live"));
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/restore only into a data directory without a database/);

    const junk = join(work, "junk.db");
    writeFileSync(junk, "this is not a database");
    const bad = await cli(["restore", junk], join(work, "empty"));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot be read as a SQLite database|fails SQLite's integrity check/);
    expect(existsSync(join(work, "empty", "senim.db"))).toBe(false);
    expect(existsSync(join(work, "empty", "senim.db.partial"))).toBe(false);

    const noDb = await cli(["backup", join(work, "x.db")], join(work, "nowhere"));
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toMatch(/No database at/);

    const pg = await cli(["backup", join(work, "y.db")], join(work, "live"), { DATABASE_URL: "postgres://127.0.0.1:5432/test" });
    expect(pg.code).toBe(1);
    expect(pg.stderr).toMatch(/pg_dump/);
  });
});
