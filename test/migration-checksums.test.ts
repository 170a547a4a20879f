/**
 * Migrations are frozen once applied (migrations/README.md): a change to a table is a new migration, never an edit of
 * an applied one. migrations/checksums.json holds the SHA-256 of every migration file's exact bytes (nothing is
 * normalised, so a changed line ending counts as a change); this test fails when a listed file changes or disappears,
 * when a migration file is not listed, when a migration imports anything but kysely (the checksum would not cover
 * what it imports), and when the listed migrations and migrations/index.ts disagree.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { migrations } from "../migrations/index.js";

const DIR = resolve(import.meta.dirname, "..", "migrations");
const MIGRATION_FILE = /^\d{4}_.+\.ts$/;
const listed: Record<string, string> = JSON.parse(readFileSync(resolve(DIR, "checksums.json"), "utf8"));
const present = readdirSync(DIR).filter((f) => MIGRATION_FILE.test(f)).sort();
const sha256 = (file: string): string => createHash("sha256").update(readFileSync(resolve(DIR, file))).digest("hex");

describe("applied migrations are frozen (migrations/checksums.json)", () => {
  it("checksums.json lists migration files only, each with a SHA-256", () => {
    for (const [file, hash] of Object.entries(listed)) {
      expect(file, "checksums.json lists migration files (NNNN_name.ts), not index.ts or anything else").toMatch(MIGRATION_FILE);
      expect(hash, `${file}: the checksum is 64 lowercase hex digits`).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("no applied migration has changed or disappeared", () => {
    const problems: string[] = [];
    for (const [file, hash] of Object.entries(listed)) {
      if (!existsSync(resolve(DIR, file))) {
        problems.push(`migrations/${file} has disappeared. An applied migration is never removed or renamed: databases have recorded it.`);
        continue;
      }
      const actual = sha256(file);
      if (actual !== hash)
        problems.push(
          `migrations/${file} has changed (SHA-256 ${actual}, frozen as ${hash}). An applied migration is never edited, ` +
            `not even its line endings or comments: undo the edit and put the change in a new migration. ` +
            `Do not update checksums.json to match.`,
        );
    }
    expect(problems.length, "\n" + problems.join("\n") + "\n").toBe(0);
  });

  it("every migration file is listed in checksums.json", () => {
    const highest = Object.keys(listed).sort().at(-1) ?? "";
    const problems = present
      .filter((f) => !(f in listed))
      .map(
        (f) =>
          `migrations/${f} is not in migrations/checksums.json. When you add a new migration, add it to checksums.json: ` +
          `"${f}": "${sha256(f)}". A new migration is added, never an edited one` +
          (f < highest ? `; and a new one takes the next number after ${highest}, so that it sorts after every applied migration.` : "."),
      );
    expect(problems.length, "\n" + problems.join("\n") + "\n").toBe(0);
  });

  it("migration files import nothing but kysely, so their checksum covers everything they do", () => {
    for (const f of present) {
      const from = [...readFileSync(resolve(DIR, f), "utf8").matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]);
      expect({ file: f, imports: from.filter((x) => x !== "kysely") }, `migrations/${f} imports application code`).toEqual({ file: f, imports: [] });
    }
  });

  it("migrations/index.ts registers exactly the listed migrations", () => {
    const names = (files: string[]) => files.map((f) => f.replace(/\.ts$/, "")).sort();
    expect(Object.keys(migrations).sort(), "migrations/index.ts and checksums.json must name the same migrations").toEqual(names(Object.keys(listed)));
  });
});
