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
import { SenimError } from "../../domain/errors.js";
import { kzDate } from "../../domain/time.js";
import type { AppEnv, Services } from "../context.js";
import { t, UI } from "../i18n.js";
import type { ConsoleFrame } from "../pages/console.js";
import { ConsoleAnalysisPage, ConsoleCompliancePage, MembersPage, PolicyPage, RemindersPage, SubmissionReviewPage, SubmissionsPage, SurveyLinksPage, SurveyResultsPage } from "../pages/console-bookkeeping.js";
import type { FieldProblem } from "../../domain/errors.js";
import { AcceptIn, attachmentResponse, MemberIn, PolicyIn, readSubmissionForm, RejectIn, SuspensionIn } from "./bookkeeping.js";
import { CloseIn, MeasureIn, ReopenIn } from "./year-closing.js";

type Form = Record<string, string | File | (string | File)[]>;

/** What the console module lends: its session check, its error pages, and its form readers. */
export interface ConsoleHelpers {
  signedIn(c: Context<AppEnv>, post?: boolean): Promise<{ principal: Principal; frame: ConsoleFrame; form: Form } | undefined>;
  guarded(c: Context<AppEnv>, frame: ConsoleFrame, back: string, action: () => Promise<Response>): Promise<Response>;
  field(form: Form, name: string): string;
  parse<Z extends z.ZodType>(schema: Z, value: unknown): z.output<Z>;
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
    if (!own) throw new SenimError("forbidden", "These pages are for a bar's admin.");
    return own;
  };
  const yearOf = (value: string | undefined): number => {
    if (value === undefined || value === "") return Number(kzDate(registry.now()).slice(0, 4));
    const year = Number(value);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new SenimError("invalid_request", "year must be between 2000 and 2100.");
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

  // ---- members and suspensions (2.3) ------------------------------------------------------------------------------

  page("/console/members", async (c, { principal, frame }) => {
    const barId = barOf(c, principal);
    const [members, suspensions] = await Promise.all([compliance.listMembers(principal, barId), compliance.listSuspensions(principal, barId)]);
    return c.html(<MembersPage frame={frame} barName={await barName(barId, frame.lang)} year={yearOf(undefined)} members={members} suspensions={suspensions} notice={notice(c, frame)} />);
  });

  action("/console/members", "/console/members", async (c, { principal, form }) => {
    const input = parse(MemberIn, { licence: field(form, "licence"), fullName: field(form, "fullName"), admissionDate: field(form, "admissionDate"), email: field(form, "email") || null });
    await compliance.upsertMember(principal, barOf(c, principal), input);
  });

  action("/console/members/import", "/console/members", async (c, { principal, form }) => {
    const file = form.file;
    const text = file instanceof File && file.size > 0 ? await file.text() : field(form, "csv");
    if (text === "") throw new SenimError("invalid_request", "Paste the CSV or choose a file.");
    await compliance.importMembersCsv(principal, barOf(c, principal), text);
  });

  action(`/console/members/:licence{${LICENCE}}/suspensions`, "/console/members", async (c, { principal, form }) => {
    const input = parse(SuspensionIn, { from: field(form, "from"), until: field(form, "until") || null, reason: field(form, "reason") || null });
    await compliance.addSuspension(principal, barOf(c, principal), c.req.param("licence")!, input);
  });

  action(`/console/suspensions/:id{${ID}}/delete`, "/console/members", async (c, { principal }) => {
    await compliance.deleteSuspension(principal, barOf(c, principal), c.req.param("id")!);
  });

  // ---- the year's policy ------------------------------------------------------------------------------------------

  page("/console/policy", async (c, { principal, frame }) => {
    const barId = barOf(c, principal);
    const policy = await compliance.policy(principal, barId, yearOf(c.req.query("year")));
    return c.html(<PolicyPage frame={frame} barName={await barName(barId, frame.lang)} policy={policy} notice={notice(c, frame)} />);
  });

  action("/console/policy", "/console/policy", async (c, { principal, form }) => {
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
  });

  // ---- the report and the analysis (the same views as their ?format=html pages) ----------------------------------

  page("/console/compliance", async (c, { principal, frame }) => {
    const barId = barOf(c, principal);
    const year = yearOf(c.req.query("year"));
    const report = await compliance.report(principal, barId, year);
    // 12.1, 12.2, 13.1: the year's closing beside the report, with its forms for whoever may close it.
    const closing = services.closing ? await services.closing.state(principal, barId, year) : undefined;
    const mayClose = mayCloseYear(principal, barId);
    // 12.1, 12.2: a closed year's attestations, for whoever may issue them (the same roles as the API).
    const attestations = mayClose && closing?.closed && services.attestations ? await services.attestations.ofClosedYear(principal, barId, year) : undefined;
    return c.html(
      <ConsoleCompliancePage frame={frame} report={report} bars={await registry.bars()} closing={closing} mayClose={mayClose} barQuery={barQueryOf(principal, barId)} today={kzDate(registry.now())} notice={notice(c, frame)} attestations={attestations} />,
    );
  });

  // ---- closing the year (12.1, 12.2, 13.1): the same service and schemas as /api/bars/{barId}/years/{year}/… -----

  const closingService = () => {
    if (!services.closing) throw new SenimError("not_found", "Closing years is not available on this server.");
    return services.closing;
  };
  /** The RBA's admin names the bar in the query (barOf); the forms post back to the same bar. */
  const barQueryOf = (p: Principal, barId: string) => (p.role === "rba-admin" ? `?bar=${barId}` : "");
  const backToReport = (c: Context<AppEnv>, p: Principal, year: number) => {
    const barId = barOf(c, p);
    return `/console/compliance?year=${year}${p.role === "rba-admin" ? `&bar=${barId}` : ""}&done=1`;
  };

  action("/console/compliance/close", "/console/compliance", async (c, { principal, form }) => {
    const year = yearOf(field(form, "year"));
    await closingService().close(principal, barOf(c, principal), year, parse(CloseIn, { closedOn: field(form, "closedOn") }));
    return backToReport(c, principal, year);
  });

  action("/console/compliance/reopen", "/console/compliance", async (c, { principal, form }) => {
    const year = yearOf(field(form, "year"));
    await closingService().reopen(principal, barOf(c, principal), year, parse(ReopenIn, { reason: field(form, "reason") }));
    return backToReport(c, principal, year);
  });

  // 12.1, 12.2: the same service as POST /api/bars/{barId}/years/{year}/attestations (idempotent).
  action("/console/compliance/attestations", "/console/compliance", async (c, { principal, form }) => {
    const year = yearOf(field(form, "year"));
    if (!services.attestations) throw new SenimError("not_found", "Annual attestations are not available on this server.");
    await services.attestations.issue(principal, barOf(c, principal), year);
    return backToReport(c, principal, year);
  });

  action(`/console/compliance/measures/:licence{${LICENCE}}`, "/console/compliance", async (c, { principal, form }) => {
    const year = yearOf(field(form, "year"));
    await closingService().recordMeasure(principal, barOf(c, principal), year, c.req.param("licence")!, parse(MeasureIn, { decision: field(form, "decision"), decidedOn: field(form, "decidedOn") }));
    return backToReport(c, principal, year);
  });

  page("/console/analysis", async (c, { principal, frame }) => {
    const a = await analysis.analysis(principal, barOf(c, principal), yearOf(c.req.query("year")));
    return c.html(<ConsoleAnalysisPage frame={frame} analysis={a} bars={await registry.bars()} vocabulary={await registry.vocabulary()} />);
  });

  // ---- outside and paper certificates: the bar reviews its members' submissions (2.2(2), 7.5) --------------------

  const submissions = () => {
    if (!services.submissions) throw new SenimError("not_found", "Submissions are not available on this server.");
    return services.submissions;
  };

  page("/console/submissions", async (c, { principal, frame }) => {
    const barId = barOf(c, principal);
    const [list, vocabulary] = await Promise.all([submissions().list(principal, barId), registry.vocabulary()]);
    // The RBA's admin reviews but keeps no member records: the on-behalf form lists the members only for the bar's own admin.
    const members = principal.role === "bar-admin" ? await compliance.listMembers(principal, barId) : [];
    return c.html(<SubmissionsPage frame={frame} barName={await barName(barId, frame.lang)} year={yearOf(undefined)} submissions={list} vocabulary={vocabulary} members={members} notice={notice(c, frame)} />);
  });

  action("/console/submissions/new", "/console/submissions", async (c, { principal, form }) => {
    const input = await readSubmissionForm(form, parse);
    const s = await submissions().submitOnBehalf(principal, barOf(c, principal), field(form, "licence"), input);
    return `/console/submissions/${s.id}?done=1`;
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
    if (!services.reminders) throw new SenimError("not_found", "Reminders are not available on this server.");
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
