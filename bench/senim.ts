/**
 * The real Senim for benchmarks: the Hono app from `createApp(createServices(...))` over a real SQLite file
 * (better-sqlite3, WAL) in a temporary folder, real keys, real signatures, the system clock.
 *
 * Mirrors test/helpers.ts on purpose rather than importing it, so the bench depends on src/ only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../src/http/app.js";
import type { Services } from "../src/http/context.js";
import { newToken, sha256Hex } from "../src/lib/ids.js";
import { Keyring } from "../src/registry/keyring.js";
import { toInstant } from "../src/domain/time.js";
import { createServices } from "../src/services.js";
import { migrateToLatest } from "../src/storage/migrate.js";
import { openSqlite } from "../src/runtime/sqlite.js";

export const BENCH_PUBLIC_URL = "https://senim.bench";

export interface CallResult {
  status: number;
  body: any;
  text: string;
}

export interface BenchSenim {
  app: ReturnType<typeof createApp>;
  services: Services;
  adminToken: string;
  dbFile: string;
  call(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<CallResult>;
  /** Closes the database; the folder is removed by `removeDir`. */
  close(): Promise<void>;
}

/** A fresh temporary folder for one benchmark's SQLite file. */
export function benchDir(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `senim-bench-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function openBenchSenim(dbFile: string, publicUrl = BENCH_PUBLIC_URL): Promise<BenchSenim> {
  const db = openSqlite(dbFile);
  await migrateToLatest(db);
  const adminToken = newToken();
  const services = createServices({
    db,
    keyring: await Keyring.fromSecret(Keyring.newSecret()),
    publicUrl,
    adminTokenHash: await sha256Hex(adminToken),
  });
  const app = createApp(services, { logError: (e) => console.error(e) });
  const call: BenchSenim["call"] = async (method, path, o = {}) => {
    const headers: Record<string, string> = {};
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers["content-type"] = "application/json";
    }
    const res = await app.request(publicUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  };
  return { app, services, adminToken, dbFile, call, close: () => db.destroy() };
}

const DAY_MS = 86_400_000;
const dateOnly = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A centre registered by the Almaty City bar, accredited from ~300 days ago with no end, and a provider API key. */
export async function accreditedProvider(s: BenchSenim): Promise<{ partyId: string; token: string }> {
  const barId = "almaty-city";
  const party = await s.call("POST", "/api/parties", { token: s.adminToken, body: { kind: "centre", name: "Біліктілікті арттыру орталығы", barId } });
  if (party.status !== 201) throw new Error(`party: ${party.status} ${party.text}`);
  const from = dateOnly(Date.now() - 300 * DAY_MS);
  const accreditation = await s.call("POST", `/api/parties/${party.body.id}/accreditations`, {
    token: s.adminToken,
    body: { barId, decisionNumber: "7-П", decisionDate: from, criteria: [{ criterion: "education-licence", evidence: "Licence No. KZ-EDU-001" }], validFrom: from },
  });
  if (accreditation.status !== 201) throw new Error(`accreditation: ${accreditation.status} ${accreditation.text}`);
  const key = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "provider", partyId: party.body.id, label: "bench" } });
  if (key.status !== 201) throw new Error(`api key: ${key.status} ${key.text}`);
  return { partyId: party.body.id, token: key.body.token as string };
}

/** `n` distinct participants of realistic size (Kazakh names, licence numbers, e-mails). */
export function participants(n: number, barId = "almaty-city") {
  return Array.from({ length: n }, (_, i) => ({
    fullName: `Қатысушы Әбдірахманұлы ${i + 1}`,
    licenceNumber: String(100000 + i),
    barId,
    role: i === 0 ? "teacher" : "attendee",
    email: `p${i}@example.kz`,
  }));
}

/** An event that ended yesterday, with `n` participants: everything issuing needs, none of it timed. */
export async function eventWithParticipants(s: BenchSenim, token: string, n: number): Promise<{ id: string }> {
  const end = Date.now() - DAY_MS;
  const ev = await s.call("POST", "/api/events", {
    token,
    body: {
      topic: "Қылмыстық процестегі дәлелдемелер",
      programme: "criminal",
      form: "course",
      deliveryMode: "in-person",
      place: "Алматы",
      startsAt: toInstant(end - 8 * 3_600_000),
      endsAt: toInstant(end),
      durationMinutes: 360,
      trainers: [{ name: "Сейтқали Ә." }],
    },
  });
  if (ev.status !== 201) throw new Error(`event: ${ev.status} ${ev.text}`);
  const put = await s.call("PUT", `/api/events/${ev.body.id}/participants`, { token, body: { participants: participants(n) } });
  if (put.status !== 200) throw new Error(`participants: ${put.status} ${put.text}`);
  return { id: ev.body.id as string };
}
