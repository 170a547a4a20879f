/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * A bar's bookkeeping over HTTP: members and suspensions (2.3), the yearly policy, presented certificates (2.2.4),
 * the compliance report (12.1, 12.2), participant lists from CSV (12.3), surveys (7.5) and the annual analysis (3.2),
 * and the report, the analysis and the lists as a presidium tables them: XLSX and A4 PDF (src/http/reports/).
 */
import { createRoute, z, type OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { FORMS, PROGRAMMES } from "../../domain/catalog.js";
import { ATTACHMENT_EXTENSIONS } from "../../domain/submission.js";
import type { Submission, SubmissionInput, SubmissionService } from "../../compliance/submissions.js";
import { SenimError } from "../../domain/errors.js";
import { fieldProblem } from "../../domain/field-problems.js";
import type { AnnualAnalysis } from "../../compliance/analysis.js";
import type { ComplianceReport } from "../../compliance/service.js";
import { importParticipantsCsv } from "../../issuance/participant-csv.js";
import { CSV_PROBLEM_TEMPLATES, csvLine } from "../../lib/csv.js";
import { requirePrincipal, type AppEnv, type Services } from "../context.js";
import type { Principal } from "../../domain/authz.js";
import { BK, pickLang, t, type Lang } from "../i18n.js";
import { AnalysisPage, CompliancePage, SurveyPage } from "../pages/bookkeeping.js";
import type { CertificateFonts } from "../pdf.js";
import { detailError, problemResponse } from "../problem.js";
import { analysisPdf } from "../reports/analysis-pdf.js";
import { analysisXlsx } from "../reports/analysis-xlsx.js";
import { compliancePdf } from "../reports/compliance-pdf.js";
import { complianceXlsx } from "../reports/compliance-xlsx.js";
import { reportFilename } from "../reports/frame.js";
import { participantListDocument } from "../reports/participant-list.js";
import { participantsPdf } from "../reports/participants-pdf.js";
import { participantsXlsx } from "../reports/participants-xlsx.js";
import { barParam, BEARER, jsonResponse, PROBLEM_RESPONSES, validationError } from "../schemas.js";

/** Upload limits: a CSV of 50,000 members or 20,000 participants fits; anything larger is refused before parsing. */
export const CSV_BODY_LIMIT = 8 * 1024 * 1024;
const SURVEY_BODY_LIMIT = 16 * 1024;

const problems = PROBLEM_RESPONSES;
const json = jsonResponse;
const Any = z.record(z.string(), z.unknown());

const licenceParam = z.string().min(1).max(40).openapi({ param: { name: "licence", in: "path" } });
const yearParam = z.coerce.number().int().min(2000).max(2100).openapi({ param: { name: "year", in: "path" }, example: 2026 });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD");

export const MemberIn = z
  .object({ licence: z.string().trim().min(1).max(40), fullName: z.string().trim().min(1).max(300), admissionDate: date, email: z.string().trim().max(254).nullish() })
  .openapi("MemberInput");
export const SuspensionIn = z.object({ from: date, until: date.nullish(), reason: z.string().trim().max(1000).nullish() }).openapi("SuspensionInput");
export const PolicyIn = z
  .object({
    requiredAcademicHours: z.number().min(0).max(1000).nullish().openapi({ description: "Academic hours (45 min) per year; null = not set (totals only)" }),
    foundationsRule: z.object({ operator: z.enum(["<", ">="]), years: z.number().int().min(0).max(60) }).nullish().openapi({ description: "10.2; null turns the rule off" }),
    teachingCreditPercent: z.number().int().min(0).max(1000).optional().openapi({ description: "5.1.4: 100 = 1:1" }),
    prorate: z.boolean().optional().openapi({ description: "2.3: prorate the quota for suspended days" }),
    foundationsMinimumMinutes: z.number().int().min(1).max(100_000).nullish().openapi({ description: "10.2: the shortest Foundations event (minutes) that completes the course; null = any length" }),
  })
  .openapi("PolicyInput");
const SelfHoursIn = z
  .object({ year: z.number().int().min(2000).max(2100), minutes: z.number().int().min(1).max(100_000), programme: z.enum(PROGRAMMES), description: z.string().trim().min(1).max(1000) })
  .openapi("SelfRecordedHours");

export const SubmissionFields = z
  .object({
    organiser: z.string().trim().min(1).max(500),
    topic: z.string().trim().min(1).max(500),
    programme: z.enum(PROGRAMMES),
    form: z.enum(FORMS),
    completedOn: date.openapi({ description: "The date on the certificate; it counts in that calendar year (12.2)" }),
    academicHours: z.coerce.number().positive().max(1000).openapi({ description: "Academic hours (45 min, 10.6), one decimal" }),
  })
  .openapi("SubmissionFields");
const SubmissionUpload = SubmissionFields.extend({
  attachment: z.any().optional().openapi({ type: "string", format: "binary", description: "Scan or PDF, ≤ 10 MB; PDF, JPEG or PNG by its contents (not its name or declared type)" }),
  credential: z.any().optional().openapi({ type: "string", format: "binary", description: "The signed credential file of another issuer (.jwt or .json), verified on upload" }),
}).openapi("SubmissionUpload");
export const AcceptIn = z.object({ creditedHours: z.coerce.number().positive().max(1000).openapi({ description: "Academic hours credited, ≤ the hours claimed, one decimal" }) }).openapi("SubmissionAccept");
export const RejectIn = z.object({ reason: z.string().trim().min(1).max(2000).openapi({ description: "Shown to the advocate" }) }).openapi("SubmissionReject");

/** A submission as the API shows it, with where its attachment is served (to the bar and the RBA only). */
export const submissionView = (s: Submission) => ({ ...s, attachmentUrl: s.attachment ? `/api/bars/${s.barId}/submissions/${s.id}/attachment` : null });

/** The multipart form of a submission: its fields validated with {@link SubmissionFields}, its two files as bytes. */
export async function readSubmissionForm(form: Record<string, string | File | (string | File)[]>, parse: <Z extends z.ZodType>(schema: Z, value: unknown) => z.output<Z>): Promise<SubmissionInput> {
  const text = (name: string) => {
    const v = form[name];
    return typeof v === "string" ? v : undefined;
  };
  const file = (name: string) => {
    const v = form[name];
    return v instanceof File && v.size > 0 ? v : undefined;
  };
  const fields = parse(SubmissionFields, { organiser: text("organiser"), topic: text("topic"), programme: text("programme"), form: text("form"), completedOn: text("completedOn"), academicHours: text("academicHours") });
  const attachment = file("attachment");
  const credential = file("credential");
  return {
    ...fields,
    attachment: attachment ? { bytes: new Uint8Array(await attachment.arrayBuffer()), name: attachment.name } : null,
    credentialFile: credential ? new Uint8Array(await credential.arrayBuffer()) : null,
  };
}

/** Zod validation for handlers that read forms themselves: failures are the same `invalid_request` with field problems. */
function parseOrRefuse<Z extends z.ZodType>(schema: Z, value: unknown): z.output<Z> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw validationError(r.error.issues, "form");
}

