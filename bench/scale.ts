/**
 * `npm run bench:scale` (issue 18): does Senim stay flat as the years pile up? Each database is filled through the
 * service layer (`createServices`, every certificate really signed) to N certificates over 2019–2026 and 20 bars; one
 * measured bar-year (2025, 1,000 members, 5,000 certificates, and 2,000 more of the other bars) is the same at every
 * size. Each size is then measured side by side with the 10k database in the same minutes, round by round in turn, and
 * every figure is printed as a ratio to its 10k figure. The SQL each path runs on the largest database is captured
 * through kysely's `log` option and its plan read back (SQLite EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN (ANALYZE,
 * BUFFERS)).
 *
 * Requests go through the real app in this process (`app.request`, response bodies read); verification sends 10 at a
 * time. Seeded databases are cached under bench/results/scale-cache/ (git-ignored), keyed by size, dialect and
 * migration count; a cached one of an older schema is migrated forward (`migrateToLatest`, as production upgrades)
 * rather than seeded again. Each run measures a copy (SQLite: a file copy; PostgreSQL: CREATE DATABASE … TEMPLATE), so
 * what a run issues and revokes never leaks into the next.
 *
 *   SCALE=10k,50k (default) | 10k,100k,1m      SCALE_DB=sqlite,postgres (default both)
 *   SCALE_ROUNDS=3   SCALE_VERIFY_SECONDS=3   SCALE_RESEED=1 (ignore the cache)
 *
 * Writes bench/results/scale.json and bench/results/scale-plans-{dialect}.md. See bench/README.md.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, sql, type LogEvent } from "kysely";
import pg from "pg";
import { migrations } from "../migrations/index.js";
import type { Principal } from "../src/domain/authz.js";
import type { Programme } from "../src/domain/catalog.js";
import { toInstant } from "../src/domain/time.js";
import { createApp } from "../src/http/app.js";
import type { Services } from "../src/http/context.js";
import { newToken, sha256Hex } from "../src/lib/ids.js";
import { Keyring } from "../src/registry/keyring.js";
import { loadNodeFonts } from "../src/runtime/fonts.js";
import { openPostgres, POSTGRES_MAX_PARAMETERS } from "../src/runtime/postgres.js";
import { isSqliteUniqueViolation, SQLITE_MAX_PARAMETERS } from "../src/runtime/sqlite.js";
import { createServices } from "../src/services.js";
import { transactionalAtomic } from "../src/storage/atomic.js";
import { translatingDriverErrors } from "../src/storage/errors.js";
import { migrateToLatest } from "../src/storage/migrate.js";
import type { Database } from "../src/storage/schema.js";
import { POSTGRES_URL } from "../test/databases.js";
import { seededRandom } from "../src/lib/seeded-random.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, "results");
const CACHE = join(RESULTS, "scale-cache");
/** The migrations in the order kysely applies them (by name); the cache is keyed by how many. */
const MIGRATIONS = Object.keys(migrations).sort();
const SCHEMA_VERSION = `m${MIGRATIONS.length}`;
const PUBLIC_URL = "https://senim.test";

const MEASURED_YEAR = 2025;
const MEASURED_MEMBERS = 1_000;
const MEASURED_CERTIFICATES = 5_000;
/** The other 19 bars' certificates in the measured year: fixed too, so the RBA's analysis does the same work at every size. */
const OTHER_BARS_IN_YEAR = 2_000;
const OTHER_BAR_MEMBERS = 100;
const POOL_PER_BAR = 5_000;
const YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2026];
const ROUNDS = Number(process.env.SCALE_ROUNDS ?? 3);
const VERIFY_SECONDS = Number(process.env.SCALE_VERIFY_SECONDS ?? 3);
const VERIFY_CONCURRENCY = 10;

