/**
 * A fresh clone passes its tests (issue 11): no source, test, bench or tool file may reach outside the repository.
 * Test vectors once came from a folder beside the checkout, which a clone lacks; they now live in test/vectors.
 *
 * Every .ts .tsx .js .mjs .cjs .json .sh file under test/, bench/, src/ and tools/ (test/vectors holds data and is
 * skipped) is scanned line by line for
 * - the old vector location (a shared folder beside the repository),
 * - an absolute path into this machine's checkout area or a home directory (or the repository's own absolute path),
 * - a quoted string starting with `../` (also the static head of a template literal) that, resolved against the
 *   file's own folder, ends up above the repository root: the form resolve/join/readFileSync/new URL(…,
 *   import.meta.url)/import take,
 * - resolve/join(import.meta.dirname | __dirname, "…", "…") whose literal segments together climb out,
 * - a shell `$(dirname "$0")/…` that climbs out.
 * The patterns are built from pieces so that this file does not match them itself.
 *
 * A line that must hold such a string for another reason (hostile input, say) ends with the comment
 * `repository-paths: allowed` and says why.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const SCANNED = ["test", "bench", "src", "tools"];
const SKIPPED = new Set([join("test", "vectors"), join("bench", "results")]); // vector data; bench output is ignored by git
const EXTENSIONS = /\.(ts|tsx|js|mjs|cjs|json|sh)$/;
const ALLOWED = "repository-paths: " + "allowed";

const up = "..";
const FORBIDDEN_TEXT: { text: string; why: string }[] = [
  { text: [up, "shared"].join("/"), why: "the shared folder beside the repository" },
  { text: ["shared", "vectors"].join("/"), why: "the shared vector folder (use test/vectors)" },
];
/** Absolute paths that only exist on some machine: the checkout area, home directories, this checkout itself. */
const ABSOLUTE = new RegExp(`(?<![\\w.:/-])(?:file://)?/(?:${["work", "home", "Users"].join("|")})/[^\\s"'\`)]*`, "g");
/** A quoted string (or the static start of a template literal) that begins with ../ or ./../ */
const RELATIVE = /(["'`])((?:\.\/)?\.\.\/[^"'`\n$]*)/g;
/** resolve(import.meta.dirname, "..", "x") and the like: only literal segments after the folder. */
const SEGMENTS = /\b(?:resolve|join)\(\s*(?:import\.meta\.dirname|__dirname)\s*((?:,\s*(["'`])[^"'`$\n]*\2\s*)+)\)/g;
const SHELL_DIR = /\$\(dirname\s+"?\$(?:0|\{BASH_SOURCE\[0\]\})"?\)\/([^"'\s);]*)/g;

interface Finding {
  file: string;
  line: number;
  path: string;
  why: string;
}

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    if (SKIPPED.has(rel)) return;
    for (const entry of readdirSync(join(ROOT, rel), { withFileTypes: true })) {
      const child = join(rel, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(child);
      } else if (entry.isFile() && EXTENSIONS.test(entry.name)) out.push(child);
    }
  };
  for (const top of SCANNED) {
    try {
      walk(top);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
  return out.sort();
}

/** Whether `path`, resolved from `fromDir`, lies outside the repository. */
const leaves = (fromDir: string, path: string): boolean => {
  const r = relative(ROOT, resolve(fromDir, path));
  return r === ".." || r.startsWith(".." + sep) || isAbsolute(r);
};

/** Everything in one file's text that points outside the repository. */
function findOutsidePaths(file: string, text: string): Finding[] {
  const dir = dirname(join(ROOT, file));
  const found: Finding[] = [];
  text.split("\n").forEach((content, i) => {
    if (content.includes(ALLOWED)) return;
    const add = (path: string, why: string) => found.push({ file, line: i + 1, path, why });
    for (const { text: t, why } of FORBIDDEN_TEXT) if (content.includes(t)) add(t, why);
    for (const m of content.matchAll(ABSOLUTE)) add(m[0], "an absolute path on one machine");
    if (content.includes(ROOT + "/")) add(ROOT, "the repository's own absolute path");
    for (const m of content.matchAll(RELATIVE)) if (leaves(dir, m[2]!)) add(m[2]!, `climbs above the repository root from ${relative(ROOT, dir)}/`);
    for (const m of content.matchAll(SEGMENTS)) {
      const segments = [...m[1]!.matchAll(/(["'`])([^"'`$\n]*)\1/g)].map((s) => s[2]!);
      if (leaves(dir, join(...segments))) add(segments.join(", "), `resolve/join segments climb above the repository root from ${relative(ROOT, dir)}/`);
    }
    if (file.endsWith(".sh")) for (const m of content.matchAll(SHELL_DIR)) if (leaves(dir, m[1]!)) add(m[0], "climbs above the repository root from the script's folder");
  });
  return found;
}

describe("no file reaches outside the repository (a fresh clone has only the repository)", () => {
  it("test/, bench/, src/ and tools/ name no path outside the repository", () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(50);
    const findings = files.flatMap((f) => findOutsidePaths(f, readFileSync(join(ROOT, f), "utf8")));
    const report = findings.map((f) => `${f.file}:${f.line}: ${JSON.stringify(f.path)} (${f.why})`).join("\n");
    expect(findings.length, `paths outside the repository: copy what is needed into the repository (test data into test/vectors) and refer to it from there\n${report}\n`).toBe(0);
  });

  it("the scanner catches each kind of escape, and leaves paths inside the repository alone", () => {
    const bad = [
      `const V = resolve(import.meta.dirname, "${up}/${up}/shared/${"vectors"}");`,
      `readFileSync(resolve(import.meta.dirname, '${up}/${up}/elsewhere/x.json'));`,
      "const u = new URL(`" + `${up}/${up}/${up}/x/` + "${name}`, import.meta.url);",
      `const d = resolve(import.meta.dirname, "${up}", "${up}", "shared");`,
      `const a = "/${"work"}/shared/${"vectors"}/ob3/keypair.json";`,
      `const h = "file:///${"home"}/someone/x.json";`,
    ];
    const found = findOutsidePaths(join("test", "example.test.ts"), bad.join("\n"));
    expect(new Set(found.map((f) => f.line))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(findOutsidePaths(join("tools", "x.sh"), `cd "$(dirname "$0")/${up}/${up}"`)).toHaveLength(1);

    const fine = [
      `import { qrPng } from "${up}/${up}/src/http/qr.js";`, // from test/browser/
      `const d = resolve(import.meta.dirname, "${up}", "migrations");`,
      "new URL(`" + `${up}/${up}/assets/fonts/` + "${name}`, import.meta.url);",
      `const p = \`\${PUBLIC_URL}/c/${up}/${up}/etc/passwd\`;`,
      `const t = "https://example.org/${"work"}/x";`,
      `const allowed = "${up}/${up}/${up}/${up}/etc/passwd"; // ${ALLOWED}: hostile input`,
    ];
    expect(findOutsidePaths(join("test", "browser", "example.test.ts"), fine.join("\n"))).toEqual([]);
    expect(findOutsidePaths(join("tools", "x.sh"), `cd "$(dirname "$0")/${up}"`)).toEqual([]);
  });
});
