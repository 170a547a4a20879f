/**
 * Choosing the database and configuring the Worker: DATABASE_URL checked without echoing it, `npm run migrate` on
 * PostgreSQL, the Node server naming its database without its password, and a Worker with a missing secret
 * answering 503 with the setting's name.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/runtime/config.js";
import { freshPostgresSchema, offlineWrangler } from "./databases.js";
import { startNodeTarget } from "./node-target.js";
import { isolatedConfig, startWorkerTarget } from "./worker-target.js";

const dir = mkdtempSync(join(tmpdir(), "senim-runtime-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = { DATA_DIR: join(dir, "data"), SENIM_KEYS_DIR: join(dir, "keys") };
const root = resolve(import.meta.dirname, "..");

describe("DATABASE_URL", () => {
  it("selects PostgreSQL; anything but a postgres:// URL is refused without repeating it", async () => {
    expect((await loadConfig(base)).databaseUrl).toBeUndefined();
    expect((await loadConfig({ ...base, DATABASE_URL: "postgresql://u:pw@db:5432/senim" })).databaseUrl).toBe("postgresql://u:pw@db:5432/senim");
    for (const bad of ["mysql://u:secret-pw@db/senim", "not a url secret-pw", "file:senim.db"]) {
      const err = await loadConfig({ ...base, DATABASE_URL: bad }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/DATABASE_URL must be a postgres/);
      expect((err as Error).message).not.toContain("secret-pw");
    }
  });

  it("`npm run migrate` applies the migrations to PostgreSQL once", async () => {
    const schema = await freshPostgresSchema();
    try {
      const migrate = () =>
        spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(root, "src/runtime/cli.ts"), "migrate"], { cwd: root, env: { ...process.env, DATABASE_URL: schema.url }, encoding: "utf8" });
      const first = migrate();
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/^Applied to PostgreSQL: 127\.0\.0\.1:5432\/test: 0001_initial/m);
      const second = migrate();
      expect(second.stdout).toContain("already up to date");
    } finally {
      await schema.drop();
    }
  });

  it("the Node server on PostgreSQL names its database, never the URL's password", async () => {
    const schema = await freshPostgresSchema();
    const url = new URL(schema.url);
    url.password = "trust-ignores-this-pw"; // trust authentication accepts any password
    const s = await startNodeTarget({ database: "postgres", databaseUrl: url.toString() });
    try {
      expect(s.output()).toContain("(PostgreSQL: 127.0.0.1:5432/test)");
      expect(s.output()).not.toContain("trust-ignores-this-pw");
      expect((await s.call("GET", "/api/registry")).body.bars).toHaveLength(21);
    } finally {
      await s.close();
      await schema.drop();
    }
  });
});

describe("the Worker's configuration", () => {
  it("answers 503 naming a missing secret, never a value", async () => {
    const s = await startWorkerTarget({ omit: ["SENIM_KEK"] });
    try {
      const res = await s.call("GET", "/api/registry");
      expect(res.status).toBe(503);
      expect(res.text).toContain("SENIM_KEK is not set");
      expect(res.text).not.toContain(s.adminToken);
      // Static assets are served by Workers before the code runs, so they stay up.
      expect((await s.call("GET", "/styles.css")).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe("D1 migrations through wrangler", () => {
  it("`npm run d1:migrations` writes SQL that `wrangler d1 migrations apply --local` applies once", () => {
    offlineWrangler();
    const tsx = ["--import", import.meta.resolve("tsx")];
    const wrangler = join(root, "node_modules/wrangler/bin/wrangler.js");
    const migrations = join(dir, "d1-migrations");
    const generate = spawnSync(process.execPath, [...tsx, join(root, "src/runtime/cli.ts"), "d1-migrations", migrations], { cwd: root, encoding: "utf8" });
    expect(generate.status, generate.stderr).toBe(0);
    // The project's wrangler.toml, pointed at this folder (its own points at the git-ignored .wrangler/d1-migrations).
    const config = isolatedConfig(dir, migrations);
    const run = (...args: string[]) => spawnSync(process.execPath, [wrangler, "d1", ...args, "--local", "--persist-to", join(dir, "state"), "-c", config], { cwd: dir, env: process.env, encoding: "utf8", timeout: 60_000 });
    const first = run("migrations", "apply", "senim");
    expect(first.status, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toMatch(/0001_initial\.sql\s*│\s*✅/);
    const second = run("migrations", "apply", "senim");
    expect(second.stdout).toContain("No migrations to apply");
    const count = run("execute", "senim", "--json", "--command", "SELECT count(*) AS n FROM bars");
    expect(count.status, count.stderr).toBe(0);
    expect(JSON.parse(count.stdout)[0].results).toEqual([{ n: 21 }]);
  });
});