type Dialect = "sqlite" | "postgres";

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`SCALE: cannot read ${JSON.stringify(s)} (e.g. 10k,100k,1m)`);
  return Math.round(Number(m[1]) * (m[2]?.toLowerCase() === "m" ? 1e6 : m[2]?.toLowerCase() === "k" ? 1e3 : 1));
}
const label = (n: number) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}m` : n % 1e3 === 0 ? `${n / 1e3}k` : String(n));


// ---- databases ----------------------------------------------------------------------------------------------------

interface QueryRecord { sql: string; parameters: readonly unknown[]; count: number; totalMs: number; maxMs: number }
/** What kysely ran, by path: the phase being measured names the bucket. */
class QueryLog {
  phase: string | null = null;
  readonly byPhase = new Map<string, Map<string, QueryRecord>>();
  readonly log = (e: LogEvent) => {
    if (!this.phase || e.level !== "query") return;
    const key = normaliseSql(e.query.sql);
    let phase = this.byPhase.get(this.phase);
    if (!phase) this.byPhase.set(this.phase, (phase = new Map()));
    const r = phase.get(key) ?? { sql: e.query.sql, parameters: e.query.parameters, count: 0, totalMs: 0, maxMs: 0 };
    r.count++;
    r.totalMs += e.queryDurationMillis;
    if (e.queryDurationMillis > r.maxMs) Object.assign(r, { maxMs: e.queryDurationMillis, sql: e.query.sql, parameters: e.query.parameters });
    phase.set(key, r);
  };
}
/** One shape per statement: lists of placeholders collapse, so an IN (…) of any length is one query. */
const normaliseSql = (s: string) => s.replace(/\$\d+/g, "?").replace(/\?(\s*,\s*\?)+/g, "?…").replace(/\(\?…\)(\s*,\s*\(\?…\))+/g, "(?…)…");

interface Opened { kind: Dialect; db: Kysely<Database>; close(): Promise<void> }

/** The runtimes' own wiring (src/runtime/sqlite.ts, postgres.ts), with kysely's `log` added to capture the SQL. */
function openSqliteLogged(file: string, log?: QueryLog): Opened {
  const s = new SQLite(file);
  s.pragma("journal_mode = WAL");
  s.pragma("synchronous = NORMAL");
  s.pragma("foreign_keys = ON");
  s.pragma("busy_timeout = 5000");
  // As openSqlite does: the 64 MiB page cache and the planner's statistics at open (its hourly re-run never comes due
  // in a run). Without them the bench measured a SQLite that no server runs.
  s.pragma("cache_size = -65536");
  s.pragma("optimize = 0x10002");
  const db = new Kysely<Database>({ dialect: translatingDriverErrors(new SqliteDialect({ database: s }), isSqliteUniqueViolation), ...(log ? { log: log.log } : {}) });
  return { kind: "sqlite", db, close: () => db.destroy() };
}
function postgresUrl(database: string): string {
  const u = new URL(POSTGRES_URL);
  u.pathname = `/${database}`;
  return u.toString();
}
/** As the server opens it (src/runtime/postgres.ts: its pool, types and session settings), with the query log. */
function openPostgresLogged(database: string, log?: QueryLog): Opened {
  const db = openPostgres(postgresUrl(database), log ? { log: log.log } : {});
  return { kind: "postgres", db, close: () => db.destroy() };
}
async function adminQuery(text: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: POSTGRES_URL });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

// ---- seeding ------------------------------------------------------------------------------------------------------

interface Meta {
  size: number; dialect: Dialect; schema: string; kek: string; adminToken: string;
  measuredBar: string; bars: string[]; providers: { partyId: string; barId: string }[];
  certificates: number; events: number; seconds: number; seededAt: string;
  /** Each time the cached database was migrated forward instead of seeded again. */
  migrated?: { from: string; migrations: string[]; seconds: number; at: string }[];
}

/** A clock the seeding moves through the years; `null` follows the system clock (measurement). */
class BenchClock {
  fixed: number | null = null;
  now = () => toInstant(this.fixed ?? Date.now());
}

async function wire(db: Kysely<Database>, kind: Dialect, meta: Pick<Meta, "kek" | "adminToken">, clock: BenchClock) {
  const services = createServices({
    db,
    atomic: transactionalAtomic(db),
    maxParameters: kind === "sqlite" ? SQLITE_MAX_PARAMETERS : POSTGRES_MAX_PARAMETERS,
    keyring: await Keyring.fromSecret(meta.kek),
    publicUrl: PUBLIC_URL,
    adminTokenHash: await sha256Hex(meta.adminToken),
    clock: { now: clock.now },
    queueDelivery: true,
  });
  const app = createApp(services, { logError: (e) => console.error("unexpected error:", e), loadFonts: loadNodeFonts });
  return { services, app };
}

const licenceOf = (barIndex: number, i: number) => String(100000 + barIndex * 20_000 + i);

interface PlannedEvent { at: number; bar: number; size: number; members: boolean }

/** Every event of a database of `size` certificates, in time order; the measured year's are the same at every size. */
function planEvents(size: number): PlannedEvent[] {
  const fixed = seededRandom(2025);
  const events: PlannedEvent[] = [];
  const day = (year: number, r: () => number) => Date.parse(`${year}-01-10T04:00:00Z`) + Math.floor(r() * (year === 2026 ? 300 : 340)) * 86_400_000;
  let left = MEASURED_CERTIFICATES;
  while (left > 0) {
    const n = Math.min(left, 100 + Math.floor(fixed() * 901));
    events.push({ at: day(MEASURED_YEAR, fixed), bar: 0, size: n, members: true });
    left -= n;
  }
  left = OTHER_BARS_IN_YEAR;
  while (left > 0) {
    const n = Math.min(left, 100 + Math.floor(fixed() * 201));
    events.push({ at: day(MEASURED_YEAR, fixed), bar: 1 + Math.floor(fixed() * 19), size: n, members: false });
    left -= n;
  }
  const rest = seededRandom(size);
  left = size - MEASURED_CERTIFICATES - OTHER_BARS_IN_YEAR;
  if (left < 0) throw new Error(`SCALE: the smallest size is ${MEASURED_CERTIFICATES + OTHER_BARS_IN_YEAR} certificates`);
  while (left > 0) {
    const n = Math.min(left, 100 + Math.floor(rest() * 901));
    events.push({ at: day(YEARS[Math.floor(rest() * YEARS.length)]!, rest), bar: Math.floor(rest() * 20), size: n, members: false });
    left -= n;
  }
  return events.sort((a, b) => a.at - b.at);
}

const TOPICS: Record<Programme, string> = { foundations: "Адвокат кәсібінің негіздері", civil: "Азаматтық процестегі дәлелдемелер", criminal: "Қылмыстық процестегі қорғау", topical: "Электронное правосудие" };

async function seed(db: Kysely<Database>, kind: Dialect, size: number): Promise<Meta> {
  const started = Date.now();
  await migrateToLatest(db);
  const meta = { kek: Keyring.newSecret(), adminToken: newToken() };
  const clock = new BenchClock();
  clock.fixed = Date.parse("2019-01-02T09:00:00Z");
  const { services } = await wire(db, kind, meta, clock);
  const { registry, issuance, compliance, surveys } = services;
  const operator: Principal = { role: "rba-admin", keyId: "bench-scale" };
  const bars = (await registry.bars()).map((b) => b.id).filter((id) => id !== "rba").sort().slice(0, 20);
  if (bars.length < 20) throw new Error(`only ${bars.length} territorial bars`);
  const measuredBar = bars.includes("almaty-city") ? "almaty-city" : bars[0]!;
  bars.splice(bars.indexOf(measuredBar), 1);
  bars.unshift(measuredBar);

  // Members: 1,000 for the measured bar, 100 for each other, through the bar's own CSV import.
  for (let b = 0; b < bars.length; b++) {
    const n = b === 0 ? MEASURED_MEMBERS : OTHER_BAR_MEMBERS;
    const rows = ["licence;name;admission date;email"];
    for (let i = 0; i < n; i++) rows.push(`${licenceOf(b, i)};Адвокат ${licenceOf(b, i)};2015-03-0${1 + (i % 9)};`);
    await compliance.importMembersCsv({ role: "bar-admin", keyId: "bench-scale", barId: bars[b]! }, bars[b]!, rows.join("\n"));
    await compliance.setPolicy({ role: "bar-admin", keyId: "bench-scale", barId: bars[b]! }, bars[b]!, MEASURED_YEAR, { requiredAcademicHours: 40 });
  }
  // Two centres per bar, accredited from 2019 (centres may run every form alone, 5.1.2).
  const providers: { partyId: string; barId: string; principal: Principal }[] = [];
  for (const barId of bars) {
    for (let k = 0; k < 2; k++) {
      const { party } = await registry.createParty(operator, { kind: "centre", name: `Біліктілікті арттыру орталығы ${barId} ${k + 1}`, barId });
      await registry.accredit(operator, party.id, { barId, decisionNumber: `${k + 1}-П`, decisionDate: "2019-01-02", validFrom: "2019-01-02", criteria: [{ criterion: "education-licence", evidence: "bench" }] });
      providers.push({ partyId: party.id, barId, principal: { role: "provider", keyId: "bench-scale", partyId: party.id } });
    }
  }

  const plan = planEvents(size);
  const pick = seededRandom(size + 1);
  let issued = 0;
  let lastLog = Date.now();
  for (let e = 0; e < plan.length; e++) {
    const p = plan[e]!;
    const provider = providers[p.bar * 2 + (e % 2)]!;
    const minutes = [90, 180, 270, 360, 540][e % 5]!;
    clock.fixed = p.at + minutes * 60_000 + 86_400_000;
    const programme = (["civil", "criminal", "topical", "foundations"] as const)[e % 4]!;
    const event = await issuance.createEvent(provider.principal, {
      topic: TOPICS[programme], programme, form: "course", deliveryMode: "in-person", coOrganiserBarId: null, place: "Алматы",
      startsAt: toInstant(p.at), endsAt: toInstant(p.at + minutes * 60_000), durationMinutes: minutes,
      trainers: [{ name: "Сейтқали Ә.", field: "Қылмыстық процесс, 15 жыл адвокаттық практика" }],
    });
    // The measured bar-year: its members; elsewhere the bar's pool, whose first licences are its members.
    const pool = p.members ? MEASURED_MEMBERS : POOL_PER_BAR;
    const chosen = new Set<number>();
    while (chosen.size < p.size) chosen.add(Math.floor(pick() * pool));
    await issuance.setParticipants(provider.principal, event.id, [...chosen].map((i, k) => ({ licenceNumber: licenceOf(p.bar, i), fullName: `Адвокат ${licenceOf(p.bar, i)}`, barId: bars[p.bar]!, role: k === 0 ? "teacher" : "attendee" })));
    const outcome = await issuance.issueCertificates(provider.principal, event.id);
    issued += outcome.issued;
    // 7.5: a few anonymous survey answers per event, so survey aggregates have every year to wade through.
    let answered = 0;
    for (const link of (await surveys.firstLinks(provider.principal, outcome)).values()) {
      if (answered++ >= 3) break;
      await surveys.answer(link.token, { quality: 4, effectiveness: 5, usefulness: 4, comment: null });
    }
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      console.log(`  ${kind} ${label(size)}: ${issued}/${size} certificates (${e + 1}/${plan.length} events), ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  }
  return {
    size, dialect: kind, schema: SCHEMA_VERSION, ...meta, measuredBar, bars, providers: providers.map(({ partyId, barId }) => ({ partyId, barId })),
    certificates: issued, events: plan.length, seconds: (Date.now() - started) / 1000, seededAt: new Date().toISOString(),
  };
}

