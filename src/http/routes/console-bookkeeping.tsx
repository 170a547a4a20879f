/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The bookkeeping pages of the consoles (issue 6's services behind issue 7's sessions): a bar's members, CSV import and
 * suspensions (2.3), the year's policy, the compliance report (12.1) and the annual analysis (3.2); a provider's survey
 * results (7.5). The handlers call the same services as /api/bars/… with the session's principal, and validate forms
 * with the same schemas, so the same rules decide (src/domain/authz.ts).
 */
import type { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { administeredBar, mayCloseYear, type Principal } from "../../domain/authz.js";
import { keyedError, SenimError } from "../../domain/errors.js";
import { en } from "../i18n/en.js";
import { csvLine, fillTemplate } from "../../lib/csv.js";
import { detailError, httpStatusOf, toSenimError } from "../problem.js";
import { kzDate } from "../../domain/time.js";
import type { AppEnv, Services } from "../context.js";
import { BLISTS_T, detailText, t, UI, type Lang } from "../i18n.js";
import type { ConsoleFrame } from "../pages/console.js";
import { ConsoleAnalysisPage, ConsoleCompliancePage, MembersPage, PolicyPage, RemindersPage, SubmissionReviewPage, SubmissionsPage, SurveyLinksPage, SurveyResultsPage, type ListPage, type RefusedForm } from "../pages/console-bookkeeping.js";
import type { ComplianceReport } from "../../compliance/service.js";
import type { CertificateFonts } from "../pdf.js";
import type { FieldProblem } from "../../domain/errors.js";
import { AcceptIn, attachmentResponse, complianceReportFile, MemberIn, onlyShort, PolicyIn, readSubmissionForm, RejectIn, SuspensionIn } from "./bookkeeping.js";
import { CloseIn, MeasureIn, ReopenIn } from "./year-closing.js";

type Form = Record<string, string | File | (string | File)[]>;

/** What the console module lends: its session check, its error pages, and its form readers. */
export interface ConsoleHelpers {
  signedIn(c: Context<AppEnv>, post?: boolean): Promise<{ principal: Principal; frame: ConsoleFrame; form: Form } | undefined>;
  guarded(c: Context<AppEnv>, frame: ConsoleFrame, back: string, action: () => Promise<Response>): Promise<Response>;
  field(form: Form, name: string): string;
  parse<Z extends z.ZodType>(schema: Z, value: unknown): z.output<Z>;
  /** The TTFs of the printable reports (AppOptions.loadFonts), for the compliance report's PDF. */
  loadFonts?: () => Promise<CertificateFonts>;
}

/** Issue 16: rows per page of a console list (2,000 members on one page took 13 s to load). */
export const LIST_PAGE_SIZE = 100;
/** The longest search a list accepts: a name or a licence, not a document. */
const SEARCH_MAX = 100;
/** A refused form's text is shown again up to this size; a larger CSV is not copied back into the page (300 KB). */
const REFILL_MAX = 64_000;
/** Refusals a page answers with the form again; the others (who you are, what exists) keep the error page. */
const NOT_REFILLED = new Set(["unauthenticated", "forbidden", "not_found", "rate_limited", "payload_too_large"]);

/** `?q=` and `?page=` of a console list: the search trimmed and bounded, the page a whole number from 1. */
export function listQuery(c: Context): { q: string; page: number } {
  const q = (c.req.query("q") ?? "").trim().slice(0, SEARCH_MAX);
  const page = Number(c.req.query("page") ?? "1");
  return { q, page: Number.isInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1 };
}

/** The page `page` of `total` rows, moved back onto the last page when it asks past the end. */
export function listPage(page: number, total: number, q: string): ListPage {
  const pages = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
  const current = Math.min(page, pages);
  return { q, page: current, pages, total, offset: (current - 1) * LIST_PAGE_SIZE };
}

/** A required field left empty (or a box left unticked): the form's one problem, with the schemas' code and wording. */
const formProblem = (path: string) => keyedError("invalid_request", en.problemDetails, "form-problems", { count: 1 }, { problems: [{ path, message: "required", code: "value-required" }] });

/**
 * The compliance report's rows a console search keeps: the name or licence contains the text, in any letter case.
 * The report's rows are computed, not stored, so they are searched here; the members' list is searched by its store.
 */
const matchesSearch = (m: { licence: string; fullName: string }, q: string): boolean => {
  const needle = q.toLowerCase();
  return m.fullName.toLowerCase().includes(needle) || m.licence.toLowerCase().includes(needle);
};

/** The members' list as CSV, headed in the reader's language with names the members' import reads back (2.3). */
export function membersCsv(members: { licence: string; fullName: string; admissionDate: string; email: string | null }[], lang: Lang): string {
  const L = BLISTS_T;
  const lines = [csvLine([t(L.csvLicence, lang), t(L.csvName, lang), t(L.csvAdmission, lang), t(L.csvEmail, lang)])];
  for (const m of members) lines.push(csvLine([m.licence, m.fullName, m.admissionDate, m.email ?? ""]));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

const LICENCE = "[^/]{1,40}";
const ID = "[0-9a-z]{1,40}";

export function registerBookkeepingConsole(app: OpenAPIHono<AppEnv>, services: Services, h: ConsoleHelpers): void {
  const { registry, compliance, analysis, surveys } = services;
  const { signedIn, guarded, field, parse } = h;

  /** The bar the page is about: the admin's own; the RBA's admin may name a bar (?bar=) to read its reports. */
  const barOf = (c: Context<AppEnv>, p: Principal): string => {
    const asked = c.req.query("bar");
    if (p.role === "rba-admin" && asked && /^[a-z-]{2,40}$/.test(asked)) return asked;
    const own = administeredBar(p);
    if (!own) throw detailError("forbidden", "console-bar-admin-only");
    return own;
  };
  const yearOf = (value: string | undefined): number => {
    if (value === undefined || value === "") return Number(kzDate(registry.now()).slice(0, 4));
    const year = Number(value);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw detailError("invalid_request", "year-out-of-range");
    return year;
  };
  const barName = async (barId: string, lang: "kk" | "ru" | "en") => (await registry.bar(barId))?.names[lang] ?? barId;
  const notice = (c: Context<AppEnv>, frame: ConsoleFrame) => (c.req.query("done") ? t(UI.done, frame.lang) : undefined);

  /** A signed-in page: redirects to sign-in without a session; refusals are shown as pages. */
  const page = (path: string, render: (c: Context<AppEnv>, s: { principal: Principal; frame: ConsoleFrame }) => Promise<Response>) =>
    app.get(path, async (c) => {
      c.header("Cache-Control", "no-store");
      const session = await signedIn(c);
      if (!session) return c.redirect("/console/sign-in", 303);
      return guarded(c, session.frame, "/console", () => render(c, session));
    });
  /** A form post: session and CSRF checked, then the action; success goes back to `back` with a notice. */
  const action = (path: string, back: string, run: (c: Context<AppEnv>, s: { principal: Principal; form: Form }) => Promise<string | void>) =>
    app.post(path, async (c) => {
      const session = await signedIn(c, true);
      if (!session) return c.redirect("/console/sign-in", 303);
      return guarded(c, session.frame, back, async () => c.redirect((await run(c, session)) ?? `${back}${back.includes("?") ? "&" : "?"}done=1`, 303));
    });

  /**
   * Issue 16: a form post that, when refused, answers with its page again — what the user typed, the problems beside
   * their fields, in the page's language, with the refusal's 4xx status — rather than a page whose "back" opens an
   * empty form. `fields` are the form's names to show again; `again` draws the page with them.
   */
  const refillable = (
    path: string,
    back: string,
    opts: {
      form: (c: Context<AppEnv>) => string;
      fields: string[];
      run: (c: Context<AppEnv>, s: { principal: Principal; form: Form }) => Promise<string | void>;
      again: (c: Context<AppEnv>, s: { principal: Principal; frame: ConsoleFrame }, refused: RefusedForm, status: number) => Promise<Response>;
    },
  ) =>
    app.post(path, async (c) => {
      const session = await signedIn(c, true);
      if (!session) return c.redirect("/console/sign-in", 303);
      return guarded(c, session.frame, back, async () => {
        try {
          return c.redirect((await opts.run(c, session)) ?? `${back}${back.includes("?") ? "&" : "?"}done=1`, 303);
        } catch (err) {
          const e = toSenimError(err);
          const status = httpStatusOf(e);
          if (status < 400 || status >= 500 || NOT_REFILLED.has(e.code)) throw err;
          const lang = session.frame.lang;
          const values: Record<string, string> = {};
          for (const name of opts.fields) {
            const v = field(session.form, name);
            if (v.length <= REFILL_MAX) values[name] = v;
          }
          // A CSV file's problems are counted in the page's language; other details by their key (as guarded does).
          const count = e.extra.problemCount;
          const detail = e.code === "invalid_csv" && typeof count === "number" ? fillTemplate(t(UI.csvProblemCount, lang), { count }) : detailText(e, lang);
          c.header("Cache-Control", "no-store");
          return opts.again(c, session, { form: opts.form(c), values, problems: e.problems.slice(0, 50), detail, fileSent: hasFile(session.form) }, status);
        }
      });
    });
  const hasFile = (form: Form) => Object.values(form).some((v) => (Array.isArray(v) ? v : [v]).some((x) => x instanceof File && x.size > 0));

  // ---- members and suspensions (2.3) ------------------------------------------------------------------------------

  /** The members' page: one page of the list (searched), the suspensions of those shown, and the forms. */
  const membersPage = async (c: Context<AppEnv>, principal: Principal, frame: ConsoleFrame, refused?: RefusedForm, status = 200) => {
    const barId = barOf(c, principal);
    const { q, page: asked } = listQuery(c);
    let found = await compliance.pageMembers(principal, barId, { offset: (asked - 1) * LIST_PAGE_SIZE, limit: LIST_PAGE_SIZE, search: q });
    const list = listPage(asked, found.total, q);
    // Past the last page: the last page instead (a list that shrank since the link was made).
    if (list.offset !== (asked - 1) * LIST_PAGE_SIZE) found = await compliance.pageMembers(principal, barId, { offset: list.offset, limit: LIST_PAGE_SIZE, search: q });
    const shown = new Set(found.members.map((m) => m.licence));
    const suspensions = (await compliance.listSuspensions(principal, barId)).filter((s) => shown.has(s.licence));
    const page = <MembersPage frame={frame} barName={await barName(barId, frame.lang)} year={yearOf(undefined)} members={found.members} list={list} suspensions={suspensions} notice={notice(c, frame)} refused={refused} />;
    return c.html(page, status as 200);
  };

  page("/console/members", async (c, { principal, frame }) => membersPage(c, principal, frame));

  // The whole list (searched or not) as CSV, for the same principal as the page: read back by the import.
  app.get("/console/members.csv", async (c) => {
    const session = await signedIn(c);
    if (!session) return c.redirect("/console/sign-in", 303);
    return guarded(c, session.frame, "/console/members", async () => {
      const barId = barOf(c, session.principal);
      const { q } = listQuery(c);
      // The page's own query (the store's search), every row: the list as the pages show it, in one file.
      const { members } = await compliance.pageMembers(session.principal, barId, { offset: 0, limit: 1_000_000_000, search: q });
      const body = membersCsv(members, session.frame.lang);
      return c.body(body, 200, {
        "Content-Type": "text/csv; charset=UTF-8",
        "Content-Disposition": `attachment; filename="members-${barId}-${kzDate(registry.now())}.csv"`,
        // Personal data: kept by nobody but the reader.
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      });
    });
  });

  const membersAgain = async (c: Context<AppEnv>, s: { principal: Principal; frame: ConsoleFrame }, refused: RefusedForm, status: number) => membersPage(c, s.principal, s.frame, refused, status);

  refillable("/console/members", "/console/members", {
    form: () => "member",
    fields: ["licence", "fullName", "admissionDate", "email"],
    run: async (c, { principal, form }) => {
      const input = parse(MemberIn, { licence: field(form, "licence"), fullName: field(form, "fullName"), admissionDate: field(form, "admissionDate"), email: field(form, "email") || null });
      await compliance.upsertMember(principal, barOf(c, principal), input);
    },
    again: membersAgain,
  });

  refillable("/console/members/import", "/console/members", {
    form: () => "import",
    fields: ["csv"],
    run: async (c, { principal, form }) => {
      const file = form.file;
      const text = file instanceof File && file.size > 0 ? await file.text() : field(form, "csv");
      if (text === "") throw formProblem("csv");
      await compliance.importMembersCsv(principal, barOf(c, principal), text);
    },
    again: membersAgain,
  });

  refillable(`/console/members/:licence{${LICENCE}}/suspensions`, "/console/members", {
    form: (c) => `suspension:${c.req.param("licence")}`,
    fields: ["from", "until", "reason"],
    run: async (c, { principal, form }) => {
      const input = parse(SuspensionIn, { from: field(form, "from"), until: field(form, "until") || null, reason: field(form, "reason") || null });
      await compliance.addSuspension(principal, barOf(c, principal), c.req.param("licence")!, input);
    },
    again: membersAgain,
  });

  action(`/console/suspensions/:id{${ID}}/delete`, "/console/members", async (c, { principal }) => {
    await compliance.deleteSuspension(principal, barOf(c, principal), c.req.param("id")!);
  });

  // ---- the year's policy ------------------------------------------------------------------------------------------

  const policyPage = async (c: Context<AppEnv>, principal: Principal, frame: ConsoleFrame, year: number, refused?: RefusedForm, status = 200) => {
    const barId = barOf(c, principal);
    const policy = await compliance.policy(principal, barId, year);
    return c.html(<PolicyPage frame={frame} barName={await barName(barId, frame.lang)} policy={policy} notice={notice(c, frame)} refused={refused} />, status as 200);
  };

  page("/console/policy", async (c, { principal, frame }) => policyPage(c, principal, frame, yearOf(c.req.query("year"))));

  refillable("/console/policy", "/console/policy", {
    form: () => "policy",
    fields: ["year", "requiredAcademicHours", "foundationsOperator", "foundationsYears", "foundationsMinimumMinutes", "teachingCreditPercent", "prorate"],
    run: async (c, { principal, form }) => {
      const year = yearOf(field(form, "year"));
      const number = (name: string) => (field(form, name) === "" ? null : Number(field(form, name)));
      const operator = field(form, "foundationsOperator");
      const input = parse(PolicyIn, {
        requiredAcademicHours: number("requiredAcademicHours"),
        foundationsRule: operator === "" ? null : { operator, years: number("foundationsYears") ?? 1 },
        teachingCreditPercent: number("teachingCreditPercent") ?? undefined,
        prorate: field(form, "prorate") === "1", // an unchecked box is not sent: off
      });
      // 10.2: an empty field is "any length"; the service checks the minutes (setPolicy).
      await compliance.setPolicy(principal, barOf(c, principal), year, { ...input, foundationsMinimumMinutes: number("foundationsMinimumMinutes") });
      return `/console/policy?year=${year}&done=1`;
    },
    again: async (c, { principal, frame }, refused, status) => {
      const asked = Number(refused.values.year);
      const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : yearOf(undefined);
      return policyPage(c, principal, frame, year, refused, status);
    },
  });

  // ---- the report and the analysis (the same views as their ?format=html pages) ----------------------------------

  /** The report's rows the page shows: those short only (`?only=short`, the API's /short), searched, one page. */
  const reportQuery = (c: Context<AppEnv>) => {
    const only = c.req.query("only");
    if (only !== undefined && only !== "" && only !== "short") throw detailError("invalid_request", "console-only-invalid", undefined, { problems: [{ path: "only", message: "must be short", code: "value-not-allowed" }] });
    return { onlyShort: only === "short", ...listQuery(c) };
  };

  const compliancePage = async (c: Context<AppEnv>, principal: Principal, frame: ConsoleFrame, year: number, refused?: RefusedForm, status = 200) => {
    const barId = barOf(c, principal);
    const { onlyShort: short, q, page: asked } = reportQuery(c);
    const full = await compliance.report(principal, barId, year);
    // 12.1: "only those short" is the API's /short, the one filter of the service's statuses (onlyShort).
    const filtered = short ? onlyShort(full) : full;
    const matching = q === "" ? filtered.members : filtered.members.filter((m) => matchesSearch(m, q));
    const list = listPage(asked, matching.length, q);
    const shown: ComplianceReport = { ...filtered, members: matching.slice(list.offset, list.offset + LIST_PAGE_SIZE) };
    // 12.1, 12.2, 13.1: the year's closing beside the report, with its forms for whoever may close it.
    const closing = services.closing ? await services.closing.state(principal, barId, year) : undefined;
    const mayClose = mayCloseYear(principal, barId);
    // 12.1, 12.2: a closed year's attestations, for whoever may issue them (the same roles as the API).
    const attestations = mayClose && closing?.closed && services.attestations ? await services.attestations.ofClosedYear(principal, barId, year) : undefined;
    // The measures' forms are for the members short in the closed year: every one of them, whatever page is shown.
    const shortMembers = full.closing ? onlyShort(full).members : [];
    return c.html(
      <ConsoleCompliancePage
        frame={frame} report={shown} bars={await registry.bars()} closing={closing} mayClose={mayClose} barQuery={barQueryOf(principal, barId)} today={kzDate(registry.now())}
        notice={notice(c, frame)} attestations={attestations} list={list} onlyShort={short} shortMembers={shortMembers} names={new Map(full.members.map((m) => [m.licence, m.fullName]))}
        barId={principal.role === "rba-admin" ? barId : undefined} refused={refused}
      />,
      status as 200,
    );
  };

  page("/console/compliance", async (c, { principal, frame }) => compliancePage(c, principal, frame, yearOf(c.req.query("year"))));

  // Issue 16: the report's XLSX and PDF for the console's session, the same files as /api/bars/{bar}/compliance/{year}.
  for (const file of ["xlsx", "pdf"] as const) {
    app.get(`/console/compliance/report.${file}`, async (c) => {
      const session = await signedIn(c);
      if (!session) return c.redirect("/console/sign-in", 303);
      return guarded(c, session.frame, "/console/compliance", async () => {
        const { onlyShort: short } = reportQuery(c);
        return complianceReportFile(c, services, h.loadFonts, session.principal, barOf(c, session.principal), yearOf(c.req.query("year")), short, session.frame.lang, file);
      });
    });
  }

  // ---- closing the year (12.1, 12.2, 13.1): the same service and schemas as /api/bars/{barId}/years/{year}/… -----

  const closingService = () => {
    if (!services.closing) throw detailError("not_found", "closing-unavailable");
    return services.closing;
  };
  /** The RBA's admin names the bar in the query (barOf); the forms post back to the same bar. */
  const barQueryOf = (p: Principal, barId: string) => (p.role === "rba-admin" ? `?bar=${barId}` : "");
  const backToReport = (c: Context<AppEnv>, p: Principal, year: number) => {
    const barId = barOf(c, p);
    return `/console/compliance?year=${year}${p.role === "rba-admin" ? `&bar=${barId}` : ""}&done=1`;
  };
  /** A refused closing form: the report of the year the form was about, the form filled again. */
  const complianceAgain = async (c: Context<AppEnv>, s: { principal: Principal; frame: ConsoleFrame }, refused: RefusedForm, status: number) => {
    const asked = Number(refused.values.year);
    const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : yearOf(undefined);
    return compliancePage(c, s.principal, s.frame, year, refused, status);
  };

  refillable("/console/compliance/close", "/console/compliance", {
    form: () => "close",
    fields: ["year", "closedOn", "confirm"],
    run: async (c, { principal, form }) => {
      const year = yearOf(field(form, "year"));
      const input = parse(CloseIn, { closedOn: field(form, "closedOn") });
      // 12.2: closing freezes the year's report: only with the box ticked that says the admin understands it.
      if (field(form, "confirm") !== "1") throw formProblem("confirm");
      await closingService().close(principal, barOf(c, principal), year, input);
      return backToReport(c, principal, year);
    },
    again: complianceAgain,
  });

  refillable("/console/compliance/reopen", "/console/compliance", {
    form: () => "reopen",
    fields: ["year", "reason"],
    run: async (c, { principal, form }) => {
      const year = yearOf(field(form, "year"));
      await closingService().reopen(principal, barOf(c, principal), year, parse(ReopenIn, { reason: field(form, "reason") }));
      return backToReport(c, principal, year);
    },
    again: complianceAgain,
  });

  // 12.1, 12.2: the same service as POST /api/bars/{barId}/years/{year}/attestations (idempotent).
  action("/console/compliance/attestations", "/console/compliance", async (c, { principal, form }) => {
    const year = yearOf(field(form, "year"));
    if (!services.attestations) throw detailError("not_found", "attestations-unavailable");
    await services.attestations.issue(principal, barOf(c, principal), year);
    return backToReport(c, principal, year);
  });

  refillable(`/console/compliance/measures/:licence{${LICENCE}}`, "/console/compliance", {
    form: (c) => `measure:${c.req.param("licence")}`,
    fields: ["year", "decision", "decidedOn"],
    run: async (c, { principal, form }) => {
      const year = yearOf(field(form, "year"));
      await closingService().recordMeasure(principal, barOf(c, principal), year, c.req.param("licence")!, parse(MeasureIn, { decision: field(form, "decision"), decidedOn: field(form, "decidedOn") }));
      return backToReport(c, principal, year);
    },
    again: complianceAgain,
  });

  page("/console/analysis", async (c, { principal, frame }) => {
    const a = await analysis.analysis(principal, barOf(c, principal), yearOf(c.req.query("year")));
    return c.html(<ConsoleAnalysisPage frame={frame} analysis={a} bars={await registry.bars()} vocabulary={await registry.vocabulary()} />);
  });

  // ---- outside and paper certificates: the bar reviews its members' submissions (2.2(2), 7.5) --------------------

  const submissions = () => {
    if (!services.submissions) throw detailError("not_found", "submissions-unavailable");
    return services.submissions;
  };

  const submissionsPage = async (c: Context<AppEnv>, principal: Principal, frame: ConsoleFrame, refused?: RefusedForm, status = 200) => {
    const barId = barOf(c, principal);
    const [list, vocabulary] = await Promise.all([submissions().list(principal, barId), registry.vocabulary()]);
    // The RBA's admin reviews but keeps no member records: the on-behalf form is for the bar's own admin.
    const page = <SubmissionsPage frame={frame} barName={await barName(barId, frame.lang)} year={yearOf(undefined)} submissions={list} vocabulary={vocabulary} onBehalf={principal.role === "bar-admin"} notice={notice(c, frame)} refused={refused} />;
    return c.html(page, status as 200);
  };

  page("/console/submissions", async (c, { principal, frame }) => submissionsPage(c, principal, frame));

  refillable("/console/submissions/new", "/console/submissions", {
    form: () => "on-behalf",
    fields: ["licence", "organiser", "topic", "programme", "form", "completedOn", "academicHours"],
    run: async (c, { principal, form }) => {
      const input = await readSubmissionForm(form, parse);
      const s = await submissions().submitOnBehalf(principal, barOf(c, principal), field(form, "licence"), input);
      return `/console/submissions/${s.id}?done=1`;
    },
    again: async (c, { principal, frame }, refused, status) => submissionsPage(c, principal, frame, refused, status),
  });

  page(`/console/submissions/:id{${ID}}`, async (c, { principal, frame }) => {
    const s = await submissions().get(principal, barOf(c, principal), c.req.param("id")!);
    return c.html(<SubmissionReviewPage frame={frame} submission={s} vocabulary={await registry.vocabulary()} notice={notice(c, frame)} />);
  });

  app.get(`/console/submissions/:id{${ID}}/attachment`, async (c) => {
    const session = await signedIn(c);
    if (!session) return c.redirect("/console/sign-in", 303);
    return guarded(c, session.frame, "/console/submissions", async () => {
      const { submission, attachment } = await submissions().attachment(session.principal, barOf(c, session.principal), c.req.param("id")!);
      return attachmentResponse(submission, attachment.bytes, attachment.mediaType);
    });
  });

  action(`/console/submissions/:id{${ID}}/accept`, "/console/submissions", async (c, { principal, form }) => {
    const id = c.req.param("id")!;
    await submissions().accept(principal, barOf(c, principal), id, parse(AcceptIn, { creditedHours: field(form, "creditedHours") }).creditedHours);
    return `/console/submissions/${id}?done=1`;
  });

  action(`/console/submissions/:id{${ID}}/reject`, "/console/submissions", async (c, { principal, form }) => {
    const id = c.req.param("id")!;
    await submissions().reject(principal, barOf(c, principal), id, parse(RejectIn, { reason: field(form, "reason") }).reason);
    return `/console/submissions/${id}?done=1`;
  });

  // ---- issue 13: reminders to members short of the year's requirement -----------------------------------------

  const reminders = () => {
    if (!services.reminders) throw detailError("not_found", "reminders-unavailable");
    return services.reminders;
  };
  const remindersPage = async (c: Context<AppEnv>, principal: Principal, frame: ConsoleFrame, year: number, refused?: { draft: string[]; problems: FieldProblem[] }) => {
    const barId = barOf(c, principal);
    const [log, policy] = await Promise.all([reminders().log(principal, barId, year), compliance.policy(principal, barId, year)]);
    // The RBA's admin names the bar in the query (barOf); the form posts back to the same bar.
    const formAction = principal.role === "rba-admin" ? `/console/reminders?bar=${barId}` : "/console/reminders";
    const page = <RemindersPage frame={frame} barName={await barName(barId, frame.lang)} log={log} requirementSet={policy.requiredAcademicHours !== null} formAction={formAction} notice={notice(c, frame)} {...(refused ?? {})} />;
    return c.html(page, refused ? 400 : 200);
  };

  page("/console/reminders", async (c, { principal, frame }) => remindersPage(c, principal, frame, yearOf(c.req.query("year"))));

  app.post("/console/reminders", async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    return guarded(c, frame, "/console/reminders", async () => {
      const year = yearOf(field(form, "year"));
      const raw = form.date;
      // One input per date; the empty ones are slots left free.
      const dates = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === "string").map((v) => v.trim()).filter((v) => v !== "");
      try {
        await reminders().setSchedule(principal, barOf(c, principal), year, dates);
      } catch (e) {
        // Wrong dates: the form again, with what was typed and each problem in the page's language.
        if (e instanceof SenimError && e.code === "invalid_request" && e.problems.some((p) => p.code)) return remindersPage(c, principal, frame, year, { draft: dates, problems: e.problems });
        throw e;
      }
      const bar = principal.role === "rba-admin" ? `&bar=${barOf(c, principal)}` : "";
      return c.redirect(`/console/reminders?year=${year}${bar}&done=1`, 303);
    });
  });

  // ---- 7.5: survey results (a provider its own; a bar's admin those of the providers it accredited) ---------------

  page("/console/surveys", async (c, { principal, frame }) => {
    if (principal.role === "provider") {
      const party = await registry.requireParty(principal.partyId);
      return c.html(<SurveyResultsPage frame={frame} title={party.name} results={await surveys.results(principal, { partyId: principal.partyId })} />);
    }
    const barId = barOf(c, principal);
    return c.html(<SurveyResultsPage frame={frame} title={await barName(barId, frame.lang)} results={await surveys.results(principal, { barId })} />);
  });

  // 7.5: the provider makes fresh survey links to deliver, one per participant. The page is the answer to the post
  // (no redirect): the links exist nowhere else.
  app.post(`/console/events/:id{${ID}}/survey-links`, async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const id = c.req.param("id");
    return guarded(c, session.frame, `/console/events/${id}`, async () => {
      const event = await services.issuance.ownEvent(session.principal, id);
      const links = await surveys.renewLinks(session.principal, id);
      c.header("Cache-Control", "no-store");
      c.header("Referrer-Policy", "no-referrer");
      return c.html(<SurveyLinksPage frame={session.frame} eventId={id} topic={event.topic} links={links} />);
    });
  });
}
