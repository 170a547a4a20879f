/**
 * Dependencies are ours: what src/ patches is pinned to the release it was written for, and every runtime dependency
 * is one the service uses (a library only the tests use is a devDependency).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PATCHED_JSONLD_VERSION, speedupFitsJsonLd } from "../src/credentials/jsonld-speedup.js";

const ROOT = resolve(import.meta.dirname, "..");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> };

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : /\.(ts|tsx|js|mjs)$/.test(d.name) ? [join(dir, d.name)] : []));

describe("dependencies", () => {
  it("jsonld, whose internals the speed-up patches, is a direct dependency pinned to the patched release", () => {
    expect(manifest.dependencies.jsonld).toBe(PATCHED_JSONLD_VERSION);
    const installed = JSON.parse(readFileSync(join(ROOT, "node_modules/jsonld/package.json"), "utf8")).version;
    expect(installed).toBe(PATCHED_JSONLD_VERSION);
  });

  it("the speed-up stays off, with one warning, on any other jsonld release", () => {
    const warnings: string[] = [];
    expect(speedupFitsJsonLd("9.0.1", (m) => warnings.push(m))).toBe(false);
    expect(speedupFitsJsonLd("8.3.3", (m) => warnings.push(m))).toBe(false);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("9.0.1");
    expect(speedupFitsJsonLd(PATCHED_JSONLD_VERSION, (m) => warnings.push(m))).toBe(true);
    expect(warnings).toHaveLength(2);
  });

  it("every runtime dependency is imported by the service or run by one of its scripts", () => {
    const source = [...filesUnder(join(ROOT, "src")), ...filesUnder(join(ROOT, "migrations"))].map((f) => readFileSync(f, "utf8")).join("\n");
    const scripts = Object.values(manifest.scripts).join("\n");
    const unused = Object.keys(manifest.dependencies).filter((name) => {
      const imported = new RegExp(`from "${name.replace(/[/.]/g, "\\$&")}(/[^"]*)?"|import\\("${name.replace(/[/.]/g, "\\$&")}`).test(source);
      return !imported && !new RegExp(`(^|\\s)${name}\\s`).test(scripts);
    });
    expect(unused).toEqual([]);
  });

  it("libraries only the tests use are devDependencies", () => {
    for (const name of ["@openid4vc/openid4vp", "@sphereon/oid4vci-client", "vitest", "playwright-core", "miniflare", "wrangler"]) {
      expect(manifest.dependencies[name], name).toBeUndefined();
    }
  });
});