/**
 * An attachment as a download: its sniffed type, `attachment` disposition (never shown inline, so a PDF's scripts or
 * an image's tricks never run under this origin), no sniffing by the browser, no caching outside the reviewer's.
 */
export function attachmentResponse(s: Submission, bytes: Uint8Array, mediaType: keyof typeof ATTACHMENT_EXTENSIONS): Response {
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      "Content-Type": mediaType,
      "Content-Length": String(bytes.length),
      "Content-Disposition": `attachment; filename="submission-${s.id}.${ATTACHMENT_EXTENSIONS[mediaType]}"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}

type Format = "json" | "csv" | "html";
function formatOf(c: Context): Format {
  const f = c.req.query("format");
  if (f === "csv" || f === "html" || f === "json") return f;
  if (f !== undefined) throw detailError("invalid_request", "report-format-invalid");
  const accept = c.req.header("accept") ?? "";
  return accept.includes("text/csv") ? "csv" : accept.includes("text/html") ? "html" : "json";
}

export function complianceCsv(r: ComplianceReport): string {
  const head = ["licence", "full_name", "admission_date", "practice_years", "active_days", "suspended_days", "certificates", "verified_hours", "teaching_hours", "self_recorded_hours_not_counted", "required_hours", "foundations_required", "foundations_done", "status", "accepted_by_bar_hours", "accepted_by_bar"];
  // accepted_by_bar: each outside certificate the bar accepted, as "hours h, topic (organiser), decided by X at T", joined by " | ".
  const accepted = (m: ComplianceReport["members"][number]) => m.acceptedByBar.map((a) => `${a.creditedHours} h, ${a.topic} (${a.organiser}), decided by ${a.decidedBy} at ${a.decidedAt}`).join(" | ");
  const lines = r.members.map((m) =>
    csvLine([m.licence, m.fullName, m.admissionDate, m.practiceYears, m.activeDays, m.suspendedDays, m.certificates, m.verifiedHours, m.teachingHours, m.selfRecordedHours, m.requiredHours, m.foundationsRequired, m.foundationsDone, m.status, m.acceptedByBarHours, accepted(m)]),
  );
  return "\ufeff" + [csvLine(head), ...lines].join("\r\n") + "\r\n";
}

export function analysisCsv(a: AnnualAnalysis): string {
  const rows: (string | number | null)[][] = [["section", "key", "certificates", "academic_hours", "value"]];
  for (const [k, v] of [["events", a.events], ["certificates", a.certificates], ["academic_hours", a.academicHours], ["active_providers", a.activeProviders], ["advocates_trained", a.advocatesTrained]] as const) rows.push(["total", k, null, null, v]);
  for (const [section, list] of [["programme", a.byProgramme], ["form", a.byForm], ["delivery_mode", a.byDeliveryMode]] as const) for (const b of list) rows.push([section, b.code, b.certificates, b.academicHours, null]);
  for (const k of ["responses", "quality", "effectiveness", "usefulness"] as const) rows.push(["survey", k, null, null, a.surveys[k]]);
  for (const k of ["total", "met", "short", "exempt", "no-policy"] as const) rows.push(["members", k, null, null, a.members[k]]);
  for (const b of a.byBar ?? []) rows.push(["bar", b.barId, b.certificates, b.academicHours, null]);
  return "\ufeff" + rows.map(csvLine).join("\r\n") + "\r\n";
}

const csvResponse = (c: Context, body: string, filename: string) =>
  c.body(body, 200, { "Content-Type": "text/csv; charset=UTF-8", "Content-Disposition": `attachment; filename="${filename}"` });

/** The tabled reports' two files (issue 14): a spreadsheet to download, a printable A4 PDF to open. */
export const REPORT_FILES = {
  xlsx: { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", disposition: "attachment" },
  pdf: { type: "application/pdf", disposition: "inline" },
} as const;
type ReportFile = keyof typeof REPORT_FILES;

const reportFileResponse = (c: Context, bytes: Uint8Array, file: ReportFile, filename: string) =>
  c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    "Content-Type": REPORT_FILES[file].type,
    "Content-Disposition": `${REPORT_FILES[file].disposition}; filename="${filename}"`,
    "Content-Length": String(bytes.length),
    // A member list: kept by nobody but the reader, never sniffed into something else.
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
  });

/** 12.1: the report of those short of the duty only (the API's /short, ?only=short, the console's filter). */
export const onlyShort = (r: ComplianceReport): ComplianceReport => ({ ...r, members: r.members.filter((m) => m.status === "short") });

/**
 * The compliance report as a presidium tables it (issue 14), XLSX or A4 PDF in `lang`, for whoever may read the
 * report: the API's files and the console's (issue 16) are this one function.
 */
export async function complianceReportFile(
  c: Context, services: Services, loadFonts: (() => Promise<CertificateFonts>) | undefined, p: Principal, barId: string, year: number, short: boolean, lang: Lang, file: ReportFile,
): Promise<Response> {
  const full = await services.compliance.report(p, barId, year);
  const r = short ? onlyShort(full) : full;
  // 12.1: the year's closings, for the reopenings kept on record (the report itself says whether it is closed).
  const closings = services.closing ? (await services.closing.state(p, r.barId, r.year)).history : [];
  const barName = (await services.registry.bar(r.barId))?.names[lang] ?? r.barId;
  const d = { lang, report: r, onlyShort: short, barName, closings };
  if (file === "pdf" && !loadFonts) throw detailError("internal", "fonts-missing-reports");
  const bytes = file === "xlsx" ? await complianceXlsx(d) : await compliancePdf(d, await loadFonts!());
  return reportFileResponse(c, bytes, file, reportFilename(["compliance", r.barId, r.year, ...(short ? ["short"] : []), lang], file));
}

/** 12.1: `?only=short` lists only the members short of the duty; absent, everyone. */
function onlyShortOf(c: Context): boolean {
  const only = c.req.query("only");
  if (only === undefined) return false;
  if (only === "short") return true;
  throw detailError("invalid_request", "report-only-invalid", undefined, { problems: [fieldProblem("only", "must-be-short")] });
}

export interface BookkeepingOptions {
  /** The TTFs of the printable reports, as of certificates (AppOptions.loadFonts). */
  loadFonts?: () => Promise<CertificateFonts>;
}

export function registerBookkeeping(app: OpenAPIHono<AppEnv>, services: Services, options: BookkeepingOptions = {}): void {
  const { compliance, surveys, analysis, registry, issuance } = services;
  const auth = (c: Context<AppEnv>) => requirePrincipal(c, services);
  const bearer = BEARER;
  const route = <R extends RouteConfig>(r: R) => createRoute({ tags: ["bookkeeping"], security: bearer, ...r });
  const fonts = async () => {
    if (!options.loadFonts) throw detailError("internal", "fonts-missing-reports");
    return options.loadFonts();
  };
  const barName = async (barId: string, lang: Lang) => (await registry.bar(barId))?.names[lang] ?? barId;
  /** A tabled report's OpenAPI entry: one path per file, the same parameters as its JSON form. */
  const filePath = (path: string, summary: string, request: RouteConfig["request"]) =>
    (["xlsx", "pdf"] as const).forEach((file) =>
      app.openAPIRegistry.registerPath({
        method: "get", path: `${path}.${file}`, tags: ["bookkeeping"], security: bearer, summary: `${summary} (${file === "xlsx" ? "XLSX spreadsheet" : "printable A4 PDF"}, ?lang=kk|ru|en or Accept-Language)`,
        request,
        responses: { 200: { description: summary, content: { [REPORT_FILES[file].type]: { schema: z.string().openapi({ format: "binary" }) } } }, ...problems },
      }),
    );

  // ---- members and suspensions (2.3) --------------------------------------------------------------------------------

  app.openapi(
    route({ method: "get", path: "/api/bars/{barId}/members", summary: "The bar's members (bar-admin of the bar)", request: { params: z.object({ barId: barParam }) }, responses: { 200: json(Any, "Members"), ...problems } }),
    async (c) => {
      const members = await compliance.listMembers(await auth(c), c.req.valid("param").barId);
      return c.json({ count: members.length, members }, 200);
    },
  );

  app.openapi(
    route({
      method: "post", path: "/api/bars/{barId}/members", summary: "Add or update a member: licence, name, admission date, optional e-mail",
      request: { params: z.object({ barId: barParam }), body: { content: { "application/json": { schema: MemberIn } }, required: true } },
      responses: { 201: json(Any, "The member"), ...problems },
    }),
    async (c) => c.json(await compliance.upsertMember(await auth(c), c.req.valid("param").barId, c.req.valid("json")), 201),
  );

  app.openAPIRegistry.registerPath({
    method: "post", path: "/api/bars/{barId}/members.csv", tags: ["bookkeeping"], security: bearer,
    summary: "Import members from CSV (licence, name, admission date, email; `,` or `;`). Validated whole; every bad row reported with its line; nothing stored unless all are valid.",
    request: { params: z.object({ barId: barParam }), body: { content: { "text/csv": { schema: z.string() } }, required: true } } as RouteConfig["request"],
    responses: { 201: json(z.object({ imported: z.number() }), "Imported"), ...problems, 413: { description: "Larger than 8 MiB" } },
  });
  app.post("/api/bars/:barId{[a-z-]{2,40}}/members.csv", async (c) => {
    const p = await auth(c);
    const text = await readCsvBody(c);
    return c.json(await compliance.importMembersCsv(p, c.req.param("barId"), text), 201);
  });

  app.openapi(
    route({ method: "get", path: "/api/bars/{barId}/members/{licence}", summary: "One member with their suspensions", request: { params: z.object({ barId: barParam, licence: licenceParam }) }, responses: { 200: json(Any, "The member"), ...problems } }),
    async (c) => {
      const { barId, licence } = c.req.valid("param");
      return c.json(await compliance.requireMember(await auth(c), barId, licence), 200);
    },
  );

  app.openapi(
    route({ method: "delete", path: "/api/bars/{barId}/members/{licence}", summary: "Remove a member (their suspensions stay on record)", request: { params: z.object({ barId: barParam, licence: licenceParam }) }, responses: { 204: { description: "Removed" }, ...problems } }),
    async (c) => {
      const { barId, licence } = c.req.valid("param");
      await compliance.deleteMember(await auth(c), barId, licence);
      return c.body(null, 204);
    },
  );

  app.openapi(
    route({
      method: "post", path: "/api/bars/{barId}/members/{licence}/suspensions", summary: "Record a licence suspension (2.3): dates inclusive, `until` open while it lasts",
      request: { params: z.object({ barId: barParam, licence: licenceParam }), body: { content: { "application/json": { schema: SuspensionIn } }, required: true } },
      responses: { 201: json(Any, "The suspension"), ...problems },
    }),
    async (c) => {
      const { barId, licence } = c.req.valid("param");
      return c.json(await compliance.addSuspension(await auth(c), barId, licence, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    route({ method: "delete", path: "/api/bars/{barId}/suspensions/{id}", summary: "Delete a suspension recorded in error", request: { params: z.object({ barId: barParam, id: z.string().regex(/^[0-9a-z]{1,40}$/).openapi({ param: { name: "id", in: "path" } }) }) }, responses: { 204: { description: "Deleted" }, ...problems } }),
    async (c) => {
      const { barId, id } = c.req.valid("param");
      await compliance.deleteSuspension(await auth(c), barId, id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    route({
      method: "post", path: "/api/bars/{barId}/members/{licence}/self-recorded", summary: "Hours the advocate recorded themselves (2.2.2): shown apart, never counted as verified",
      request: { params: z.object({ barId: barParam, licence: licenceParam }), body: { content: { "application/json": { schema: SelfHoursIn } }, required: true } },
      responses: { 201: json(Any, "The self-recorded entry (never counted as verified)"), ...problems },
    }),
    async (c) => {
      const { barId, licence } = c.req.valid("param");
      return c.json(await compliance.recordSelfHours(await auth(c), barId, licence, c.req.valid("json")), 201);
    },
  );

  // ---- policy -------------------------------------------------------------------------------------------------------

  app.openapi(
    route({ method: "get", path: "/api/bars/{barId}/policies/{year}", summary: "The bar's policy for a calendar year (defaults until set; 10.2 source wording beside the rule)", request: { params: z.object({ barId: barParam, year: yearParam }) }, responses: { 200: json(Any, "The policy"), ...problems } }),
    async (c) => {
      const { barId, year } = c.req.valid("param");
      return c.json(await compliance.policy(await auth(c), barId, year), 200);
    },
  );

  app.openapi(
    route({
      method: "put", path: "/api/bars/{barId}/policies/{year}", summary: "Set the bar's policy for a year: required hours, 10.2 rule, teaching credit (5.1.4), proration (2.3)",
      request: { params: z.object({ barId: barParam, year: yearParam }), body: { content: { "application/json": { schema: PolicyIn } }, required: true } },
      responses: { 200: json(Any, "The policy"), ...problems },
    }),
    async (c) => {
      const { barId, year } = c.req.valid("param");
      return c.json(await compliance.setPolicy(await auth(c), barId, year, c.req.valid("json")), 200);
    },
  );

  // ---- compliance report (12.1, 12.2) -------------------------------------------------------------------------------

  const reportPath = (suffix: string, summary: string) =>
    app.openAPIRegistry.registerPath({
      method: "get", path: `/api/bars/{barId}/compliance/{year}${suffix}`, tags: ["bookkeeping"], security: bearer, summary,
      request: { params: z.object({ barId: barParam, year: yearParam }), query: z.object({ format: z.enum(["json", "csv", "html"]).optional() }) },
      responses: { 200: { description: summary, content: { "application/json": { schema: Any }, "text/csv": { schema: z.string() }, "text/html": { schema: z.string() } } }, ...problems },
    });
  reportPath("", "Compliance report: every member's verified hours, self-recorded hours apart, prorated requirement, Foundations, status (met/short/exempt/no-policy); ?format=json|csv|html");
  reportPath("/short", "12.1: the members short of the duty (final once the year has ended); ?format=json|csv|html");

  /** The report every form of it shows, under the one check of who may read it (12.1: `onlyShort`, the short only). */
  const loadReport = async (c: Context<AppEnv>, short: boolean): Promise<ComplianceReport> => {
    const { barId, year } = yearAndBar(c);
    const full = await compliance.report(await auth(c), barId, year);
    return short ? onlyShort(full) : full;
  };
  const report = async (c: Context<AppEnv>, onlyShort: boolean) => {
    const format = formatOf(c);
    const r = await loadReport(c, onlyShort);
    const { barId, year } = r;
    if (format === "csv") return csvResponse(c, complianceCsv(r), `compliance-${barId}-${year}${onlyShort ? "-short" : ""}.csv`);
    if (format === "html") {
      c.header("Vary", "Accept-Language");
      return c.html(<CompliancePage lang={pickLang(c)} report={r} bars={await registry.bars()} path={c.req.path} />);
    }
    return c.json(r, 200);
  };
  app.get("/api/bars/:barId{[a-z-]{2,40}}/compliance/:year{[0-9]{4}}", (c) => report(c, false));
  app.get("/api/bars/:barId{[a-z-]{2,40}}/compliance/:year{[0-9]{4}}/short", (c) => report(c, true));

  // The report a presidium tables (issue 14): XLSX and A4 PDF in the reader's language, `?only=short` for 12.1's list.
  const yearRequest = { params: z.object({ barId: barParam, year: yearParam }), query: z.object({ lang: z.enum(["kk", "ru", "en"]).optional() }) };
  filePath("/api/bars/{barId}/compliance/{year}", "12.1, 12.2: the compliance report, every member or ?only=short for those short of the duty", {
    ...yearRequest,
    query: yearRequest.query.extend({ only: z.enum(["short"]).optional() }),
  });
  const reportFile = async (c: Context<AppEnv>, file: ReportFile) => {
    const { barId, year } = yearAndBar(c);
    return complianceReportFile(c, services, options.loadFonts, await auth(c), barId, year, onlyShortOf(c), pickLang(c), file);
  };
  app.get("/api/bars/:barId{[a-z-]{2,40}}/compliance/:year{[0-9]{4}\\.xlsx}", (c) => reportFile(c, "xlsx"));
  app.get("/api/bars/:barId{[a-z-]{2,40}}/compliance/:year{[0-9]{4}\\.pdf}", (c) => reportFile(c, "pdf"));

  // ---- outside and paper certificates (2.2(2), 7.5): submissions and their review ---------------------------------

  registerSubmissions(app, services, auth);

  // ---- annual analysis (3.2) ----------------------------------------------------------------------------------------

  app.openAPIRegistry.registerPath({
    method: "get", path: "/api/bars/{barId}/analysis/{year}", tags: ["bookkeeping"], security: bearer,
    summary: "3.2 annual analysis (barId `rba` for the whole country): events, certificates, hours by programme/form/delivery, providers, surveys, members' status; ?format=json|csv|html (SVG charts)",
    request: { params: z.object({ barId: barParam, year: yearParam }), query: z.object({ format: z.enum(["json", "csv", "html"]).optional() }) },
    responses: { 200: { description: "The analysis", content: { "application/json": { schema: Any }, "text/csv": { schema: z.string() }, "text/html": { schema: z.string() } } }, ...problems },
  });
  /** The analysis every form of it shows, under the one check of who may read it. */
  const loadAnalysis = async (c: Context<AppEnv>) => {
    const { barId, year } = yearAndBar(c);
    return analysis.analysis(await auth(c), barId, year);
  };
  app.get("/api/bars/:barId{[a-z-]{2,40}}/analysis/:year{[0-9]{4}}", async (c) => {
    const format = formatOf(c);
    const a = await loadAnalysis(c);
    const { barId, year } = a;
    if (format === "csv") return csvResponse(c, analysisCsv(a), `analysis-${barId}-${year}.csv`);
    if (format === "html") {
      c.header("Vary", "Accept-Language");
      return c.html(<AnalysisPage lang={pickLang(c)} analysis={a} bars={await registry.bars()} vocabulary={await registry.vocabulary()} path={c.req.path} />);
    }
    return c.json(a, 200);
  });
  filePath("/api/bars/{barId}/analysis/{year}", "3.2: the annual analysis with its charts (drawn in the PDF; their figures on a sheet of the XLSX)", yearRequest);
  const analysisFile = async (c: Context<AppEnv>, file: ReportFile) => {
    const a = await loadAnalysis(c);
    const lang = pickLang(c);
    const d = { lang, analysis: a, barName: await barName(a.barId, lang), bars: await registry.bars(), vocabulary: await registry.vocabulary() };
    const bytes = file === "xlsx" ? await analysisXlsx(d) : await analysisPdf(d, await fonts());
    return reportFileResponse(c, bytes, file, reportFilename(["analysis", a.barId, a.year, lang], file));
  };
  app.get("/api/bars/:barId{[a-z-]{2,40}}/analysis/:year{[0-9]{4}\\.xlsx}", (c) => analysisFile(c, "xlsx"));
  app.get("/api/bars/:barId{[a-z-]{2,40}}/analysis/:year{[0-9]{4}\\.pdf}", (c) => analysisFile(c, "pdf"));

  // ---- surveys (7.5) ------------------------------------------------------------------------------------------------

  app.openapi(
    route({ method: "get", path: "/api/bars/{barId}/surveys", summary: "7.5: survey results of the providers this bar accredited, per event and per provider (rba: all)", request: { params: z.object({ barId: barParam }) }, responses: { 200: json(Any, "Results"), ...problems } }),
    async (c) => c.json(await surveys.results(await auth(c), { barId: c.req.valid("param").barId }), 200),
  );
  app.openapi(
    route({ method: "get", path: "/api/parties/{id}/surveys", summary: "7.5: a provider's own survey results, per event and overall", request: { params: z.object({ id: z.string().regex(/^[0-9a-z]{1,40}$/).openapi({ param: { name: "id", in: "path" } }) }) }, responses: { 200: json(Any, "Results"), ...problems } }),
    async (c) => c.json(await surveys.results(await auth(c), { partyId: c.req.valid("param").id }), 200),
  );

  // The survey page is the participant's: its URL holds their one-time token (random, given only to them; the
  // database keeps its HMAC). The certificate id, which is public, opens nothing.
  const tokenParam = z.string().openapi({ param: { name: "token", in: "path" }, description: "The participant's survey token (from the provider, or printed on their PDF)" });
  app.openAPIRegistry.registerPath({
    method: "get", path: "/survey/{token}", tags: ["public"], summary: "The participant's one-time anonymous survey (7.5), HTML form; 404 for an unknown or replaced link",
    request: { params: z.object({ token: tokenParam }) }, responses: { 200: { description: "The form", content: { "text/html": { schema: z.string() } } }, 404: { description: "No survey has this link" } },
  });
  app.openAPIRegistry.registerPath({
    method: "post", path: "/survey/{token}", tags: ["public"], summary: "Answer the survey once: quality, effectiveness, usefulness 1–5 and an optional comment (form or JSON). 409 when already answered.",
    request: { params: z.object({ token: tokenParam }) },
    responses: { 201: { description: "Recorded" }, 409: { description: "Already answered" }, 400: { description: "Bad ratings" }, 404: { description: "No survey has this link" } },
  });
  app.openAPIRegistry.registerPath({
    method: "post", path: "/api/events/{id}/survey-links", tags: ["issuing"], security: bearer,
    summary: "7.5: fresh survey links for the event's participants, to deliver to each of them (a new link replaces the earlier one; answered or revoked certificates get none)",
    request: { params: z.object({ id: z.string() }) }, responses: { 201: json(Any, "The links, one per certificate"), ...problems },
  });

  const surveyHeaders = (c: Context) => {
    c.header("Cache-Control", "no-store");
    c.header("Vary", "Accept-Language");
    // The token is in the URL: no other site may learn it from a Referer.
    c.header("Referrer-Policy", "no-referrer");
  };
  /** The certificate the token opens and its topic, or undefined for an unknown token. */
  const surveyFor = async (token: string) => {
    const id = await surveys.certificateForToken(token);
    const cert = id ? await issuance.getCertificate(id) : undefined;
    if (!cert) return undefined;
    const credential = issuance.credentialOf(cert) as { name?: unknown };
    return { cert, topic: typeof credential.name === "string" ? credential.name : "" };
  };
  const TOKEN = "{[A-Za-z0-9_-]{1,64}}";
  app.get(`/survey/:token${TOKEN}`, async (c) => {
    const token = c.req.param("token");
    surveyHeaders(c);
    const found = await surveyFor(token);
    if (!found) return c.html(<SurveyPage lang={pickLang(c)} token={token} topic="" state="unknown" />, 404);
    return c.html(<SurveyPage lang={pickLang(c)} token={token} topic={found.topic} state={(await surveys.isAnswered(found.cert.id)) ? "answered" : "open"} />);
  });
  app.post(
    `/survey/:token${TOKEN}`,
    bodyLimit({ maxSize: SURVEY_BODY_LIMIT, onError: (c) => problemResponse(c, detailError("payload_too_large", "body-too-large", { max: SURVEY_BODY_LIMIT })) }),
    async (c) => {
      const token = c.req.param("token");
      surveyHeaders(c);
      const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      const isForm = type === "application/x-www-form-urlencoded" || type === "multipart/form-data";
      const found = await surveyFor(token);
      if (!found) {
        if (isForm) return c.html(<SurveyPage lang={pickLang(c)} token={token} topic="" state="unknown" />, 404);
        throw detailError("not_found", "survey-link-unknown");
      }
      const { topic } = found;
      let raw: Record<string, unknown>;
      if (isForm) raw = Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, typeof v === "string" ? v : ""]));
      else {
        try {
          raw = (await c.req.json()) as Record<string, unknown>;
        } catch {
          throw detailError("invalid_json", "survey-answer-unreadable");
        }
      }
      const rating = (v: unknown) => (typeof v === "string" && /^[1-5]$/.test(v) ? Number(v) : v);
      const parsed = z
        .object({ quality: z.number().int().min(1).max(5), effectiveness: z.number().int().min(1).max(5), usefulness: z.number().int().min(1).max(5), comment: z.string().max(2000).nullish() })
        .safeParse({ quality: rating(raw?.quality), effectiveness: rating(raw?.effectiveness), usefulness: rating(raw?.usefulness), comment: raw?.comment === "" ? null : raw?.comment });
      // A form without its three ratings (the radios are required; an old browser may still send it): the survey
      // again with what is missing, in the page's language, rather than a problem document in the browser.
      if (!parsed.success && isForm) return c.html(<SurveyPage lang={pickLang(c)} token={token} topic={topic} state="open" error={t(BK.surveyRatingsMissing, pickLang(c))} />, 400);
      if (!parsed.success) {
        throw detailError("invalid_request", "survey-ratings-required", undefined, { problems: parsed.error.issues.map((i) => ({ path: i.path.join("/"), message: i.message })) });
      }
      try {
        await surveys.answer(token, parsed.data);
      } catch (e) {
        if (isForm && e instanceof SenimError && e.code === "survey_already_answered") return c.html(<SurveyPage lang={pickLang(c)} token={token} topic={topic} state="answered" />, 409);
        throw e;
      }
      if (isForm) return c.html(<SurveyPage lang={pickLang(c)} token={token} topic={topic} state="thanks" />, 201);
      return c.json({ recorded: true }, 201);
    },
  );
  app.post("/api/events/:id{[0-9a-z]{1,40}}/survey-links", async (c) => {
    const links = await surveys.renewLinks(await auth(c), c.req.param("id"));
    c.header("Cache-Control", "no-store");
    return c.json({ eventId: c.req.param("id"), links }, 201);
  });

  // ---- participant lists from CSV (12.3) ----------------------------------------------------------------------------

  app.openAPIRegistry.registerPath({
    method: "put", path: "/api/events/{id}/participants.csv", tags: ["issuing"], security: bearer,
    summary: "12.3: replace the event's participant list from CSV (date, time, place, course, trainers, hours, programme; licence, name, bar, role, email). Validated whole; every bad row reported with its line; nothing stored unless all are valid.",
    request: { params: z.object({ id: z.string() }), body: { content: { "text/csv": { schema: z.string() } }, required: true } } as RouteConfig["request"],
    responses: { 200: json(Any, "The stored list"), ...problems, 413: { description: "Larger than 8 MiB" } },
  });
  app.put("/api/events/:id{[0-9a-z]{1,40}}/participants.csv", async (c) => {
    const p = await auth(c);
    const text = await readCsvBody(c);
    const list = await importParticipantsCsv({ issuance, registry }, p, c.req.param("id"), text);
    return c.json({ count: list.length, participants: list }, 200);
  });

  // 12.3: the list as the provider files it, XLSX and A4 PDF, under the JSON list's check (the event's own provider).
  filePath("/api/events/{id}/participants", "12.3: the event's participant list with the event's time, date, place, title, trainers, hours and programme", {
    params: z.object({ id: z.string().regex(/^[0-9a-z]{1,40}$/).openapi({ param: { name: "id", in: "path" } }) }),
    query: z.object({ lang: z.enum(["kk", "ru", "en"]).optional() }),
  });
  const participantsFile = async (c: Context<AppEnv>, file: ReportFile) => {
    const p = await auth(c);
    const event = await issuance.ownEvent(p, c.req.param("id")!);
    const participants = await issuance.listParticipants(p, event.id);
    const lang = pickLang(c);
    const d = participantListDocument({
      lang, event, participants, organiser: (await registry.getParty(event.partyId))?.name ?? event.partyId,
      vocabulary: await registry.vocabulary(), bars: await registry.bars(), generatedAt: registry.now(),
    });
    const bytes = file === "xlsx" ? await participantsXlsx(d) : await participantsPdf(d, await fonts());
    return reportFileResponse(c, bytes, file, reportFilename(["participants", event.id, lang], file));
  };
  app.get("/api/events/:id{[0-9a-z]{1,40}}/participants.xlsx", (c) => participantsFile(c, "xlsx"));
  app.get("/api/events/:id{[0-9a-z]{1,40}}/participants.pdf", (c) => participantsFile(c, "pdf"));
}

/** The path's bar and year (the year's parameter may end in the file's extension: `2026.xlsx`). */
function yearAndBar(c: Context): { barId: string; year: number } {
  const year = Number(c.req.param("year")!.slice(0, 4));
  if (year < 2000 || year > 2100) throw detailError("invalid_request", "year-out-of-range");
  return { barId: c.req.param("barId")!, year };
}

/** A CSV body: text/csv (or text/plain), UTF-8, at most {@link CSV_BODY_LIMIT} bytes (the /api body limit enforces it). */
async function readCsvBody(c: Context): Promise<string> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "text/csv" && type !== "text/plain" && type !== "application/csv") throw detailError("unsupported_media_type", "csv-media-type");
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw detailError("invalid_csv", "csv-not-utf8", undefined, { problems: [{ path: "line 1", message: CSV_PROBLEM_TEMPLATES["not-utf8"], code: "not-utf8", params: { line: 1 } }] });
  }
}

/**
 * The review API. Upload is multipart/form-data (fields and the two files as parts, so a 10 MB scan is sent as bytes,
 * not as 13.4 MB of base64), under its own body limit (BODY_LIMITS.submissions, 11 MiB, src/http/routes/api.ts).
 */
function registerSubmissions(app: OpenAPIHono<AppEnv>, services: Services, auth: (c: Context<AppEnv>) => Promise<import("../../domain/authz.js").Principal>): void {
  const service = (): SubmissionService => {
    if (!services.submissions) throw detailError("not_found", "submissions-unavailable");
    return services.submissions;
  };
  const bearer = BEARER;
  const idParam = z.string().regex(/^[0-9a-z]{1,40}$/).openapi({ param: { name: "id", in: "path" } });
  const route = <R extends RouteConfig>(r: R) => createRoute({ tags: ["submissions"], security: bearer, ...r });

  app.openAPIRegistry.registerPath({
    method: "post", path: "/api/bars/{barId}/members/{licence}/submissions", tags: ["submissions"], security: bearer,
    summary: "Enter an outside or paper certificate on the advocate's behalf (bar-admin of the bar, or the RBA): multipart/form-data with the fields, `attachment` (scan or PDF ≤ 10 MB, PDF/JPEG/PNG by content) and/or `credential` (a signed .jwt or .json, verified on upload). Pending until reviewed.",
    request: { params: z.object({ barId: barParam, licence: licenceParam }), body: { content: { "multipart/form-data": { schema: SubmissionUpload } }, required: true } } as RouteConfig["request"],
    responses: { 201: json(Any, "The submission, pending review"), ...problems, 413: { description: "Body over 11 MiB or attachment over 10 MB" }, 415: { description: "The attachment is not PDF, JPEG or PNG by its contents" } },
  });
  app.post("/api/bars/:barId{[a-z-]{2,40}}/members/:licence{[^/]{1,40}}/submissions", async (c) => {
    const p = await auth(c);
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "multipart/form-data") throw detailError("unsupported_media_type", "submission-media-type");
    const input = await readSubmissionForm((await c.req.parseBody()) as Record<string, string | File>, parseOrRefuse);
    const s = await service().submitOnBehalf(p, c.req.param("barId"), c.req.param("licence"), input);
    return c.json(submissionView(s), 201);
  });

  app.openapi(
    route({
      method: "get", path: "/api/bars/{barId}/submissions", summary: "The bar's submissions, pending first (bar-admin of the bar, or the RBA)",
      request: { params: z.object({ barId: barParam }), query: z.object({ status: z.enum(["pending", "accepted", "rejected"]).optional(), licence: z.string().max(40).optional() }) },
      responses: { 200: json(Any, "Submissions"), ...problems },
    }),
    async (c) => {
      const list = await service().list(await auth(c), c.req.valid("param").barId, c.req.valid("query"));
      return c.json({ count: list.length, submissions: list.map(submissionView) }, 200);
    },
  );

  app.openapi(
    route({ method: "get", path: "/api/bars/{barId}/submissions/{id}", summary: "One submission with its verification result", request: { params: z.object({ barId: barParam, id: idParam }) }, responses: { 200: json(Any, "The submission"), ...problems } }),
    async (c) => {
      const { barId, id } = c.req.valid("param");
      return c.json(submissionView(await service().get(await auth(c), barId, id)), 200);
    },
  );

  app.openAPIRegistry.registerPath({
    method: "get", path: "/api/bars/{barId}/submissions/{id}/attachment", tags: ["submissions"], security: bearer,
    summary: "The submission's scan or PDF, as a download with its sniffed type (the member's bar and the RBA only)",
    request: { params: z.object({ barId: barParam, id: idParam }) },
    responses: { 200: { description: "The file", content: { "application/pdf": { schema: z.string() }, "image/jpeg": { schema: z.string() }, "image/png": { schema: z.string() } } }, ...problems },
  });
  app.get("/api/bars/:barId{[a-z-]{2,40}}/submissions/:id{[0-9a-z]{1,40}}/attachment", async (c) => {
    const { submission, attachment } = await service().attachment(await auth(c), c.req.param("barId"), c.req.param("id"));
    return attachmentResponse(submission, attachment.bytes, attachment.mediaType);
  });

  app.openapi(
    route({
      method: "post", path: "/api/bars/{barId}/submissions/{id}/accept", summary: "Accept with the hours it credits (≤ claimed); final, 409 once decided",
      request: { params: z.object({ barId: barParam, id: idParam }), body: { content: { "application/json": { schema: AcceptIn } }, required: true } },
      responses: { 200: json(Any, "The decided submission"), ...problems },
    }),
    async (c) => {
      const { barId, id } = c.req.valid("param");
      return c.json(submissionView(await service().accept(await auth(c), barId, id, c.req.valid("json").creditedHours)), 200);
    },
  );

  app.openapi(
    route({
      method: "post", path: "/api/bars/{barId}/submissions/{id}/reject", summary: "Reject with a reason the advocate sees; final, 409 once decided",
      request: { params: z.object({ barId: barParam, id: idParam }), body: { content: { "application/json": { schema: RejectIn } }, required: true } },
      responses: { 200: json(Any, "The decided submission"), ...problems },
    }),
    async (c) => {
      const { barId, id } = c.req.valid("param");
      return c.json(submissionView(await service().reject(await auth(c), barId, id, c.req.valid("json").reason)), 200);
    },
  );
}
