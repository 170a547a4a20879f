/**
 * `npm run seed:demo`: a realistic year for one bar (Almaty City) in the database `npm start` uses (DATABASE_URL, or
 * the SQLite file under DATA_DIR) — 2,000 members, 40 providers, 300 events, 15,000 certificates (really signed),
 * suspensions, self-recorded hours, a policy and anonymous survey answers — so the compliance report (12.1) and the annual analysis (3.2) have something to show.
 * The demo year is last calendar year, so its report is final. Deterministic for a given seed (`SEED=…`).
 */
import { pathToFileURL } from "node:url";
import type { Principal } from "../domain/authz.js";
import type { DeliveryMode, Form, Programme } from "../domain/catalog.js";
import { toInstant } from "../domain/time.js";
import type { Services } from "../http/context.js";
import { Keyring } from "../registry/keyring.js";
import { createServices } from "../services.js";
import { migrateToLatest } from "../storage/migrate.js";
import { loadConfig } from "./config.js";
import { openDatabase } from "./database.js";
import { seededRandom } from "../lib/seeded-random.js";

export interface DemoSize {
  members: number;
  providers: number;
  events: number;
  certificates: number;
  suspensions: number;
  surveys: number;
}

export const DEMO_SIZE: DemoSize = { members: 2_000, providers: 40, events: 300, certificates: 15_000, suspensions: 80, surveys: 3_000 };
export const DEMO_BAR = "almaty-city";


const FIRST = ["Ерлан", "Айгүл", "Мария", "Дәурен", "Сәуле", "Нұрлан", "Әсел", "Ольга", "Бауыржан", "Гүлнар", "Тимур", "Жанар", "Андрей", "Динара", "Руслан", "Меруерт"];
const LAST = ["Жұмабаев", "Сейтқалиева", "Ким", "Омаров", "Ахметова", "Иванов", "Нұрғалиев", "Қасымова", "Пак", "Төлеубаев", "Бекова", "Смагулов"];
const TOPICS: Record<Programme, string[]> = {
  foundations: ["Адвокат кәсібінің негіздері: әдеп және тәуелсіздік", "Основы профессии адвоката: первый год практики"],
  civil: ["Азаматтық процестегі дәлелдемелер", "Медиация и мировые соглашения", "Корпоративные споры", "Жер және тұрғын үй даулары"],
  criminal: ["Қылмыстық процестегі қорғау", "Защита на стадии досудебного расследования", "Суд присяжных: тактика защиты", "Экспертиза в уголовном процессе"],
  topical: ["Адвокаттық құпия және цифрлық дәлелдер", "Налоговые споры: новые правила", "Электронное правосудие", "Халықаралық құқық қорғау тетіктері"],
};