const cacheKey = (kind: Dialect, size: number, version: string) => `${kind}-${label(size)}-${version}`;
const cachedFile = (kind: Dialect, size: number, version: string) => join(CACHE, `${cacheKey(kind, size, version)}.db`);
const cachedDatabase = (size: number, version: string) => `senim_scale_${label(size)}_${version}`;

/** The migrations a cached database has had (kysely's own table), or null when it is missing. */
async function appliedMigrations(kind: Dialect, size: number, version: string): Promise<string[] | null> {
  if (kind === "sqlite") {
    const file = cachedFile(kind, size, version);
    if (!existsSync(file)) return null;
    const s = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      return (s.prepare("select name from kysely_migration order by name").all() as { name: string }[]).map((r) => r.name);
    } finally {
      s.close();
    }
  }
  const name = cachedDatabase(size, version);
  if ((await adminQuery(`select 1 from pg_database where datname = '${name}'`)).rowCount !== 1) return null;
  const c = new pg.Client({ connectionString: postgresUrl(name) });
  await c.connect();
  try {
    return (await c.query<{ name: string }>("select name from kysely_migration order by name")).rows.map((r) => r.name);
  } finally {
    await c.end();
  }
}

/** What a long-running server's database has by now: the planner's statistics (PostgreSQL: and autovacuum's work). */
async function settle(o: Opened): Promise<void> {
  if (o.kind === "sqlite") {
    await sql`PRAGMA optimize = 0x10002`.execute(o.db);
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(o.db);
  } else {
    await sql`VACUUM ANALYZE`.execute(o.db);
  }
}

