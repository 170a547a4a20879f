/**
 * Operator commands:
 *   npm run migrate   apply pending migrations to the database (DATABASE_URL, else the SQLite file under DATA_DIR)
 *   npm run d1:migrations   write the migrations as SQL files for `wrangler d1 migrations apply` (.wrangler/d1-migrations)
 *   npm run dev:worker      (first step) D1 migration files and .dev.vars with the development secrets of keys/
 *   npm run import -- members <barId> <file.csv> | participants <eventId> <file.csv>   (see import.ts)
 *   npm run backup -- FILE    copy the live SQLite database under DATA_DIR to FILE, checked (see backup.ts)
 *   npm run restore -- FILE   make the backup FILE the database of DATA_DIR, which must have none
 *   npm run audit:verify      recompute the audit chain and check the latest checkpoint (see audit-verify.ts)
 *   npm run demo      against a running service (BASE, else PUBLIC_URL / PORT as for npm start): register and accredit a
 *                     provider, issue certificates, print a certificate URL and API keys for the provider and bar consoles
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { migrateToLatest } from "../storage/migrate.js";
import { databaseUrlFrom, dataDirFrom, loadConfig } from "./config.js";
import { openDatabase } from "./database.js";
import { importCommand } from "./import.js";
import { migrationsAsSql, sqlFile } from "./d1-migrations.js";
import { backupSqlite, BackupError, restoreSqlite, type CopyReport } from "./backup.js";
import { sqliteFile } from "./sqlite.js";
import { auditVerify } from "./audit-verify.js";

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

/**
 * Where the demo looks for the service: `BASE` (a base URL), else the address `npm start` would listen on with the
 * same environment — `PUBLIC_URL`, else `http://localhost:$PORT` (8787 by default).
 */
function demoBase(env: NodeJS.ProcessEnv = process.env): { base: string; from: string } {
  const plain = (text: string, name: string): string => {
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
      throw new Error(`${name} must be a base URL such as http://localhost:8787, not ${JSON.stringify(text)}.`);
    }
    return text.replace(/\/+$/, "");
  };
  if (env.BASE?.trim()) return { base: plain(env.BASE.trim(), "BASE"), from: "BASE" };
  if (env.PUBLIC_URL?.trim()) return { base: plain(env.PUBLIC_URL.trim(), "PUBLIC_URL"), from: "PUBLIC_URL" };
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error("PORT must be a TCP port number.");
  return { base: `http://localhost:${port}`, from: env.PORT ? "PORT" : "the default port 8787" };
}