export async function seedDemo(services: Services, size: DemoSize = DEMO_SIZE, options: { seed?: number; log?: (line: string) => void } = {}): Promise<{ year: number; certificates: number }> {
  const random = seededRandom(options.seed ?? 2026);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const log = options.log ?? (() => {});
  const { registry, issuance, compliance, surveys } = services;
  const now = Date.parse(registry.now());
  const year = new Date(now).getUTCFullYear() - 1;
  const operator: Principal = { role: "rba-admin", keyId: "seed-demo" };
  const barAdmin: Principal = { role: "bar-admin", keyId: "seed-demo", barId: DEMO_BAR };

  // Members, through the same CSV import a bar would use.
  const licences: string[] = [];
  const rows = ["licence;name;admission date;email"];
  for (let i = 0; i < size.members; i++) {
    const licence = String(700000 + i);
    licences.push(licence);
    // About one in twenty joined during the demo year (10.2 applies to them); the rest over the last 30 years.
    const admitted = random() < 0.05 ? `${year}-${String(1 + Math.floor(random() * 9)).padStart(2, "0")}-15` : `${year - 1 - Math.floor(random() * 30)}-${String(1 + Math.floor(random() * 12)).padStart(2, "0")}-01`;
    rows.push(`${licence};${pick(FIRST)} ${pick(LAST)};${admitted};${random() < 0.5 ? `a${i}@example.kz` : ""}`);
  }
  await compliance.importMembersCsv(barAdmin, DEMO_BAR, rows.join("\n"));
  log(`members: ${size.members}`);

  // 2.3: suspensions, some spanning into the demo year from the one before, some still open.
  for (let i = 0; i < size.suspensions; i++) {
    const licence = pick(licences);
    const startMonth = Math.floor(random() * 18) - 6; // from July of the year before to June of the demo year
    const fromYear = startMonth < 0 ? year - 1 : year;
    const from = `${fromYear}-${String(((startMonth + 12) % 12) + 1).padStart(2, "0")}-01`;
    const until = random() < 0.2 ? null : toInstant(Date.parse(`${from}T00:00:00Z`) + (30 + Math.floor(random() * 240)) * 86_400_000).slice(0, 10);
    await compliance.addSuspension(barAdmin, DEMO_BAR, licence, { from, until, reason: "2.3 demo" });
  }
  log(`suspensions: ${size.suspensions}`);

  await compliance.setPolicy(barAdmin, DEMO_BAR, year, { requiredAcademicHours: 40 });

  // Providers: a quarter are centres (they may run seminars alone, 5.1.2); the rest organisations and trainers.
  const providers: { principal: Principal; kind: "centre" | "organisation" | "trainer" }[] = [];
  for (let i = 0; i < size.providers; i++) {
    const kind = i % 4 === 0 ? "centre" : i % 4 === 3 ? "trainer" : "organisation";
    const { party } = await registry.createParty(operator, { kind, name: `${kind === "centre" ? "Біліктілікті арттыру орталығы" : kind === "trainer" ? "Тренер" : "Құқықтық академия"} №${i + 1}`, barId: DEMO_BAR });
    await registry.accredit(operator, party.id, {
      barId: DEMO_BAR, decisionNumber: `${i + 1}-П`, decisionDate: `${year - 1}-12-20`, validFrom: `${year - 1}-12-20`,
      criteria: [{ criterion: kind === "trainer" ? "advocacy-5-years" : "education-licence", evidence: "demo" }],
    });
    providers.push({ principal: { role: "provider", keyId: "seed-demo", partyId: party.id }, kind });
  }
  log(`providers: ${size.providers}`);

  const perEvent = Math.floor(size.certificates / size.events);
  let extra = size.certificates - perEvent * size.events;
  const certificateIds: string[] = [];
  const surveyTokens: string[] = []; // 7.5: the participants' survey links, as the issuing provider hands them out
  for (let e = 0; e < size.events; e++) {
    const provider = providers[e % providers.length]!;
    const programme: Programme = random() < 0.1 ? "foundations" : pick(["civil", "criminal", "topical"] as const);
    const form: Form = provider.kind === "centre" ? pick(["course", "seminar", "training", "master-class"] as const) : random() < 0.8 ? "course" : "seminar";
    const delivery: DeliveryMode = pick(["in-person", "in-person", "online", "distance"] as const);
    const day = Date.parse(`${year}-01-15T04:00:00Z`) + Math.floor(random() * 320) * 86_400_000;
    const minutes = pick([90, 180, 270, 360, 540]);
    const event = await issuance.createEvent(provider.principal, {
      topic: pick(TOPICS[programme]), programme, form, deliveryMode: delivery,
      coOrganiserBarId: provider.kind !== "centre" && form !== "course" ? DEMO_BAR : null,
      place: delivery === "in-person" ? "Алматы, Абай даңғылы 1" : "Zoom", startsAt: toInstant(day), endsAt: toInstant(day + minutes * 60_000 + 3_600_000),
      durationMinutes: minutes, trainers: [{ name: `${pick(FIRST)} ${pick(LAST)}`, field: "Advocacy in court, 10 years of practice (11.1)" }],
    });
    // 5.1(3): the co-organising bar confirms before the certificates name it.
    if (event.coOrganiserBarId) await issuance.decideCoOrganisation(barAdmin, event.id, "confirm");
    const count = perEvent + (extra-- > 0 ? 1 : 0);
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(pick(licences));
    await issuance.setParticipants(provider.principal, event.id, [...chosen].map((licence, i) => ({ licenceNumber: licence, fullName: `Адвокат ${licence}`, barId: DEMO_BAR, role: i === 0 && form === "course" ? "teacher" : "attendee" }))); // 5.1(4): teaching on courses
    const outcome = await issuance.issueCertificates(provider.principal, event.id);
    for (const c of outcome.certificates) certificateIds.push(c.id);
    for (const link of (await surveys.firstLinks(provider.principal, outcome)).values()) surveyTokens.push(link.token);
    if ((e + 1) % 50 === 0) log(`events: ${e + 1}/${size.events}, certificates: ${certificateIds.length}`);
  }

  // 2.2.2: a few hundred self-recorded entries, which the report shows apart.
  for (let i = 0; i < Math.floor(size.members / 10); i++) {
    await compliance.recordSelfHours(barAdmin, DEMO_BAR, pick(licences), { year, minutes: 45 * (1 + Math.floor(random() * 8)), programme: "topical", description: "Self-study (2.2.2)" });
  }

  // 7.5: anonymous answers for a share of the certificates.
  const answered = new Set<string>();
  while (answered.size < Math.min(size.surveys, surveyTokens.length)) answered.add(pick(surveyTokens));
  for (const token of answered) {
    const base = 2 + Math.floor(random() * 4);
    const r = () => Math.max(1, Math.min(5, base + Math.floor(random() * 3) - 1));
    await surveys.answer(token, { quality: r(), effectiveness: r(), usefulness: r(), comment: random() < 0.1 ? "Пайдалы болды" : null });
  }
  log(`surveys: ${answered.size}`);
  return { year, certificates: certificateIds.length };
}

async function main(): Promise<void> {
  const config = await loadConfig();
  // The database `npm start` uses: PostgreSQL when DATABASE_URL is set, otherwise the SQLite file under DATA_DIR.
  const database = openDatabase(config);
  const { db } = database;
  await migrateToLatest(db);
  console.log(`Seeding ${database.description}`);
  const services = createServices({ db, atomic: database.atomic, maxParameters: database.maxParameters, keyring: await Keyring.fromSecret(config.kek), publicUrl: config.publicUrl, adminTokenHash: config.adminTokenHash });
  const started = Date.now();
  const { year, certificates } = await seedDemo(services, DEMO_SIZE, { seed: Number(process.env.SEED ?? 2026), log: (l) => console.log(`  ${l}`) });
  console.log(`Seeded ${DEMO_BAR} for ${year}: ${certificates} certificates in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  console.log(`Compliance report: ${config.publicUrl}/api/bars/${DEMO_BAR}/compliance/${year}?format=html (a bar-admin or the admin token)`);
  console.log(`Annual analysis:   ${config.publicUrl}/api/bars/${DEMO_BAR}/analysis/${year}?format=html`);
  await db.destroy();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
