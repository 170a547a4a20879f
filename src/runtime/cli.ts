/**
 * Operator commands:
 *   npm run migrate   apply pending migrations to the SQLite database under DATA_DIR
 *   npm run demo      against a running service: register and accredit a provider, issue certificates, print a URL
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { migrateToLatest } from "../storage/migrate.js";
import { dataDirFrom, loadConfig } from "./config.js";
import { openSqlite, sqliteFile } from "./sqlite.js";

const command = process.argv[2];

async function migrate(): Promise<void> {
  const db = openSqlite(sqliteFile(dataDirFrom()));
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Already up to date.");
  await db.destroy();
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

const commands: Record<string, () => Promise<void>> = { migrate, demo };
const run = command ? commands[command] : undefined;
if (!run) {
  console.error(`Usage: tsx src/runtime/cli.ts <${Object.keys(commands).join("|")}>`);
  process.exit(2);
}
run().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
