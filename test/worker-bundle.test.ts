/**
 * `wrangler deploy --dry-run`: the Worker bundles (no Node-only module slips in: better-sqlite3, pg, node:*), with the
 * Data Integrity, PDF and OpenID4VCI libraries and the font as a Data module, within Cloudflare's size limit, without
 * reaching Cloudflare. That these parts also RUN in workerd is test/http-targets.test.ts's business.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { offlineWrangler } from "./databases.js";

const out = mkdtempSync(join(tmpdir(), "senim-bundle-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("the Worker bundle", () => {
  it("builds with `wrangler deploy --dry-run`, holds no Node-only module and fits Cloudflare's limits", () => {
    offlineWrangler();
    const root = resolve(import.meta.dirname, "..");
    const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
    const run = spawnSync(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", out], { cwd: root, env: process.env, encoding: "utf8", timeout: 120_000 });
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain("--dry-run: exiting now.");
    expect(run.stdout).toContain("env.DB (senim)");
    const bundle = readFileSync(join(out, "worker.js"), "utf8");
    expect(bundle).toContain("D1 has no interactive transactions");
    for (const nodeOnly of [/from\s*"node:/, /require\("node:/, /better-sqlite3/, /node_modules\/pg\//, /pngjs/, /rdf-canonize-native/]) expect(bundle).not.toMatch(nodeOnly);
    // What the merged features need on Workers is in the bundle, not stubbed out.
    for (const lib of ["@digitalbazaar/vc", "jsonld", "rdf-canonize", "@digitalbazaar/eddsa-rdfc-2022-cryptosuite", "pdf-lib", "@pdf-lib/fontkit", "@openid4vc/openid4vci", "@openid4vc/oauth2"]) {
      expect(bundle, lib).toContain(`node_modules/${lib}/`);
    }
    // No code computes a URL from import.meta.url at load time any more (wrangler.toml [define]): workerd has none.
    expect(bundle).not.toContain("import.meta.url");
    // The certificate fonts travel as their own Data modules, imported by the Worker, not inlined into the script.
    const modules = readdirSync(out).filter((f) => f !== "README.md" && !f.endsWith(".map"));
    for (const name of ["DejaVuSans.ttf", "DejaVuSans-LatinCyrillic.ttf"]) {
      const font = modules.find((f) => f.endsWith(name));
      expect(font, name).toBeDefined();
      expect(bundle).toContain(`from "./${font}"`);
    }
    // Workers' limit is on the whole upload, compressed: 3 MiB on the free plan, 10 MiB paid. The Data Integrity stack
    // (jsonld, rdf-canonize), pdf-lib with fontkit, the OpenID4VC libraries and the fonts (740 + 100 KiB) took it past the earlier
    // 1 MiB mark; stay within the free plan.
    const gzipped = modules.reduce((n, f) => n + gzipSync(readFileSync(join(out, f))).length, 0);
    expect(gzipped).toBeLessThan(3 * 1024 * 1024);
    console.log(`worker.js: ${(bundle.length / 1024).toFixed(0)} KiB; ${modules.length} modules, ${(gzipped / 1024).toFixed(0)} KiB gzipped`);
  });
});
