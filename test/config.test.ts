import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/runtime/config.js";

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), "senim-config-"));
  dirs.push(d);
  return { DATA_DIR: join(d, "data"), SENIM_KEYS_DIR: join(d, "keys") };
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("configuration from the environment", () => {
  it("defaults: port 8787, PUBLIC_URL from it, dev secrets created owner-only and reused", async () => {
    const env = fresh();
    const first = await loadConfig(env);
    expect(first).toMatchObject({ port: 8787, publicUrl: "http://localhost:8787", production: false });
    expect(first.newAdminToken).toMatch(/^snm_/);
    expect(statSync(join(env.SENIM_KEYS_DIR, "kek")).mode & 0o077).toBe(0);
    const second = await loadConfig(env);
    expect(second.newAdminToken).toBeUndefined();
    expect(second.kek).toBe(first.kek);
    expect(second.adminTokenHash).toBe(first.adminTokenHash);
  });

  it("PUBLIC_URL must be a plain http(s) URL; a trailing slash is dropped", async () => {
    expect((await loadConfig({ ...fresh(), PUBLIC_URL: "https://senim.example.kz/" })).publicUrl).toBe("https://senim.example.kz");
    for (const bad of ["senim.kz", "ftp://senim.kz", "https://senim.kz/?x=1", "https://user:pw@senim.kz", "https://senim.kz/#top"]) {
      await expect(loadConfig({ ...fresh(), PUBLIC_URL: bad }), bad).rejects.toThrow(/PUBLIC_URL/);
    }
  });

  it("production refuses to start without SENIM_KEK and SENIM_ADMIN_TOKEN, and writes no dev secrets", async () => {
    const env = fresh();
    await expect(loadConfig({ ...env, NODE_ENV: "production" })).rejects.toThrow(/SENIM_KEK/);
    const kek = Buffer.alloc(32, 7).toString("base64url");
    await expect(loadConfig({ ...env, NODE_ENV: "production", SENIM_KEK: kek })).rejects.toThrow(/SENIM_ADMIN_TOKEN/);
    const ok = await loadConfig({ ...env, NODE_ENV: "production", SENIM_KEK: kek, SENIM_ADMIN_TOKEN: "x".repeat(40) });
    expect(ok.newAdminToken).toBeUndefined();
    expect(() => statSync(env.SENIM_KEYS_DIR)).toThrow();
  });

  it("a weak SENIM_ADMIN_TOKEN and a bad PORT are refused", async () => {
    await expect(loadConfig({ ...fresh(), SENIM_ADMIN_TOKEN: "short" })).rejects.toThrow(/at least 32/);
    await expect(loadConfig({ ...fresh(), PORT: "http" })).rejects.toThrow(/PORT/);
  });
});