/**
 * The cached seeded database of `size` at this schema. Missing, it is made from the newest cached one of an older
 * schema as production upgrades: renamed to this version and migrated forward (`migrateToLatest`), so a new
 * migration costs its own run time, not a reseed (~20 min per dialect at 1M). Seeded again only when no cached one's
 * migrations are a prefix of ours, or with SCALE_RESEED=1.
 */
async function cached(kind: Dialect, size: number): Promise<Meta> {
  mkdirSync(CACHE, { recursive: true });
  const key = cacheKey(kind, size, SCHEMA_VERSION);
  const metaFile = join(CACHE, `${key}.json`);
  if (process.env.SCALE_RESEED !== "1") {
    // The same count of migrations is not the same schema when another tree added a different one: read what it has.
    const applied = existsSync(metaFile) ? await appliedMigrations(kind, size, SCHEMA_VERSION) : null;
    if (applied?.join() === MIGRATIONS.join()) return JSON.parse(readFileSync(metaFile, "utf8")) as Meta;
    const older = await olderCached(kind, size);
    if (older) return migrateForward(kind, size, older);
  }
  console.log(`seeding ${kind} ${label(size)} (cache: ${key}) …`);
  let o: Opened;
  if (kind === "sqlite") {
    const file = cachedFile(kind, size, SCHEMA_VERSION);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    o = openSqliteLogged(file);
  } else {
    const dbName = cachedDatabase(size, SCHEMA_VERSION);
    await adminQuery(`DROP DATABASE IF EXISTS "${dbName}"`);
    await adminQuery(`CREATE DATABASE "${dbName}"`);
    o = openPostgresLogged(dbName);
  }
  let meta: Meta;
  try {
    meta = await seed(o.db, kind, size);
    await settle(o);
  } finally {
    await o.close();
  }
  writeFileSync(metaFile, JSON.stringify(meta, null, 2));
  console.log(`seeded ${kind} ${label(size)}: ${meta.certificates} certificates, ${meta.events} events in ${meta.seconds.toFixed(0)} s`);
  return meta;
}

interface OlderCopy { version: string; meta: Meta; applied: string[] }

/** The cached database of `size` with the most of our migrations applied and no other (a strict prefix of ours). */
async function olderCached(kind: Dialect, size: number): Promise<OlderCopy | null> {
  let best: OlderCopy | null = null;
  for (const f of readdirSync(CACHE)) {
    const version = new RegExp(`^${kind}-${label(size)}-(m\\d+)\\.json$`).exec(f)?.[1];
    if (!version || version === SCHEMA_VERSION) continue;
    const applied = await appliedMigrations(kind, size, version);
    if (!applied || applied.length >= MIGRATIONS.length || applied.some((m, i) => m !== MIGRATIONS[i])) continue;
    if (!best || applied.length > best.applied.length) best = { version, meta: JSON.parse(readFileSync(join(CACHE, f), "utf8")) as Meta, applied };
  }
  return best;
}

