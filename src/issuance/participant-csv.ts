/**
 * 12.3: after a course the provider draws up the participant list, naming the time, date, place, course title,
 * trainer(s), number of hours and programme. This reads such a list from CSV: one participant per row with the
 * clause's columns beside them. The event columns may be left out; when present they must agree with the event, so a
 * list meant for another course is refused. Every bad row is reported with its line; the caller stores nothing
 * unless there are none.
 */
import type { ParticipantRole } from "../domain/catalog.js";
import { normaliseKazakh, normaliseLicence } from "../domain/people.js";
import { academicHours, kzDateTime } from "../domain/time.js";
import { resolveParticipantTime } from "../domain/event.js";
import type { Principal } from "../domain/authz.js";
import { csvError, csvProblem, mapColumns, parseCsv, type CsvProblem, type CsvProblemCode, type TextParams } from "../lib/csv.js";
import type { RegistryService } from "../registry/service.js";
import type { VocabularyEntry } from "../registry/model.js";
import type { CleEvent } from "./model.js";
import type { IssuanceService, NewParticipant } from "./service.js";

/** The same cap as the JSON list (MAX_PARTICIPANTS in http/schemas.ts). */
export const MAX_PARTICIPANT_ROWS = 20_000;

const COLUMNS = {
  // 12.3's columns
  date: { names: ["date", "дата", "күні"], required: false },
  time: { names: ["time", "время", "уақыты"], required: false },
  place: { names: ["place", "место", "орны"], required: false },
  course: { names: ["course", "course title", "topic", "название курса", "курстың атауы", "тема"], required: false },
  trainers: { names: ["trainers", "trainer", "преподаватель", "преподаватели", "оқытушы", "оқытушылар"], required: false },
  hours: { names: ["hours", "academic hours", "часы", "количество часов", "сағат", "сағат саны"], required: false },
  programme: { names: ["programme", "program", "программа", "бағдарлама"], required: false },
  // the participant
  licence: { names: ["licence", "license", "licence number", "лицензия", "лицензия нөмірі", "№ лицензии"], required: true },
  name: { names: ["name", "full name", "фио", "ф.и.о.", "аты-жөні"], required: true },
  bar: { names: ["bar", "bar id", "коллегия", "алқа"], required: true },
  role: { names: ["role", "роль", "рөлі"], required: false },
  // 12.3: an attendee present part of the event; 5.1(4): the minutes a teacher taught. Empty: the whole event.
  attended: { names: ["attended minutes", "minutes attended", "минут присутствия", "присутствовал минут", "қатысқан минут", "қатысу минуты"], required: false },
  taught: { names: ["taught minutes", "minutes taught", "минут преподавания", "провёл минут", "оқытқан минут", "сабақ жүргізген минут"], required: false },
  email: { names: ["email", "e-mail"], required: false },
  walletDid: { names: ["wallet did", "did"], required: false },
} as const;

const ROLES: Record<string, ParticipantRole> = {
  "": "attendee", attendee: "attendee", participant: "attendee", слушатель: "attendee", участник: "attendee", тыңдаушы: "attendee", қатысушы: "attendee",
  teacher: "teacher", trainer: "teacher", преподаватель: "teacher", оқытушы: "teacher", "сабақ жүргізуші": "teacher",
};

const loose = (s: string) => normaliseKazakh(s).toLowerCase().replace(/\s+/g, " ").trim();

