/**
 * `npm run import`: the operator's CSV import as a real process on a real SQLite file — progress on a large file, every
 * bad line printed, and nothing stored from a file with a bad row (12.3).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openPostgres } from "../src/runtime/postgres.js";
import { openSqlite, sqliteFile } from "../src/runtime/sqlite.js";
import { freshPostgresSchema } from "./databases.js";

const dir = mkdtempSync(join(tmpdir(), "senim-import-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, DATA_DIR: join(dir, "data"), SENIM_KEYS_DIR: join(dir, "keys"), NODE_ENV: "development", ...extraEnv };
  delete (env as Record<string, string | undefined>).SENIM_KEK;
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), resolve(import.meta.dirname, "../src/runtime/cli.ts"), "import", ...args], { env, cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((done) => child.on("close", (code) => done({ code, stdout, stderr })));
}

const members = async () => {
  const db = openSqlite(sqliteFile(join(dir, "data")));
  try {
    return Number((await db.selectFrom("members").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n);
  } finally {
    await db.destroy();
  }
};

describe("npm run import", () => {
  it("12.3: a file with bad rows stores nothing and names every bad line; a large valid file shows progress", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "licence;name;admission date\n1;Ким Мария;2015-01-01\n2;;2015-01-01\n3;Әсел;2015-02-30\n");
    const refused = await run(["members", "almaty-city", bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("line 3: name");
    expect(refused.stderr).toContain("line 4: admission date");
    expect(refused.stderr).toContain("nothing was stored");
    expect(await members()).toBe(0);

    const big = join(dir, "big.csv");
    writeFileSync(big, "licence;name;admission date;email\n" + Array.from({ length: 20_000 }, (_, i) => `${500000 + i};Адвокат ${i};2015-01-01;a${i}@example.kz`).join("\n"));
    const ok = await run(["members", "almaty-city", big]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/reading \d+%/);
    expect(ok.stderr).toContain("reading 100%");
    expect(ok.stdout).toContain("Imported 20000 members into almaty-city");
    expect(await members()).toBe(20_000);
  });

  it("opens the database `npm start` would: with DATABASE_URL, PostgreSQL (and not the SQLite file)", async () => {
    const schema = await freshPostgresSchema();
    try {
      const file = join(dir, "pg.csv");
      writeFileSync(file, "licence;name;admission date\n" + Array.from({ length: 1_200 }, (_, i) => `${700000 + i};Адвокат ${i};2016-01-01`).join("\n"));
      const before = await members();
      const ok = await run(["members", "astana-city", file], { DATABASE_URL: schema.url });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain("Imported 1200 members into astana-city");
      const db = openPostgres(schema.url);
      try {
        const n = await db.selectFrom("members").select(sql<string>`count(*)`.as("n")).where("bar_id", "=", "astana-city").executeTakeFirstOrThrow();
        expect(Number(n.n)).toBe(1_200);
      } finally {
        await db.destroy();
      }
      expect(await members()).toBe(before);
    } finally {
      await schema.drop();
    }
  });
});