/** Moves `older` to this schema's name and applies the migrations it lacks; the seeded data stay as they were. */
async function migrateForward(kind: Dialect, size: number, older: OlderCopy): Promise<Meta> {
  const started = Date.now();
  const pending = MIGRATIONS.slice(older.applied.length);
  console.log(`migrating ${kind} ${label(size)} from ${older.version} to ${SCHEMA_VERSION} (${pending.join(", ")}) …`);
  let o: Opened;
  if (kind === "sqlite") {
    const from = cachedFile(kind, size, older.version);
    const to = cachedFile(kind, size, SCHEMA_VERSION);
    for (const suffix of ["", "-wal", "-shm"]) {
      rmSync(`${to}${suffix}`, { force: true });
      if (existsSync(`${from}${suffix}`)) renameSync(`${from}${suffix}`, `${to}${suffix}`);
    }
    o = openSqliteLogged(to);
  } else {
    const to = cachedDatabase(size, SCHEMA_VERSION);
    await adminQuery(`DROP DATABASE IF EXISTS "${to}"`);
    await adminQuery(`ALTER DATABASE "${cachedDatabase(size, older.version)}" RENAME TO "${to}"`);
    o = openPostgresLogged(to);
  }
  try {
    await migrateToLatest(o.db);
    await settle(o);
  } finally {
    await o.close();
  }
  const seconds = (Date.now() - started) / 1000;
  const meta: Meta = { ...older.meta, schema: SCHEMA_VERSION, migrated: [...(older.meta.migrated ?? []), { from: older.version, migrations: pending, seconds, at: new Date().toISOString() }] };
  writeFileSync(join(CACHE, `${cacheKey(kind, size, SCHEMA_VERSION)}.json`), JSON.stringify(meta, null, 2));
  rmSync(join(CACHE, `${cacheKey(kind, size, older.version)}.json`), { force: true });
  console.log(`migrated ${kind} ${label(size)} in ${seconds.toFixed(0)} s`);
  return meta;
}

/** A throwaway copy of a cached database to measure on. */
async function workingCopy(kind: Dialect, size: number, log: QueryLog): Promise<Opened> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "senim-scale-"));
    const file = join(dir, "senim.db");
    copyFileSync(cachedFile(kind, size, SCHEMA_VERSION), file);
    const o = openSqliteLogged(file, log);
    return { ...o, close: async () => { await o.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const name = `senim_scale_work_${label(size)}_${process.pid}`;
  await adminQuery(`DROP DATABASE IF EXISTS "${name}"`);
  await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${cachedDatabase(size, SCHEMA_VERSION)}"`);
  const o = openPostgresLogged(name, log);
  return { ...o, close: async () => { await o.close(); await adminQuery(`DROP DATABASE IF EXISTS "${name}"`); } };
}

// ---- measuring ----------------------------------------------------------------------------------------------------

interface Target {
  label: string; opened: Opened; meta: Meta; services: Services; app: ReturnType<typeof createApp>; log: QueryLog;
  sample: { id: string; jwt: string; list: string }[]; tokens: Map<string, string>;
}

async function target(kind: Dialect, size: number): Promise<Target> {
  const meta = await cached(kind, size);
  const log = new QueryLog();
  const opened = await workingCopy(kind, size, log);
  const { services, app } = await wire(opened.db, kind, meta, new BenchClock());
  // Certificates drawn from the whole database (untimed).
  const random = kind === "sqlite" ? sql`random()` : sql`random()`;
  const rows = await opened.db
    .selectFrom("certificates as c")
    .innerJoin("certificate_documents as d", "d.certificate_id", "c.id")
    .select(["c.id", "d.jwt", "c.status_list_id"])
    .where("c.revoked_at", "is", null)
    .orderBy(random)
    .limit(2_000)
    .execute();
  return { label: label(size), opened, meta, services, app, log, sample: rows.map((r) => ({ id: r.id, jwt: r.jwt, list: r.status_list_id })), tokens: new Map() };
}

async function request(t: Target, method: string, path: string, o: { token?: string; body?: unknown; expect?: number } = {}): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = {};
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.body !== undefined) headers["content-type"] = "application/json";
  const res = await t.app.request(PUBLIC_URL + path, { method, headers, ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}) });
  const body = await res.text();
  if (o.expect !== undefined && res.status !== o.expect) throw new Error(`${t.label} ${method} ${path}: ${res.status} ${body.slice(0, 300)}`);
  return { status: res.status, body };
}

async function tokenFor(t: Target, key: string, body: Record<string, string>): Promise<string> {
  const have = t.tokens.get(key);
  if (have) return have;
  const res = await request(t, "POST", "/api/api-keys", { token: t.meta.adminToken, body: { ...body, label: "bench-scale" }, expect: 201 });
  const token = (JSON.parse(res.body) as { token: string }).token;
  t.tokens.set(key, token);
  return token;
}
const providerToken = (t: Target, partyId: string) => tokenFor(t, `p:${partyId}`, { role: "provider", partyId });
const barToken = (t: Target, barId: string) => tokenFor(t, `b:${barId}`, { role: "bar-admin", barId });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const percentile = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!; };