export async function participantsFromCsv(
  text: string,
  event: CleEvent,
  ctx: { barIds: ReadonlySet<string>; programmes: readonly VocabularyEntry[] },
  onProgress?: (read: number, total: number) => void,
): Promise<{ participants: NewParticipant[]; problems: CsvProblem[] }> {
  const csv = await parseCsv(text, { maxRecords: MAX_PARTICIPANT_ROWS, maxFieldLength: 1000, maxFields: 30 }, onProgress);
  const { index, problems: missing } = mapColumns(csv.header, COLUMNS);
  const problems: CsvProblem[] = [...csv.problems, ...missing];
  if (missing.length > 0) return { participants: [], problems };

  const start = kzDateTime(event.startsAt); // "YYYY-MM-DD HH:MM" in Kazakhstan
  const endDate = kzDateTime(event.endsAt).slice(0, 10);
  const hours = academicHours(event.durationMinutes);
  const programme = ctx.programmes.find((p) => p.code === event.programme);
  const programmeNames = new Set([event.programme, ...(programme ? [programme.names.kk, programme.names.ru, programme.names.en] : [])].map(loose));
  const seen = new Map<string, number>();
  const participants: NewParticipant[] = [];

  for (const row of csv.rows) {
    const get = (k: keyof typeof COLUMNS) => (index[k] === undefined ? "" : (row.fields[index[k]!] ?? "").trim());
    const bad = (code: CsvProblemCode, params?: TextParams) => problems.push(csvProblem(row.line, code, params));
    // The event's columns, when given, must be this event's (12.3).
    const date = get("date");
    if (date && date !== start.slice(0, 10) && !(date.includes(start.slice(0, 10)) && date.includes(endDate))) bad("date-mismatch", { value: date, expected: start.slice(0, 10) });
    const time = get("time");
    if (time && !time.startsWith(start.slice(11))) bad("time-mismatch", { value: time, expected: start.slice(11) });
    const place = get("place");
    if (place && loose(place) !== loose(event.place)) bad("place-mismatch");
    const course = get("course");
    if (course && loose(course) !== loose(event.topic)) bad("course-mismatch");
    const h = get("hours");
    if (h && Number(h.replace(",", ".")) !== hours) bad("hours-mismatch", { value: h, expected: hours });
    const prog = get("programme");
    if (prog && !programmeNames.has(loose(prog))) bad("programme-mismatch");
    const trainers = get("trainers");
    if (trainers && event.trainers.length > 0) {
      const listed = loose(trainers);
      if (!event.trainers.some((t) => listed.includes(loose(t.name)))) bad("trainers-mismatch");
    }
    // The participant.
    const licence = normaliseLicence(get("licence"));
    if (!/^[0-9A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{1,32}$/u.test(licence)) bad("licence-invalid");
    else if (seen.has(licence)) bad("licence-repeated", { licence, first: seen.get(licence)! });
    else seen.set(licence, row.line);
    const fullName = get("name");
    if (!fullName || fullName.length > 300) bad("name-invalid");
    const barId = get("bar").toLowerCase();
    if (!ctx.barIds.has(barId)) bad("bar-unknown", { bar: JSON.stringify(barId) });
    const role = ROLES[loose(get("role"))];
    if (!role) bad("role-invalid");
    const email = get("email");
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) bad("email-invalid");
    const walletDid = get("walletDid");
    if (walletDid && (walletDid.length > 500 || !/^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/.test(walletDid))) bad("wallet-did-invalid");
    // Whole minutes; anything else is handed on as not a number, for the one check below to refuse.
    const minutes = (k: "attended" | "taught") => (get(k) === "" ? null : /^\d{1,6}$/.test(get(k)) ? Number(get(k)) : Number.NaN);
    const spent = { role: role ?? "attendee", attendedMinutes: minutes("attended"), taughtMinutes: minutes("taught") };
    // The same check as the JSON list's (src/domain/event.ts), reported on the row's line.
    for (const p of resolveParticipantTime(event, spent, "").problems) problems.push({ line: row.line, code: p.code!, ...(p.params ? { params: p.params } : {}), message: p.message });
    participants.push({ licenceNumber: licence, fullName, barId, role: spent.role, email: email || null, walletDid: walletDid || null, attendedMinutes: spent.attendedMinutes, taughtMinutes: spent.taughtMinutes });
  }
  if (csv.rows.length === 0 && problems.length === 0) problems.push(csvProblem(2, "no-participants"));
  return { participants, problems };
}

/** 12.3 from CSV: validated whole against the event, then stored as the event's list (all or nothing). */
export async function importParticipantsCsv(
  deps: { issuance: IssuanceService; registry: RegistryService },
  principal: Principal,
  eventId: string,
  text: string,
  onProgress?: (read: number, total: number) => void,
) {
  const event = await deps.issuance.ownEvent(principal, eventId);
  const barIds = new Set((await deps.registry.bars()).map((b) => b.id));
  const { programmes } = await deps.registry.vocabulary();
  const { participants, problems } = await participantsFromCsv(text, event, { barIds, programmes }, onProgress);
  if (problems.length > 0) throw csvError(problems);
  return deps.issuance.setParticipants(principal, eventId, participants);
}
