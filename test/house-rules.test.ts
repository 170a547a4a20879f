/**
 * The house rules of src/, read from the code itself with the TypeScript parser (comments are not code, so a comment
 * that explains why D1 needs a batch breaks no rule):
 * - src/domain holds pure rules: it imports nothing outside src/domain;
 * - only src/runtime touches the platform: `node:*` modules, `process.env`, database drivers and dialect names;
 *   kysely itself is also allowed in src/storage, which builds queries but never knows which database runs them;
 * - storage row types (`*Row` of src/storage/schema.ts) stay in src/storage;
 * - no two folders of src/ import each other, directly or round a longer circle.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const SRC = join(ROOT, "src");

export interface Violation {
  file: string;
  line: number;
  rule: string;
  text: string;
}

interface SourceFacts {
  file: string; // relative to the repository root, with forward slashes
  imports: { specifier: string; names: string[]; line: number }[];
  processEnv: number[];
  identifiers: { name: string; line: number }[];
  strings: { value: string; line: number }[];
}

const DRIVERS = ["better-sqlite3", "pg", "kysely-d1", "@cloudflare/d1", "postgres", "mysql2"];
/** Names of a database dialect or driver class, in identifiers or string literals of code. */
const DIALECT_NAME = /sqlite|postgres|(^|[^a-z])d1([^a-z0-9]|$)|mysql/i;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(d.name) && !d.name.endsWith(".d.ts") ? [path] : [];
  });
}

export function readFacts(path: string, text = readFileSync(path, "utf8")): SourceFacts {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const lineOf = (n: ts.Node) => source.getLineAndCharacterOfPosition(n.getStart(source)).line + 1;
  const facts: SourceFacts = { file: relative(ROOT, path).split(sep).join("/"), imports: [], processEnv: [], identifiers: [], strings: [] };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const names: string[] = [];
      const clause = ts.isImportDeclaration(node) ? node.importClause : undefined;
      if (clause?.name) names.push(clause.name.text);
      const bindings = ts.isImportDeclaration(node) ? clause?.namedBindings : node.exportClause;
      if (bindings && (ts.isNamedImports(bindings) || ts.isNamedExports(bindings))) for (const el of bindings.elements) names.push((el.propertyName ?? el.name).text);
      facts.imports.push({ specifier: node.moduleSpecifier.text, names, line: lineOf(node) });
      return; // the specifier is not a string of the code's own
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      facts.imports.push({ specifier: node.arguments[0].text, names: [], line: lineOf(node) });
    }
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      facts.imports.push({ specifier: node.argument.literal.text, names: node.qualifier ? [node.qualifier.getText(source)] : [], line: lineOf(node) });
    }
    if (ts.isPropertyAccessExpression(node) && node.name.text === "env" && ts.isIdentifier(node.expression) && node.expression.text === "process") facts.processEnv.push(lineOf(node));
    if (ts.isIdentifier(node)) facts.identifiers.push({ name: node.text, line: lineOf(node) });
    if (ts.isStringLiteralLike(node)) facts.strings.push({ value: node.text, line: lineOf(node) });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return facts;
}

/** The folder of src/ a file belongs to (`domain`, `http`, …), or the file itself for top-level files. */
const folderOf = (file: string) => file.replace(/^src\//, "").split("/")[0]!.replace(/\.tsx?$/, "");

/** The repository-relative file an import resolves to, or undefined for a package. */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  return relative(ROOT, resolve(ROOT, dirname(from), specifier)).split(sep).join("/").replace(/\.js$/, ".ts");
}

const packageOf = (specifier: string) => (specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!);