async function timed<T>(t: Target, phase: string, fn: () => Promise<T>): Promise<number> {
  t.log.phase = phase;
  const t0 = performance.now();
  try {
    await fn();
  } finally {
    t.log.phase = null;
  }
  return performance.now() - t0;
}

interface Figure { name: string; unit: string; higherIsBetter: boolean; small: number; big: number; smallP99?: number; bigP99?: number; note?: string }

/** Runs `measure` on each target in turn, `ROUNDS` times, and keeps the medians. */
async function alternate(targets: [Target, Target], measure: (t: Target, round: number) => Promise<number>, rounds = ROUNDS): Promise<[number, number]> {
  const got: [number[], number[]] = [[], []];
  for (let r = 0; r < rounds; r++) for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) got[i as 0 | 1].push(await measure(targets[i as 0 | 1], r));
  return [median(got[0]), median(got[1])];
}

let eventCounter = 0;
async function issueOnce(t: Target): Promise<number> {
  const provider = t.meta.providers[0]!;
  const principal: Principal = { role: "provider", keyId: "bench-scale", partyId: provider.partyId };
  const end = Date.now() - 86_400_000;
  const event = await t.services.issuance.createEvent(principal, {
    topic: "Қылмыстық процестегі дәлелдемелер", programme: "criminal", form: "course", deliveryMode: "in-person", coOrganiserBarId: null, place: "Алматы",
    startsAt: toInstant(end - 6 * 3_600_000), endsAt: toInstant(end), durationMinutes: 360, trainers: [{ name: "Сейтқали Ә.", field: "Қылмыстық процесс, 15 жыл адвокаттық практика" }],
  });
  const first = 19_000 - 1_000 * (++eventCounter % 10); // licences no seeded event used
  await t.services.issuance.setParticipants(principal, event.id, Array.from({ length: 1_000 }, (_, i) => ({ licenceNumber: licenceOf(0, first + i), fullName: `Қатысушы ${i}`, barId: provider.barId, role: i === 0 ? "teacher" : "attendee" })));
  const token = await providerToken(t, provider.partyId);
  return timed(t, "issue", () => request(t, "POST", `/api/events/${event.id}/certificates`, { token, expect: 201 }));
}

