/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * 12.3: the participant lists reach the participants' bars. After its training a provider draws up the list "for
 * accounting purposes" — time, date, place, title, trainers (each with the field of their experience, 11.1), hours and
 * programme — and each bar sees the lists its members are on, with its own members only (another bar's members are
 * not its business), as JSON, CSV and XLSX, and on a page of its console. The bar's admin and the RBA's admin read
 * them (assertMayReadBarReports in src/domain/authz.ts, as the bar's other reports).
 */
import { createRoute, z, type OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { Context } from "hono";
import { administeredBar, type Principal } from "../../domain/authz.js";
import { detailError } from "../problem.js";
import { participantMinutes } from "../../domain/event.js";
import { academicHours, kzDate, kzDateTime } from "../../domain/time.js";
import type { BarParticipantList } from "../../issuance/model.js";
import { csvLine } from "../../lib/csv.js";
import { fieldProblem } from "../../domain/field-problems.js";
import type { Vocabulary } from "../../registry/model.js";
import { requirePrincipal, type AppEnv, type Services } from "../context.js";
import { LISTS_T, pickLang, T, t, type Lang } from "../i18n.js";
import { ParticipantListsPage, type BarListView } from "../pages/participant-lists.js";
import { participantListDocument } from "../reports/participant-list.js";
import { participantsXlsx } from "../reports/participants-xlsx.js";
import { REPORT_FILES } from "./bookkeeping.js";
import { listQuery, type ConsoleHelpers } from "./console-bookkeeping.js";
import { barParam, BEARER, jsonResponse, PROBLEM_RESPONSES } from "../schemas.js";

const EVENT_ID = "[0-9a-z]{1,40}";
/** `{eventId}.csv` → the event id. */
const eventIdOf = (list: string): string => list.slice(0, list.lastIndexOf("."));

export function barListView(list: BarParticipantList, organiserName: string, certificateUrl: (id: string) => string): BarListView {
  const e = list.event;
  const start = kzDateTime(e.startsAt);
  const end = kzDateTime(e.endsAt);
  return {
    event: {
      id: e.id,
      topic: e.topic,
      programme: e.programme,
      form: e.form,
      deliveryMode: e.deliveryMode,
      place: e.place,
      startsAt: e.startsAt,
      endsAt: e.endsAt,
      date: start.slice(0, 10) === end.slice(0, 10) ? start.slice(0, 10) : `${start.slice(0, 10)} – ${end.slice(0, 10)}`,
      time: `${start.slice(11)} – ${end.slice(11)}`,
      durationMinutes: e.durationMinutes,
      academicHours: academicHours(e.durationMinutes),
      trainers: e.trainers.map((tr) => ({ name: tr.name, field: tr.field || null })),
      organiser: { id: e.partyId, name: organiserName },
      coOrganiserBarId: e.coOrganiserBarId,
    },
    participants: list.participants.map((p) => {
      const minutes = participantMinutes(e, p);
      return {
        licenceNumber: p.licenceNumber,
        fullName: p.fullName,
        role: p.role,
        minutes,
        academicHours: academicHours(minutes),
        partial: p.role === "attendee" && minutes < e.durationMinutes,
        attendedMinutes: p.attendedMinutes ?? null,
        taughtMinutes: p.taughtMinutes ?? null,
        certificateId: p.certificateId,
        certificateUrl: p.certificateId ? certificateUrl(p.certificateId) : null,
        revoked: p.revoked,
      };
    }),
  };
}

/** A trainer as the lists print them: the name and the field of their experience (11.1), or that it was not recorded. */
export const trainerText = (tr: { name: string; field: string | null }, lang: Lang): string => `${tr.name} (${tr.field ?? t(LISTS_T.notRecorded, lang)})`;

const vocabularyName = (list: Vocabulary[keyof Vocabulary], code: string, lang: Lang) => list.find((x) => x.code === code)?.names[lang] ?? code;

/** 12.3 as CSV: one row per member of the bar, the event's particulars beside each (the columns the import reads). */
export function barListCsv(v: BarListView, vocabulary: Vocabulary, barName: string, lang: Lang): string {
  const L = LISTS_T;
  const head = [L.csvDate, L.csvTime, L.csvPlace, L.csvCourse, L.csvTrainers, L.csvHours, L.csvProgramme, L.csvForm, L.csvOrganiser, L.csvLicence, L.csvName, L.csvBar, L.csvRole, L.csvAttended, L.csvTaught, L.csvOwnHours, L.csvCertificate, L.csvRevoked].map((x) => t(x, lang));
  const e = v.event;
  const rows = v.participants.map((p) =>
    csvLine([
      e.date, e.time, e.place, e.topic, e.trainers.map((tr) => trainerText(tr, lang)).join("; "), e.academicHours,
      vocabularyName(vocabulary.programmes, e.programme, lang), vocabularyName(vocabulary.forms, e.form, lang), e.organiser.name,
      p.licenceNumber, p.fullName, barName, t(p.role === "teacher" ? T.roleTeacher : T.roleAttendee, lang),
      p.role === "attendee" ? p.minutes : null, p.role === "teacher" ? p.minutes : null, p.academicHours, p.certificateUrl, p.revoked ? t(L.revoked, lang) : null,
    ]),
  );
  return "\ufeff" + [csvLine(head), ...rows].join("\r\n") + "\r\n";
}

const yearOf = (value: string | undefined, now: string): number => {
  if (value === undefined || value === "") return Number(kzDate(now).slice(0, 4));
  const year = Number(value);
  if (!/^\d{4}$/.test(value) || year < 2000 || year > 2100) throw detailError("invalid_request", "year-out-of-range", undefined, { problems: [fieldProblem("year", "year-out-of-range", { min: 2000, max: 2100 })] });
  return year;
};

export function registerParticipantLists(app: OpenAPIHono<AppEnv>, services: Services): void {
  const { issuance, registry } = services;
  const auth = (c: Context<AppEnv>) => requirePrincipal(c, services);
  const files = barListFiles(services);

  app.openapi(
    createRoute({
      method: "get", path: "/api/bars/{barId}/participant-lists", tags: ["bookkeeping"], security: BEARER,
      summary: "12.3: the participant lists of the events that ended in the year with at least one member of the bar — time, date, place, title, trainers with their field (11.1), hours, programme — with the bar's own members only, each with the minutes attended or taught",
      request: { params: z.object({ barId: barParam }), query: z.object({ year: z.string().optional().openapi({ description: "YYYY, Kazakhstan's calendar year (12.2); default this year" }) }) },
      responses: { 200: jsonResponse(z.looseObject({ barId: z.string(), year: z.number(), count: z.number(), lists: z.array(z.looseObject({})) }), "The lists"), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const { barId } = c.req.valid("param");
      const year = yearOf(c.req.valid("query").year, registry.now());
      const lists = await issuance.participantListsForBar(await auth(c), barId, year);
      const views = await files.views(lists);
      return c.json({ barId, year, count: views.length, lists: views }, 200);
    },
  );

  for (const file of ["csv", "xlsx"] as const) {
    app.openAPIRegistry.registerPath({
      method: "get", path: `/api/bars/{barId}/participant-lists/{eventId}.${file}`, tags: ["bookkeeping"], security: BEARER,
      summary: `12.3: one event's participant list as it reaches the bar, as ${file.toUpperCase()}, with the bar's own members only (404 when none took part)`,
      request: { params: z.object({ barId: barParam, eventId: z.string().openapi({ param: { name: "eventId", in: "path" } }) }), query: z.object({ lang: z.enum(["kk", "ru", "en"]).optional() }) } as RouteConfig["request"],
      responses: { 200: { description: `The list (${file})` }, ...PROBLEM_RESPONSES },
    });
    // The extension is part of the parameter (Hono matches a parameter up to the next slash).
    app.get(`/api/bars/:barId{[a-z-]{2,40}}/participant-lists/:list{${EVENT_ID}\\.${file}}`, async (c) =>
      files.respond(c, await auth(c), c.req.param("barId"), eventIdOf(c.req.param("list")), file),
    );
  }
}

/** The bar's list files (CSV, XLSX), shared by the API (bearer key) and the console (session). */
function barListFiles(services: Services) {
  const { issuance, registry } = services;
  const views = async (lists: BarParticipantList[]): Promise<BarListView[]> => {
    const names = new Map<string, string>();
    for (const id of new Set(lists.map((l) => l.event.partyId))) names.set(id, (await registry.getParty(id))?.name ?? id);
    return lists.map((l) => barListView(l, names.get(l.event.partyId)!, (id) => issuance.certificateUrl(id)));
  };
  const respond = async (c: Context<AppEnv>, principal: Principal, barId: string, eventId: string, file: "csv" | "xlsx"): Promise<Response> => {
    const list = await issuance.participantListForBar(principal, barId, eventId);
    const lang = pickLang(c);
    const [view] = await views([list]);
    const [vocabulary, bars] = await Promise.all([registry.vocabulary(), registry.bars()]);
    const barName = bars.find((b) => b.id === barId)?.names[lang] ?? barId;
    const headers = { "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" };
    const filename = `participants-${barId}-${eventId}-${lang}.${file}`; // ids and codes only: safe in a header
    if (file === "csv") {
      return c.body(barListCsv(view!, vocabulary, barName, lang), 200, { ...headers, "Content-Type": "text/csv; charset=UTF-8", "Content-Disposition": `attachment; filename="${filename}"` });
    }
    // The provider's spreadsheet of the list (src/http/reports), over the bar's members only; the trainers with their
    // field of experience (11.1).
    const d = participantListDocument({ lang, event: list.event, participants: list.participants, organiser: view!.event.organiser.name, vocabulary, bars, generatedAt: registry.now() });
    const bytes = await participantsXlsx({ ...d, event: { ...d.event, trainers: view!.event.trainers.map((tr) => trainerText(tr, lang)) } });
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { ...headers, "Content-Type": REPORT_FILES.xlsx.type, "Content-Disposition": `${REPORT_FILES.xlsx.disposition}; filename="${filename}"`, "Content-Length": String(bytes.length) });
  };
  return { views, respond };
}

/** Issue 16: events a page of the bar's lists (each with all of the bar's members on it). */
const LISTS_PER_PAGE = 10;

/** The bar console's page of lists (12.3) and its downloads; registered by the console module, which lends its session. */
export function registerParticipantListsConsole(app: OpenAPIHono<AppEnv>, services: Services, h: Pick<ConsoleHelpers, "signedIn" | "guarded">): void {
  const { issuance, registry } = services;
  const files = barListFiles(services);
  /** The admin's own bar; the RBA's admin may name one (?bar=). */
  const barOf = (c: Context<AppEnv>, p: Principal): string => {
    const asked = c.req.query("bar");
    if (p.role === "rba-admin" && asked && /^[a-z-]{2,40}$/.test(asked)) return asked;
    const own = administeredBar(p);
    if (!own) throw detailError("forbidden", "console-bar-admin-only");
    return own;
  };

  app.get("/console/participant-lists", async (c) => {
    c.header("Cache-Control", "no-store");
    const session = await h.signedIn(c);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame } = session;
    return h.guarded(c, frame, "/console", async () => {
      const barId = barOf(c, principal);
      const year = yearOf(c.req.query("year"), registry.now());
      const all = await files.views(await issuance.participantListsForBar(principal, barId, year));
      // Issue 16: a year's lists in pages of events, searched by topic, organiser or a member's name or licence.
      const { q, page: asked } = listQuery(c);
      const needle = q.toLowerCase();
      const matching = q === "" ? all : all.filter((l) => [l.event.topic, l.event.organiser.name, ...l.participants.flatMap((p) => [p.fullName, p.licenceNumber])].some((v) => v.toLowerCase().includes(needle)));
      const pages = Math.max(1, Math.ceil(matching.length / LISTS_PER_PAGE));
      const page = Math.min(asked, pages);
      const list = { q, page, pages, total: matching.length, offset: (page - 1) * LISTS_PER_PAGE };
      const [vocabulary, bar] = await Promise.all([registry.vocabulary(), registry.bar(barId)]);
      const members = matching.reduce((n, l) => n + l.participants.length, 0);
      return c.html(
        <ParticipantListsPage
          frame={frame} barId={barId} barName={bar?.names[frame.lang] ?? barId} year={year} lists={matching.slice(list.offset, list.offset + LISTS_PER_PAGE)} vocabulary={vocabulary}
          asOperator={principal.role === "rba-admin"} list={list} members={members}
        />,
      );
    });
  });

  for (const file of ["csv", "xlsx"] as const) {
    app.get(`/console/participant-lists/:list{${EVENT_ID}\\.${file}}`, async (c) => {
      const session = await h.signedIn(c);
      if (!session) return c.redirect("/console/sign-in", 303);
      return h.guarded(c, session.frame, "/console/participant-lists", () => files.respond(c, session.principal, barOf(c, session.principal), eventIdOf(c.req.param("list")!), file));
    });
  }
}
