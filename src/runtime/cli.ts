/**
 * Operator commands:
 *   npm run migrate   apply pending migrations to the database (DATABASE_URL, else the SQLite file under DATA_DIR)
 *   npm run d1:migrations   write the migrations as SQL files for `wrangler d1 migrations apply` (.wrangler/d1-migrations)
 *   npm run dev:worker      (first step) D1 migration files and .dev.vars with the development secrets of keys/
 *   npm run import -- members <barId> <file.csv> | participants <eventId> <file.csv>   (see import.ts)
 *   npm run demo      against a running service: register and accredit a provider, issue certificates, print a URL
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { migrateToLatest } from "../storage/migrate.js";
import { databaseUrlFrom, dataDirFrom, loadConfig } from "./config.js";
import { openDatabase } from "./database.js";
import { importCommand } from "./import.js";
import { migrationsAsSql, sqlFile } from "./d1-migrations.js";

const command = process.argv[2];

async function migrate(): Promise<void> {
  const database = openDatabase({ databaseUrl: databaseUrlFrom(), dataDir: dataDirFrom() });
  try {
    const applied = await migrateToLatest(database.db);
    console.log(applied.length ? `Applied to ${database.description}: ${applied.join(", ")}` : `${database.description}: already up to date.`);
  } finally {
    await database.close();
  }
}

async function d1Migrations(): Promise<void> {
  // Where wrangler.toml's `migrations_dir` points; generated, never hand-edited, so it cannot drift from migrations/.
  const dir = resolve(process.argv[3] ?? ".wrangler/d1-migrations");
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.endsWith(".sql")) rmSync(join(dir, f));
  const all = await migrationsAsSql();
  for (const m of all) writeFileSync(join(dir, `${m.name}.sql`), sqlFile(m));
  console.log(`Wrote ${all.length} D1 migration file(s) to ${dir}`);
}

async function workerDev(): Promise<void> {
  await d1Migrations();
  // The same development secrets as `npm start`, handed to `wrangler dev` through .dev.vars (git-ignored).
  const config = await loadConfig({ ...process.env, PORT: process.env.PORT ?? "8787" });
  const adminToken = readFileSync(join(config.keysDir, "admin-token"), "utf8").trim();
  writeFileSync(".dev.vars", `SENIM_KEK=${config.kek}\nSENIM_ADMIN_TOKEN=${adminToken}\n`, { mode: 0o600 });
  console.log(`Development admin token (rba-admin) for the Worker: see ${config.keysDir}/admin-token`);
}

async function demo(): Promise<void> {
  const config = await loadConfig();
  const base = config.publicUrl;
  const adminToken = process.env.SENIM_ADMIN_TOKEN ?? readFileSync(join(config.keysDir, "admin-token"), "utf8").trim();
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as Record<string, any>;
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${json.detail ?? JSON.stringify(json)}`);
    return json;
  };
  try {
    await fetch(`${base}/healthz`);
  } catch {
    throw new Error(`No service at ${base}: start it first with \`npm start\` (in another terminal).`);
  }

  console.log("1. The Almaty City bar registers its training centre (3.1) …");
  const party = await call("POST", "/api/parties", adminToken, { kind: "centre", name: "Алматы қалалық адвокаттар алқасының біліктілікті арттыру орталығы", barId: "almaty-city" });
  console.log(`   ${party.name}\n   DID: ${party.did}`);

  console.log("2. … its presidium accredits it (9.1) …");
  await call("POST", `/api/parties/${party.id}/accreditations`, adminToken, {
    barId: "almaty-city", decisionNumber: "12-П", decisionDate: "2026-01-15",
    criteria: [{ criterion: "education-licence", evidence: "Licence for educational activity in law No. KZ00LAA00000000" }],
    validFrom: "2026-01-15",
  });

  console.log("3. … and gives it a provider API key.");
  const key = await call("POST", "/api/api-keys", adminToken, { role: "provider", partyId: party.id, label: "demo" });

  console.log("4. The centre records a seminar that ended yesterday and its participant list (12.3) …");
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const event = await call("POST", "/api/events", key.token, {
    topic: "Адвокаттық әдеп және кәсіби этика", programme: "topical", form: "seminar", deliveryMode: "in-person",
    place: "Алматы, Абай даңғылы 1", startsAt: `${yesterday}T10:00:00+05:00`, endsAt: `${yesterday}T16:00:00+05:00`,
    durationMinutes: 270, trainers: [{ name: "Айгүл Сейтқалиева" }],
  });
  await call("PUT", `/api/events/${event.id}/participants`, key.token, {
    participants: [
      { fullName: "Ерлан Жұмабаев", licenceNumber: "0001234", barId: "almaty-city", role: "attendee", email: "erlan@example.kz" },
      { fullName: "Мария Ким", licenceNumber: "0005678", barId: "almaty-city", role: "attendee" },
      { fullName: "Айгүл Сейтқалиева", licenceNumber: "0009012", barId: "almaty-city", role: "teacher" },
    ],
  });

  console.log("5. … and issues every participant a signed certificate (7.5).");
  const issued = await call("POST", `/api/events/${event.id}/certificates`, key.token);
  console.log(`   ${issued.issued} certificates, ${(270 / 45).toFixed(1)} academic hours each.\n`);
  const first = issued.certificates[0];
  console.log(`Open the first certificate (or scan its QR code):\n\n  ${first.url}\n  ${first.url}/qr.png\n`);
}

const commands: Record<string, () => Promise<void>> = { migrate, demo, "d1-migrations": d1Migrations, "worker-dev": workerDev, import: () => importCommand(process.argv.slice(3)) };
const run = command ? commands[command] : undefined;
if (!run) {
  console.error(`Usage: tsx src/runtime/cli.ts <${Object.keys(commands).join("|")}>`);
  process.exit(2);
}
run().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