export function checkHouseRules(all: SourceFacts[]): Violation[] {
  const violations: Violation[] = [];
  const edges = new Map<string, Set<string>>();
  for (const f of all) {
    const folder = folderOf(f.file);
    const inRuntime = folder === "runtime";
    const inStorage = folder === "storage";
    for (const imp of f.imports) {
      const target = resolveImport(f.file, imp.specifier);
      const say = (rule: string) => violations.push({ file: f.file, line: imp.line, rule, text: `import "${imp.specifier}"` });
      if (folder === "domain" && (target === undefined || !target.startsWith("src/domain/"))) say("src/domain imports only src/domain");
      if (target === undefined) {
        const pkg = packageOf(imp.specifier);
        if (!inRuntime && (imp.specifier.startsWith("node:") || DRIVERS.includes(pkg))) say("node:* modules and database drivers only in src/runtime");
        if (!inRuntime && !inStorage && pkg === "kysely") say("kysely only in src/storage and src/runtime");
        continue;
      }
      if (!inStorage && target === "src/storage/schema.ts") {
        for (const name of imp.names) if (/Row$/.test(name)) say(`storage row type ${name} stays in src/storage`);
        if (!inRuntime) say("the storage schema is read only by src/storage and src/runtime");
      }
      if (target.startsWith("src/")) {
        const to = folderOf(target);
        if (to !== folder) (edges.get(folder) ?? edges.set(folder, new Set()).get(folder)!).add(to);
      }
    }
    if (!inRuntime) {
      for (const line of f.processEnv) violations.push({ file: f.file, line, rule: "process.env only in src/runtime", text: "process.env" });
      for (const id of f.identifiers) if (DIALECT_NAME.test(id.name)) violations.push({ file: f.file, line: id.line, rule: "dialect names only in src/runtime", text: id.name });
      for (const s of f.strings) if (DIALECT_NAME.test(s.value) && s.value.length < 200) violations.push({ file: f.file, line: s.line, rule: "dialect names only in src/runtime", text: JSON.stringify(s.value) });
    }
  }
  // Folder cycles: a folder that can reach itself through imports.
  const reach = (from: string, seen = new Set<string>()): Set<string> => {
    for (const to of edges.get(from) ?? []) if (!seen.has(to)) (seen.add(to), reach(to, seen));
    return seen;
  };
  for (const folder of edges.keys()) {
    if (reach(folder).has(folder)) {
      const back = [...(edges.get(folder) ?? [])].filter((to) => reach(to).has(folder));
      violations.push({ file: `src/${folder}`, line: 0, rule: "no two folders import each other", text: `${folder} ↔ ${back.join(", ")}` });
    }
  }
  return violations;
}

const format = (v: Violation) => `${v.file}:${v.line}: ${v.rule} (${v.text})`;

describe("house rules of src/", () => {
  it("hold for every file", () => {
    const facts = sourceFiles(SRC).map((f) => readFacts(f));
    expect(facts.length).toBeGreaterThan(50);
    expect(checkHouseRules(facts).map(format)).toEqual([]);
  });

  // tsx reads tsconfig.json from the working directory: without the pragma, a server started elsewhere compiles JSX
  // for React and every page answers 500 (docs/web.md, Tests).
  it("every .tsx file names hono/jsx as its JSX runtime on its first line", () => {
    const tsx = sourceFiles(SRC).filter((f) => f.endsWith(".tsx"));
    expect(tsx.length).toBeGreaterThan(10);
    expect(tsx.filter((f) => !readFileSync(f, "utf8").startsWith("/** @jsxRuntime automatic @jsxImportSource hono/jsx */")).map((f) => relative(ROOT, f))).toEqual([]);
  });

  // The checker itself, on files that break each rule (so a rule cannot quietly stop biting).
  const bad = (file: string, text: string) => checkHouseRules([readFacts(join(ROOT, file), text)]).map((v) => v.rule);
  it("refuse a domain file that imports outside src/domain", () => {
    expect(bad("src/domain/x.ts", `import { SenimError } from "../http/problem.js";`)).toContain("src/domain imports only src/domain");
    expect(bad("src/domain/x.ts", `import { z } from "zod";`)).toContain("src/domain imports only src/domain");
  });
  it("refuse the platform outside src/runtime", () => {
    expect(bad("src/http/x.ts", `import { readFileSync } from "node:fs";`)).toContain("node:* modules and database drivers only in src/runtime");
    expect(bad("src/storage/x.ts", `import pg from "pg";`)).toContain("node:* modules and database drivers only in src/runtime");
    expect(bad("src/http/x.ts", `const port = process.env.PORT;`)).toContain("process.env only in src/runtime");
    expect(bad("src/storage/x.ts", `if (e.code === "SQLITE_CONSTRAINT_UNIQUE") throw e;`)).toContain("dialect names only in src/runtime");
    expect(bad("src/issuance/x.ts", `import type { Kysely } from "kysely";`)).toContain("kysely only in src/storage and src/runtime");
    expect(bad("src/storage/x.ts", `// D1 has no interactive transactions\nimport type { Kysely } from "kysely";`)).toEqual([]);
  });
  it("refuse a storage row type outside src/storage", () => {
    expect(bad("src/issuance/x.ts", `import type { EventRow } from "../storage/schema.js";`)).toContain("storage row type EventRow stays in src/storage");
  });
  it("refuse two folders that import each other", () => {
    const a = readFacts(join(ROOT, "src/wallet/a.ts"), `import { KyselyWalletStore } from "../storage/wallet-store.js";`);
    const b = readFacts(join(ROOT, "src/storage/b.ts"), `import type { WalletStore } from "../wallet/model.js";`);
    expect(checkHouseRules([a, b]).map((v) => v.rule)).toContain("no two folders import each other");
  });
});