async function demo(): Promise<void> {
  const { base, from } = demoBase();
  const hint = "Start the service first with `npm start` (in another terminal), or point the demo at it: BASE=http://host:port npm run demo (or the same PORT / PUBLIC_URL that `npm start` was given).";
  // Is Senim there? Asked before anything else, so a wrong address is the first thing said.
  let health: Response;
  try {
    health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) });
  } catch (err) {
    const reason = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new Error(`No service answers at ${base} (from ${from}; GET ${base}/healthz: ${reason}).\n${hint}`);
  }
  const healthy = health.ok && ((await health.json().catch(() => undefined)) as { ok?: unknown } | undefined)?.ok === true;
  if (!healthy) throw new Error(`Something answers at ${base} (from ${from}), but not Senim: GET /healthz → ${health.status}.\n${hint}`);

  // The development admin token `npm start` created (never a new one: this command creates no secrets).
  const keysDir = resolve(process.env.SENIM_KEYS_DIR ?? "./keys");
  const tokenFile = join(keysDir, "admin-token");
  const adminFrom = process.env.SENIM_ADMIN_TOKEN ? "SENIM_ADMIN_TOKEN" : tokenFile;
  let adminToken = process.env.SENIM_ADMIN_TOKEN?.trim();
  if (!adminToken) {
    try {
      adminToken = readFileSync(tokenFile, "utf8").trim();
    } catch {
      throw new Error(`No admin token: ${tokenFile} does not exist. Set SENIM_KEYS_DIR to the keys directory the service uses, or SENIM_ADMIN_TOKEN.`);
    }
  }

  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, any>;
    if (res.status === 401 && token === adminToken) {
      throw new Error(`${base} refused the admin token from ${adminFrom}: it is not this service's. Set SENIM_KEYS_DIR (or SENIM_ADMIN_TOKEN) to the one the service was started with.`);
    }
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${json.detail ?? JSON.stringify(json)}`);
    return json;
  };

  console.log(`Senim at ${base}\n`);
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
    durationMinutes: 270, trainers: [{ name: "Айгүл Сейтқалиева", field: "Адвокаттық әдеп, 12 жыл адвокаттық практика (11.1)" }],
  });
  await call("PUT", `/api/events/${event.id}/participants`, key.token, {
    participants: [
      { fullName: "Ерлан Жұмабаев", licenceNumber: "0001234", barId: "almaty-city", role: "attendee", email: "erlan@example.kz" },
      { fullName: "Мария Ким", licenceNumber: "0005678", barId: "almaty-city", role: "attendee" },
      // 12.3: present for the first three academic hours only (partial attendance); her certificate states those.
      { fullName: "Дина Омарова", licenceNumber: "0009012", barId: "almaty-city", role: "attendee", attendedMinutes: 135 },
    ],
  });

  console.log("5. … and issues every participant a signed certificate (7.5).");
  const issued = await call("POST", `/api/events/${event.id}/certificates`, key.token);
  console.log(`   ${issued.issued} certificates: ${(270 / 45).toFixed(1)} academic hours for the whole seminar, ${(135 / 45).toFixed(1)} for the participant present part of it.`);

  console.log("6. The Almaty City bar gets a bar-admin API key for its console.\n");
  const barKey = await call("POST", "/api/api-keys", adminToken, { role: "bar-admin", barId: "almaty-city", label: "demo" });

  const first = issued.certificates[0];
  console.log(`Open the first certificate (or scan its QR code):\n\n  ${first.url}\n  ${first.url}/qr.png\n`);
  // The two tokens go to this terminal only, never to a log; the service keeps only their hashes.
  const year = yesterday.slice(0, 4);
  console.log("Open the consoles: sign in with the API key (each is shown here once):\n");
  console.log(`  Provider console (the centre: events, participant lists, issuing, surveys)`);
  console.log(`    sign in       ${base}/console/sign-in`);
  console.log(`    API key       ${key.token}`);
  console.log(`    this seminar  ${base}/console/events/${event.id}`);
  console.log(`  Bar console (Almaty City bar: accreditations, members, policy, compliance, analysis)`);
  console.log(`    sign in       ${base}/console/sign-in`);
  console.log(`    API key       ${barKey.token}`);
  console.log(`    then          ${base}/console/members  ${base}/console/compliance?year=${year}\n`);
  console.log(`Revoke a key at once with POST ${base}/api/api-keys/{id}/revocation (provider key ${key.id}, bar key ${barKey.id}).`);
}

/** The SQLite file `backup` and `restore` work on; PostgreSQL has its own tools (docs/deploy.md). */
function sqliteTarget(verb: string): { file: string; arg: string } {
  const arg = process.argv[3];
  if (!arg) throw new BackupError(`Usage: npm run ${verb} -- FILE`);
  if (databaseUrlFrom()) throw new BackupError(`DATABASE_URL is set: back up and restore PostgreSQL with pg_dump / pg_restore (docs/deploy.md), not npm run ${verb}.`);
  return { file: sqliteFile(dataDirFrom()), arg };
}

const reportCopy = (what: string, r: CopyReport) =>
  console.log(`${what} ${r.file}: ${r.bytes.toLocaleString("en")} bytes, ${r.certificates.toLocaleString("en")} certificates, ${r.migrations} migrations; integrity check ok.`);

async function backup(): Promise<void> {
  const { file, arg } = sqliteTarget("backup");
  reportCopy("Backed up to", backupSqlite(file, arg));
}

async function restore(): Promise<void> {
  const { file, arg } = sqliteTarget("restore");
  reportCopy("Restored as", restoreSqlite(arg, file));
}

const commands: Record<string, () => Promise<void>> = { migrate, demo, backup, restore, "d1-migrations": d1Migrations, "worker-dev": workerDev, "audit-verify": async () => void (await auditVerify()), import: () => importCommand(process.argv.slice(3)) };
const run = command ? commands[command] : undefined;
if (!run) {
  console.error(`Usage: tsx src/runtime/cli.ts <${Object.keys(commands).join("|")}>`);
  process.exit(2);
}
run().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