/** `POST /api/verify`, VERIFY_CONCURRENCY in flight for VERIFY_SECONDS, bodies drawn from the whole database. */
async function verifyLoad(t: Target, seed: number): Promise<{ rps: number; p99: number; failed: number }> {
  const r = seededRandom(seed);
  const latencies: number[] = [];
  let failed = 0;
  t.log.phase = "verify";
  const until = performance.now() + VERIFY_SECONDS * 1_000;
  const started = performance.now();
  await Promise.all(Array.from({ length: VERIFY_CONCURRENCY }, async () => {
    while (performance.now() < until) {
      const c = t.sample[Math.floor(r() * t.sample.length)]!;
      const t0 = performance.now();
      const res = await request(t, "POST", "/api/verify", { body: { jwt: c.jwt } });
      latencies.push(performance.now() - t0);
      if (res.status !== 200) failed++;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  t.log.phase = null;
  return { rps: latencies.length / elapsed, p99: percentile(latencies, 99), failed };
}

async function measurePair(small: Target, big: Target): Promise<Figure[]> {
  const pair: [Target, Target] = [small, big];
  const figures: Figure[] = [];
  const add = (name: string, unit: string, higherIsBetter: boolean, v: [number, number], extra: Partial<Figure> = {}) => {
    figures.push({ name, unit, higherIsBetter, small: v[0], big: v[1], ...extra });
    console.log(`  ${name}: ${v[0].toFixed(unit === "req/s" ? 0 : 1)} / ${v[1].toFixed(unit === "req/s" ? 0 : 1)} ${unit}`);
  };

  // Warm both (key caches, fonts, JIT) with a few of everything, untimed.
  for (const t of pair) {
    for (const c of t.sample.slice(0, 20)) await request(t, "POST", "/api/verify", { body: { jwt: c.jwt }, expect: 200 });
    await request(t, "GET", `/c/${t.sample[0]!.id}`, { expect: 200 });
  }

  add("issue a 1,000-participant event", "ms", false, await alternate(pair, (t) => issueOnce(t), Math.max(ROUNDS, 5)));

  const p99s: [number[], number[]] = [[], []];
  let failed = 0;
  const rps = await alternate(pair, async (t, round) => {
    const v = await verifyLoad(t, 1_000 + round);
    p99s[t === small ? 0 : 1].push(v.p99);
    failed += v.failed;
    return v.rps;
  });
  add("POST /api/verify, random certificates", "req/s", true, rps, { smallP99: median(p99s[0]), bigP99: median(p99s[1]), note: failed ? `${failed} not 200` : undefined });
  console.log(`    p99 ${median(p99s[0]).toFixed(1)} / ${median(p99s[1]).toFixed(1)} ms${failed ? `, ${failed} answers not 200` : ""}`);

  add("certificate page GET /c/{id}", "ms", false, await alternate(pair, async (t, round) => {
    const r = seededRandom(2_000 + round);
    const ms: number[] = [];
    for (let i = 0; i < 20; i++) ms.push(await timed(t, "certificate page", () => request(t, "GET", `/c/${t.sample[Math.floor(r() * t.sample.length)]!.id}`, { expect: 200 })));
    return median(ms);
  }));

  // A revocation, the next verification of a certificate in the same list (its cached bits are gone), and the list
  // re-signed. Each round takes certificates no earlier round touched.
  const revocation: [number[], number[]] = [[], []];
  const nextVerify: [number[], number[]] = [[], []];
  const status: [number[], number[]] = [[], []];
  for (let r = 0; r < Math.max(ROUNDS, 5); r++) {
    for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
      const t = pair[i]!;
      const victim = t.sample[t.sample.length - 1 - 2 * r]!;
      const neighbour = t.sample.find((c, k) => c.list === victim.list && k < t.sample.length - 1 - 2 * Math.max(ROUNDS, 5))!;
      const row = await t.opened.db.selectFrom("certificates").select("party_id").where("id", "=", victim.id).executeTakeFirstOrThrow();
      const token = await providerToken(t, row.party_id);
      // The list's bits and signed form are in the caches, as on a server that has been answering.
      await request(t, "POST", "/api/verify", { body: { jwt: neighbour.jwt }, expect: 200 });
      await request(t, "GET", `/status/${victim.list}`, { expect: 200 });
      revocation[i]!.push(await timed(t, "revocation", () => request(t, "POST", `/api/certificates/${victim.id}/revocation`, { token, body: { reason: "bench: revoked" }, expect: 201 })));
      nextVerify[i]!.push(await timed(t, "verify after a revocation", () => request(t, "POST", "/api/verify", { body: { jwt: neighbour.jwt }, expect: 200 })));
      status[i]!.push(await timed(t, "status list re-signed", () => request(t, "GET", `/status/${victim.list}`, { expect: 200 })));
    }
  }
  add("revoke a certificate", "ms", false, [median(revocation[0]), median(revocation[1])]);
  add("next verification in its list", "ms", false, [median(nextVerify[0]), median(nextVerify[1])]);
  add("re-signed GET /status/{id}", "ms", false, [median(status[0]), median(status[1])]);

  add("compliance report (bar-year)", "ms", false, await alternate(pair, async (t) => {
    const token = await barToken(t, t.meta.measuredBar);
    return timed(t, "compliance report", () => request(t, "GET", `/api/bars/${t.meta.measuredBar}/compliance/${MEASURED_YEAR}`, { token, expect: 200 }));
  }));
  add("bar's annual analysis", "ms", false, await alternate(pair, async (t) => {
    const token = await barToken(t, t.meta.measuredBar);
    return timed(t, "bar's annual analysis", () => request(t, "GET", `/api/bars/${t.meta.measuredBar}/analysis/${MEASURED_YEAR}`, { token, expect: 200 }));
  }));
  add("RBA's analysis, 20 bars", "ms", false, await alternate(pair, (t) => timed(t, "RBA's analysis", () => request(t, "GET", `/api/bars/rba/analysis/${MEASURED_YEAR}`, { token: t.meta.adminToken, expect: 200 }))));
  return figures;
}

// ---- plans --------------------------------------------------------------------------------------------------------

function literal(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (v instanceof Date) return `'${v.toISOString()}'`;
  return `'${String(v).replace(/'/g, "''")}'`;
}

async function planOf(o: Opened, q: { sql: string; parameters: readonly unknown[] }): Promise<string> {
  if (o.kind === "sqlite") {
    let i = 0;
    const text = q.sql.replace(/\?/g, () => literal(q.parameters[i++]));
    const plan = await sql.raw(`EXPLAIN QUERY PLAN ${text}`).execute(o.db);
    return (plan.rows as { detail: string }[]).map((r) => r.detail).join("\n");
  }
  const text = q.sql.replace(/\$(\d+)/g, (_, n: string) => literal(q.parameters[Number(n) - 1]));
  // ANALYZE runs the statement: writes are rolled back.
  return o.db.connection().execute(async (conn) => {
    await sql`begin`.execute(conn);
    try {
      const plan = await sql.raw(`EXPLAIN (ANALYZE, BUFFERS) ${text}`).execute(conn);
      return (plan.rows as Record<string, string>[]).map((r) => Object.values(r)[0]).join("\n");
    } finally {
      await sql`rollback`.execute(conn);
    }
  });
}

const shortSql = (s: string) => { const n = normaliseSql(s); return n.length > 600 ? `${n.slice(0, 600)} …` : n; };

/** The plans at `t`'s size, each statement's runs and times beside the same statement's on the base database. */
async function writePlans(t: Target, base: Target): Promise<string> {
  const lines = [`### ${t.opened.kind === "sqlite" ? "SQLite" : "PostgreSQL"} at ${t.label} (${t.meta.certificates.toLocaleString("en")} certificates seeded)`, ""];
  for (const [phase, queries] of t.log.byPhase) {
    lines.push(`#### ${phase}`, "");
    const sorted = [...queries.entries()].sort((a, b) => b[1].totalMs - a[1].totalMs);
    lines.push(`| statement | runs | total ms | max ms | total ms at ${base.label} |`, "|---|---:|---:|---:|---:|");
    for (const [key, q] of sorted) {
      const atBase = base.log.byPhase.get(phase)?.get(key);
      lines.push(`| \`${shortSql(q.sql).replace(/\|/g, "\\|").replace(/`/g, "'")}\` | ${q.count} | ${q.totalMs.toFixed(1)} | ${q.maxMs.toFixed(2)} | ${atBase ? atBase.totalMs.toFixed(1) : "–"} |`);
    }
    lines.push("");
    for (const [, q] of sorted) {
      if (!/^\s*(select|with|update|delete)/i.test(q.sql)) continue; // INSERTs have no access path worth reading
      let plan: string;
      try {
        plan = await planOf(t.opened, q);
      } catch (e) {
        plan = `(could not EXPLAIN: ${(e as Error).message})`;
      }
      lines.push("```sql", shortSql(q.sql), "```", "```", plan, "```", "");
    }
  }
  return lines.join("\n");
}

// ---- main ---------------------------------------------------------------------------------------------------------

const GOAL = 1.2;
function verdict(f: Figure, size: number): { ratio: number; goal: string; met: boolean } {
  // A rate falls when it gets worse; everything else is a time, which grows.
  const ratio = f.higherIsBetter ? f.small / f.big : f.big / f.small;
  let met = ratio <= GOAL;
  let goal = `≤ ${GOAL}×`;
  if (f.name.startsWith("RBA")) {
    goal += size >= 1e6 ? ", < 2 s" : "";
    if (size >= 1e6) met = met && f.big < 2_000;
  }
  return { ratio, goal, met };
}

async function main(): Promise<void> {
  const sizes = (process.env.SCALE ?? "10k,50k").split(",").map(parseSize).sort((a, b) => a - b);
  const dialects = (process.env.SCALE_DB ?? "sqlite,postgres").split(",").map((s) => s.trim()) as Dialect[];
  for (const d of dialects) if (d !== "sqlite" && d !== "postgres") throw new Error(`SCALE_DB: ${d}? (sqlite,postgres)`);
  const base = sizes[0]!;
  const results: { dialect: Dialect; base: number; size: number; figures: (Figure & { ratio: number; met: boolean })[] }[] = [];
  const table: string[] = [];
  for (const kind of dialects) {
    for (const size of sizes) await cached(kind, size);
    for (const size of sizes.slice(1)) {
      console.log(`\n${kind}: ${label(base)} and ${label(size)}, side by side`);
      const small = await target(kind, base);
      const big = await target(kind, size);
      try {
        const figures = await measurePair(small, big);
        const rows = figures.map((f) => ({ ...f, ...verdict(f, size) }));
        results.push({ dialect: kind, base, size, figures: rows });
        table.push("", `${kind}, ${label(base)} (${small.meta.certificates.toLocaleString("en")} certificates) vs ${label(size)} (${big.meta.certificates.toLocaleString("en")}), same run:`, "",
          `| figure | ${label(base)} | ${label(size)} | ratio | goal | |`, "|---|---:|---:|---:|---|---|");
        for (const r of rows) {
          const fmt = (v: number, p99?: number) => `${v.toFixed(r.unit === "req/s" ? 0 : 1)} ${r.unit}${p99 !== undefined ? ` (p99 ${p99.toFixed(1)} ms)` : ""}`;
          table.push(`| ${r.name} | ${fmt(r.small, r.smallP99)} | ${fmt(r.big, r.bigP99)} | ${r.higherIsBetter ? "÷" : "×"}${r.ratio.toFixed(2)} | ${r.goal} | ${r.met ? "MET" : "MISSED"} |`);
        }
        if (size === sizes[sizes.length - 1]) {
          mkdirSync(RESULTS, { recursive: true });
          const file = join(RESULTS, `scale-plans-${kind}.md`);
          writeFileSync(file, await writePlans(big, small));
          console.log(`  plans: ${file}`);
        }
      } finally {
        await small.opened.close();
        await big.opened.close();
      }
    }
  }
  console.log(table.join("\n"));
  console.log("\nratio: the figure at N against the same figure at the base size (a rate: base ÷ N, a time: N ÷ base); 1.00 is flat.");
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, "scale.json"), JSON.stringify({ at: new Date().toISOString(), schema: SCHEMA_VERSION, rounds: ROUNDS, verifySeconds: VERIFY_SECONDS, results }, null, 2));
  if (process.env.BENCH_STRICT === "1" && results.some((r) => r.figures.some((f) => !f.met))) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
