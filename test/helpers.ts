/**
 * A real Senim for tests: the Hono app over a real SQLite file (better-sqlite3) in a temporary folder, real keys,
 * real signatures. Only the clock is controlled, so tests can move through accreditation and key histories.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
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
import { loadNodeFonts } from "../src/runtime/fonts.js";
import { openTestDatabase, type DatabaseKind } from "./databases.js";
import { transactionalAtomic, type StoreDb } from "../src/storage/atomic.js";

export const PUBLIC_URL = "https://senim.test";

/** A clock tests can set and move; `null` follows the system clock (benchmarks). */
export class TestClock {
  constructor(private fixed: number | null) {}
  get ms(): number {
    return this.fixed ?? Date.now();
  }
  now = (): string => toInstant(this.ms);
  set(iso: string): void {
    this.fixed = Date.parse(iso);
  }
  advance(ms: number): void {
    this.fixed = this.ms + ms;
  }
}

export interface TestSenim extends HttpTarget {
  app: ReturnType<typeof createApp>;
  services: Services;
  clock: TestClock;
  adminToken: string;
  dir: string;
  /** The real database, for operator-level changes (triggers, key windows) that no API offers. */
  db: ReturnType<typeof openSqlite>;
  /** What the app logged as unexpected (500) errors. */
  loggedErrors: unknown[];
  /** The database with the same `atomic` seam the services use (D1: its batch), for stores a test makes beside them. */
  storeDb: StoreDb & { queries?(): number };
  /** JSON request helper: returns status, parsed body and headers. */
  call(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string }): Promise<{ status: number; body: any; headers: Headers; text: string }>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** The clock's fixed start (default 2026-06-01T09:00:00Z), or "system" to follow the real time. */
  now?: string | "system";
  /** A SQLite file to use (kept on close); by default a fresh one in a temporary folder that close removes. */
  dbFile?: string;
  publicUrl?: string;
  /** Run over PostgreSQL or D1 (in workerd) instead of a SQLite file (`dbFile` is then ignored). */
  database?: DatabaseKind;
  /** Issue 18: issue at most this many participants per call, as a Worker without its queue does. */
  issuingChunk?: number;
}

/**
 * What HTTP scenarios need from a running Senim, wherever it runs: in this process (`startSenim`), or a Worker in
 * workerd reached over real HTTP (test/worker-target.ts).
 */
export interface HttpTarget {
  baseUrl: string;
  adminToken: string;
  clock: { readonly ms: number; now(): string };
  /** A raw request to a path under `baseUrl`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  call: TestSenim["call"];
}

/** `call` over a target's `fetch`: the JSON request helper every target shares. */
export function httpCaller(fetcher: (path: string, init: RequestInit) => Promise<Response>): TestSenim["call"] {
  return async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined = o.raw;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetcher(path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, headers: res.headers, text };
  };
}

export async function startSenim(options: StartOptions = {}): Promise<TestSenim> {
  const dir = options.dbFile ? join(options.dbFile, "..") : mkdtempSync(join(tmpdir(), "senim-test-"));
  const other = options.database && options.database !== "sqlite" ? await openTestDatabase(options.database) : undefined;
  const db = other?.db ?? openSqlite(options.dbFile ?? join(dir, "senim.db"));
  if (!other) await migrateToLatest(db);
  const publicUrl = options.publicUrl ?? PUBLIC_URL;
  const clock = new TestClock(options.now === "system" ? null : Date.parse(options.now ?? "2026-06-01T09:00:00Z"));
  const adminToken = newToken();
  const services = createServices({
    db,
    ...(other ? { atomic: other.atomic, maxParameters: other.maxParameters } : {}),
    keyring: await Keyring.fromSecret(Keyring.newSecret()),
    publicUrl,
    adminTokenHash: await sha256Hex(adminToken),
    clock: { now: clock.now },
    ...(options.issuingChunk ? { issuingContinuation: { chunk: options.issuingChunk } } : {}),
  });
  const loggedErrors: unknown[] = [];
  const app = createApp(services, { logError: (e) => loggedErrors.push(e), loadFonts: loadNodeFonts });
  const fetch = async (path: string, init?: RequestInit) => app.request(publicUrl + path, init);
  const call = httpCaller(fetch);
  return {
    baseUrl: publicUrl,
    app,
    services,
    clock,
    adminToken,
    dir,
    db,
    loggedErrors,
    storeDb: other ?? { db, atomic: transactionalAtomic(db), maxParameters: 32_766 },
    fetch,
    call,
    close: async () => {
      if (other) await other.close();
      else await db.destroy();
      if (!options.dbFile) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A provider registered by `barId`, accredited by it from 2026-01-01 (scope optional), with a provider API key. */
export async function accreditedProvider(
  s: HttpTarget,
  o: { barId?: string; kind?: "centre" | "organisation" | "trainer"; programmes?: string[]; forms?: string[]; validFrom?: string; validUntil?: string; name?: string } = {},
) {
  const barId = o.barId ?? "almaty-city";
  const party = await s.call("POST", "/api/parties", { token: s.adminToken, body: { kind: o.kind ?? "centre", name: o.name ?? "Біліктілікті арттыру орталығы", barId } });
  if (party.status !== 201) throw new Error(`party: ${party.status} ${party.text}`);
  const accreditation = await s.call("POST", `/api/parties/${party.body.id}/accreditations`, {
    token: s.adminToken,
    body: {
      barId,
      decisionNumber: "7-П",
      decisionDate: o.validFrom ?? "2026-01-01",
      // 9.1(1): the licence is an educational organisation's criterion; a trainer is accredited on experience.
      criteria: [o.kind === "trainer" ? { criterion: "advocacy-5-years", evidence: "Advocate since 2015" } : { criterion: "education-licence", evidence: "Licence No. KZ-EDU-001" }],
      validFrom: o.validFrom ?? "2026-01-01",
      ...(o.validUntil ? { validUntil: o.validUntil } : {}),
      ...(o.programmes ? { programmes: o.programmes } : {}),
      ...(o.forms ? { forms: o.forms } : {}),
    },
  });
  if (accreditation.status !== 201) throw new Error(`accreditation: ${accreditation.status} ${accreditation.text}`);
  const key = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "provider", partyId: party.body.id, label: "test" } });
  return { party: party.body, accreditation: accreditation.body, token: key.body.token as string };
}

export function participants(n: number, barId = "almaty-city") {
  return Array.from({ length: n }, (_, i) => ({
    fullName: `Қатысушы ${i + 1}`,
    licenceNumber: String(100000 + i),
    barId,
    role: i === 0 ? "teacher" : "attendee",
    email: `p${i}@example.kz`,
  }));
}

/** An event that ended the day before the clock, with `n` participants. */
export async function eventWithParticipants(
  s: HttpTarget,
  token: string,
  o: { n?: number; programme?: string; form?: string; durationMinutes?: number; certificatesValidUntil?: string } = {},
) {
  const end = s.clock.ms - 86_400_000;
  const ev = await s.call("POST", "/api/events", {
    token,
    body: {
      topic: "Қылмыстық процестегі дәлелдемелер",
      programme: o.programme ?? "criminal",
      form: o.form ?? "course",
      deliveryMode: "in-person",
      place: "Алматы",
      startsAt: toInstant(end - 8 * 3_600_000),
      endsAt: toInstant(end),
      durationMinutes: o.durationMinutes ?? 360,
      trainers: [{ name: "Сейтқали Ә.", field: "Қылмыстық процесс, 15 жыл адвокаттық практика" }], // 12.3, 11.1
      ...(o.certificatesValidUntil ? { certificatesValidUntil: o.certificatesValidUntil } : {}),
    },
  });
  if (ev.status !== 201) throw new Error(`event: ${ev.status} ${ev.text}`);
  const put = await s.call("PUT", `/api/events/${ev.body.id}/participants`, { token, body: { participants: participants(o.n ?? 3) } });
  if (put.status !== 200) throw new Error(`participants: ${put.status} ${put.text}`);
  return ev.body;
}

/** An accredited provider and an event with `n` certificates issued. */
export async function issued(s: HttpTarget, n = 3) {
  const provider = await accreditedProvider(s);
  const event = await eventWithParticipants(s, provider.token, { n });
  const res = await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token });
  if (res.status !== 201) throw new Error(`issue: ${res.status} ${res.text}`);
  // `survey`: the participant's own survey link (7.5), in the response that first lists the certificate.
  return { provider, event, certificates: res.body.certificates as { id: string; url: string; survey: string | null; participantPdf: string | null }[] };
}

/** A TCP port on 127.0.0.1 that was free a moment ago, for a server a test starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * POSTs a 320 KiB chunked (no Content-Length) JSON body to `/api/verify`, over its 256 KiB limit. The server answers
 * 413 as soon as the limit is passed and may close the connection while the client is still writing; on a loaded
 * machine the client then sees the reset (ECONNRESET) or a failed write (EPIPE) instead of the answer. That is a
 * transport race, not a wrong answer, so it is tried again, and the 413 itself must be seen.
 */
export async function postOversizedChunkedBody(fetcher: (path: string, init: RequestInit) => Promise<Response>): Promise<Response> {
  const transportRace = new Set(["ECONNRESET", "EPIPE"]);
  for (let attempt = 0; attempt < 5; attempt++) {
    const body = new ReadableStream({ start(c) { for (let i = 0; i < 40; i++) c.enqueue(new TextEncoder().encode("x".repeat(8 * 1024))); c.close(); } });
    const init = { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" } as RequestInit;
    const res = await fetcher("/api/verify", init).catch((e: unknown) => {
      const code = (e as { cause?: { code?: string } }).cause?.code;
      if (code && transportRace.has(code)) return undefined;
      throw e;
    });
    if (res) return res;
  }
  throw new Error("five transport resets in a row: the server never let its 413 be read");
}

/** A members CSV of `n` valid rows (licences from `first`), as a bar's registry office would upload it. */
export function membersCsv(n: number, first = 200_000): string {
  const rows = ["licence;name;admission date;email"];
  for (let i = 0; i < n; i++) rows.push(`${first + i};Әлия Сейтқалиқызы ${i};2015-03-0${1 + (i % 9)};a${i}@example.kz`);
  return rows.join("\n");
}
