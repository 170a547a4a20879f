/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The bookkeeping pages of the consoles: a bar's members and suspensions (2.3), the year's policy (10.2, 5.1.4, 2.3),
 * the compliance report (12.1) and the annual analysis (3.2); a provider's survey results (7.5). The report and the
 * analysis are the same views as their ?format=html pages (pages/bookkeeping.tsx), inside the console's frame.
 */
import { formatNumber } from "../reports/numbers.js";
import type { AnnualAnalysis } from "../../compliance/analysis.js";
import type { Member, StoredSuspension } from "../../compliance/model.js";
import type { ComplianceReport, MemberReportRow, PolicyView } from "../../compliance/service.js";
import type { ParticipantSurveyLink, RatingSummary, SurveyResults } from "../../compliance/surveys.js";
import type { Bar, Vocabulary } from "../../registry/model.js";
import type { Submission } from "../../compliance/submissions.js";
import type { ReminderLog } from "../../compliance/reminders.js";
import type { ClosingState } from "../../compliance/closing.js";
import type { AttestationView } from "../../compliance/attestations.js";
import type { FieldProblem } from "../../domain/errors.js";
import { MAX_REMINDER_DATES } from "../../domain/reminders.js";
import { kzDateTime } from "../../domain/time.js";
import { fillTemplate } from "../../lib/csv.js";
import { ATTESTATION_T, BK, BKC, BLISTS_T, CLOSING_T, DELIVERY_T, problemText, REMINDERS_T, T, t, UI, type Lang } from "../i18n.js";
import { AnalysisView, ComplianceReportView } from "./bookkeeping.js";
import { ConsoleLayout, Csrf, type ConsoleFrame } from "./console.js";
import { fieldProblems, type RefusedFormBase } from "./field-problems.js";

/** The links between the bar's console pages. */
export function BarBookkeepingNav(props: { lang: Lang; year: number }) {
  const { lang, year } = props;
  return (
    <nav class="console-nav" aria-label={t(BK.members, lang)}>
      <a href="/console">{t(UI.accreditations, lang)}</a>{" · "}
      <a href="/console/members">{t(BK.members, lang)}</a>{" · "}
      <a href={`/console/policy?year=${year}`}>{t(BKC.policyTitle, lang)}</a>{" · "}
      <a href={`/console/compliance?year=${year}`}>{t(BK.complianceTitle, lang)}</a>{" · "}
      <a href={`/console/analysis?year=${year}`}>{t(BK.analysisTitle, lang)}</a>{" · "}
      <a href="/console/submissions">{t(BKC.subNav, lang)}</a>{" · "}
      <a href={`/console/reminders?year=${year}`}>{t(REMINDERS_T.title, lang)}</a>
    </nav>
  );
}

function YearForm(props: { lang: Lang; action: string; year: number }) {
  return (
    <form method="get" action={props.action} class="inline">
      <label>{t(BK.year, props.lang)} <input type="number" name="year" min={2000} max={2100} value={String(props.year)} required /></label>{" "}
      <button type="submit">{t(BKC.show, props.lang)}</button>
    </form>
  );
}

// ---- issue 16: lists in pages, and refused forms shown again ---------------------------------------------------

/** One page of a console list: the search, the page shown (from 1), how many pages and rows there are. */
export interface ListPage {
  q: string;
  page: number;
  pages: number;
  total: number;
  /** The index of the page's first row. */
  offset: number;
}

/**
 * A form the service refused, to show again: which form (`member`, `import`, `suspension:{licence}`, `policy`,
 * `close`, `reopen`, `measure:{licence}`), what was typed, the problems and the refusal's detail in the page's language.
 */
export interface RefusedForm extends RefusedFormBase {
  values: Record<string, string>;
  /** A file was chosen: the page cannot keep it, and says so. */
  fileSent?: boolean;
}

/** 2.3: the member import's and the member form's problem codes (src/lib/csv.ts) by the field they are about. */
const CODE_FIELDS: Record<string, string> = {
  "licence-invalid": "licence", "licence-repeated": "licence", "name-invalid": "fullName", "admission-date-invalid": "admissionDate",
  "admission-date-future": "admissionDate", "email-invalid": "email",
};
/** The form field a problem is about: by its code, else the first segment of its path (`foundationsRule/years`). */
const problemField = (p: FieldProblem): string => (p.code && CODE_FIELDS[p.code]) ?? p.path.split("/")[0] ?? "";

/** What a form needs to show a refusal: its typed values and each field's problems, beside the field. */
function refill(lang: Lang, refused: RefusedForm | undefined, form: string, aliases: Record<string, string> = {}) {
  // `aliases`: a path (or its first segment) that names another field than the form's own name for it.
  const fieldName = (p: FieldProblem) => aliases[p.path] ?? aliases[problemField(p)] ?? problemField(p);
  const problems = fieldProblems(lang, refused, form, fieldName);
  const r = problems.refused;
  return {
    ...problems,
    /** The value typed, when the form was refused; else the page's own. */
    value: (name: string, own = "") => (r ? (r.values[name] ?? "") : own),
  };
}

/**
 * The alert above a refused form: nothing was saved; and the refusal's own words when no field problem says it (a
 * rule of the whole form, such as a year already closed). Field problems stand beside their fields.
 */
const refusalText = (lang: Lang, r: RefusedForm | undefined): string | undefined =>
  r === undefined ? undefined : r.problems.length === 0 ? `${r.detail} ${t(BLISTS_T.notSaved, lang)}` : t(BLISTS_T.notSaved, lang);

/** A link to another page of a list, keeping the page's other parameters (year, filter, bar, search). */
const pageHref = (path: string, params: Record<string, string | undefined>, page: number): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, v);
  if (page > 1) q.set("page", String(page));
  const text = q.toString();
  return text === "" ? path : `${path}?${text}`;
};

/** A list's count ("found for …" when searched) and the rows shown. */
function ListCount(props: { lang: Lang; list: ListPage; shown: number }) {
  const { lang, list } = props;
  const total = formatNumber(list.total, lang);
  return (
    <p data-field="list-count" data-total={String(list.total)}>
      {list.q === "" ? fillTemplate(t(BLISTS_T.total, lang), { total }) : fillTemplate(t(BLISTS_T.found, lang), { q: list.q, total })}
      {list.total > props.shown && <> · {fillTemplate(t(BLISTS_T.range, lang), { from: formatNumber(list.offset + 1, lang), to: formatNumber(list.offset + props.shown, lang), total })}</>}
    </p>
  );
}

/** Previous and next page of a list, and where in it the page is; nothing when the list fits one page. */
export function Pager(props: { lang: Lang; list: ListPage; path: string; params: Record<string, string | undefined> }) {
  const { lang, list } = props;
  if (list.pages <= 1) return null;
  return (
    <nav class="pager" aria-label={t(BLISTS_T.pages, lang)} data-page={String(list.page)} data-pages={String(list.pages)}>
      {list.page > 1 ? <a href={pageHref(props.path, props.params, list.page - 1)} rel="prev">{t(BLISTS_T.previous, lang)}</a> : <span aria-hidden="true">{t(BLISTS_T.previous, lang)}</span>}
      <span>{fillTemplate(t(BLISTS_T.pageOf, lang), { page: formatNumber(list.page, lang), pages: formatNumber(list.pages, lang) })}</span>
      {list.page < list.pages ? <a href={pageHref(props.path, props.params, list.page + 1)} rel="next">{t(BLISTS_T.next, lang)}</a> : <span aria-hidden="true">{t(BLISTS_T.next, lang)}</span>}
    </nav>
  );
}

/** The search over a list (a GET form: works without JavaScript, and its result can be bookmarked). */
export function SearchForm(props: { lang: Lang; action: string; q: string; hidden?: Record<string, string | undefined>; children?: unknown }) {
  const { lang } = props;
  return (
    <form method="get" action={props.action} class="list-search" role="search">
      {Object.entries(props.hidden ?? {}).map(([k, v]) => (v === undefined || v === "" ? null : <input type="hidden" name={k} value={v} />))}
      {props.children}
      <label>{t(BLISTS_T.search, lang)} <input type="search" name="q" value={props.q} maxlength={100} /></label>{" "}
      <button type="submit">{t(BLISTS_T.searchButton, lang)}</button>
      {props.q !== "" && <>{" "}<a href={pageHref(props.action, props.hidden ?? {}, 1)}>{t(BLISTS_T.showAll, lang)}</a></>}
    </form>
  );
}

export function MembersPage(props: { frame: ConsoleFrame; barName: string; year: number; members: Member[]; list: ListPage; suspensions: StoredSuspension[]; notice?: string; refused?: RefusedForm }) {
  const { lang, csrf } = props.frame;
  const { list } = props;
  const byLicence = new Map<string, StoredSuspension[]>();
  for (const s of props.suspensions) byLicence.set(s.licence, [...(byLicence.get(s.licence) ?? []), s]);
  const member = refill(lang, props.refused, "member");
  const upload = refill(lang, props.refused, "import");
  const params = { q: list.q };
  return (
    <ConsoleLayout frame={props.frame} title={`${t(BK.members, lang)} — ${props.barName}`} path="/console/members" notice={props.notice} error={refusalText(lang, props.refused)}>
      <BarBookkeepingNav lang={lang} year={props.year} />

      <details class="console-form" open={member.refused !== undefined} id="add-member">
        <summary>{t(BKC.addMember, lang)}</summary>
        <form class="stack" method="post" action="/console/members" data-form="member">
          <Csrf value={csrf} />
          {member.rest(["licence", "fullName", "admissionDate", "email"])}
          <label>{t(T.licence, lang)}<input type="text" name="licence" required maxlength={40} value={member.value("licence")} {...member.aria("licence")} />{member.note("licence")}</label>
          <label>{t(BK.name, lang)}<input type="text" name="fullName" required maxlength={300} value={member.value("fullName")} {...member.aria("fullName")} />{member.note("fullName")}</label>
          <label>{t(BKC.admissionDate, lang)}<input type="date" name="admissionDate" required value={member.value("admissionDate")} {...member.aria("admissionDate")} />{member.note("admissionDate")}</label>
          <label>{t(BKC.email, lang)}<input type="email" name="email" maxlength={254} value={member.value("email")} {...member.aria("email")} />{member.note("email")}</label>
          <p><button type="submit">{t(UI.save, lang)}</button></p>
        </form>
      </details>

      <details class="console-form" open={upload.refused !== undefined} id="import-members">
        <summary>{t(BKC.importButton, lang)}</summary>
        <form class="stack" method="post" action="/console/members/import" enctype="multipart/form-data" data-form="import">
          <Csrf value={csrf} />
          <label>
            {t(BKC.importMembers, lang)}
            <textarea name="csv" rows={6} placeholder={`${t(BLISTS_T.csvLicence, lang)};${t(BLISTS_T.csvName, lang)};${t(BLISTS_T.csvAdmission, lang)};${t(BLISTS_T.csvEmail, lang)}\n123456;Әлия Құрманова;2015-03-01;`} {...upload.aria("csv")}>{upload.value("csv")}</textarea>
            {upload.note("csv")}
          </label>
          {upload.rest(["csv"])}
          <label>{t(BKC.csvFile, lang)}<input type="file" name="file" accept=".csv,text/csv,text/plain" /></label>
          {upload.refused?.fileSent && <p class="field-problem" data-notice="file-again">{t(BLISTS_T.fileAgain, lang)}</p>}
          <p><button type="submit">{t(BKC.importButton, lang)}</button></p>
        </form>
      </details>

      <SearchForm lang={lang} action="/console/members" q={list.q} />
      <ListCount lang={lang} list={list} shown={props.members.length} />
      <p><a href={pageHref("/console/members.csv", { q: list.q }, 1)} download data-link="members-csv">{t(BLISTS_T.exportCsv, lang)}</a></p>
      {props.members.length === 0 ? (
        <p>{list.q === "" ? t(T.none, lang) : fillTemplate(t(BLISTS_T.noneFound, lang), { q: list.q })}</p>
      ) : (
        <div class="table-wrap" tabindex={0} role="region" aria-label={t(BK.members, lang)}>
          <table>
            <thead><tr><th>{t(T.licence, lang)}</th><th>{t(BK.name, lang)}</th><th>{t(BKC.admissionDate, lang)}</th><th>{t(BKC.email, lang)}</th><th>{t(BKC.suspensions, lang)}</th></tr></thead>
            <tbody>
              {props.members.map((m) => {
                const susp = refill(lang, props.refused, `suspension:${m.licence}`);
                return (
                  <tr data-member={m.licence}>
                    <td>{m.licence}</td>
                    <td>{m.fullName}</td>
                    <td>{m.admissionDate}</td>
                    <td>{m.email ?? "—"}</td>
                    <td>
                      {(byLicence.get(m.licence) ?? []).map((s) => (
                        <form method="post" action={`/console/suspensions/${s.id}/delete`} class="inline" data-suspension={s.id}>
                          <Csrf value={csrf} />
                          {s.from} – {s.until ?? "…"}{s.reason ? ` (${s.reason})` : ""}{" "}
                          <button type="submit" class="danger">{t(BKC.remove, lang)}</button>
                        </form>
                      ))}
                      <details open={susp.refused !== undefined}>
                        <summary>{t(BKC.addSuspension, lang)}</summary>
                        <form class="stack" method="post" action={`/console/members/${encodeURIComponent(m.licence)}/suspensions`}>
                          <Csrf value={csrf} />
                          {susp.rest(["from", "until", "reason"])}
                          <label>{t(BKC.from, lang)}<input type="date" name="from" required value={susp.value("from")} {...susp.aria("from")} />{susp.note("from")}</label>
                          <label>{t(BKC.until, lang)}<input type="date" name="until" value={susp.value("until")} {...susp.aria("until")} />{susp.note("until")}</label>
                          <label>{t(UI.reason, lang)}<input type="text" name="reason" maxlength={1000} value={susp.value("reason")} {...susp.aria("reason")} />{susp.note("reason")}</label>
                          <p><button type="submit">{t(UI.save, lang)}</button></p>
                        </form>
                      </details>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager lang={lang} list={list} path="/console/members" params={params} />
    </ConsoleLayout>
  );
}

export function PolicyPage(props: { frame: ConsoleFrame; barName: string; policy: PolicyView; notice?: string; refused?: RefusedForm }) {
  const { lang, csrf } = props.frame;
  const p = props.policy;
  const f = refill(lang, props.refused, "policy", { "foundationsRule/operator": "foundationsOperator", "foundationsRule/years": "foundationsYears", foundationsRule: "foundationsOperator" });
  const own = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));
  const op = f.value("foundationsOperator", p.foundationsRule?.operator ?? "");
  const prorate = f.refused ? f.value("prorate") === "1" : p.prorate;
  const fields = ["requiredAcademicHours", "foundationsOperator", "foundationsYears", "foundationsMinimumMinutes", "teachingCreditPercent", "prorate"];
  return (
    <ConsoleLayout frame={props.frame} title={`${t(BKC.policyTitle, lang)} ${p.year} — ${props.barName}`} path="/console/policy" notice={props.notice} error={refusalText(lang, props.refused)}>
      <BarBookkeepingNav lang={lang} year={p.year} />
      <YearForm lang={lang} action="/console/policy" year={p.year} />
      {!p.configured && <p class="notice" data-notice="no-policy">{t(BK.noPolicy, lang)}</p>}
      <form class="stack" method="post" action="/console/policy" data-configured={String(p.configured)} data-form="policy">
        <Csrf value={csrf} />
        <input type="hidden" name="year" value={String(p.year)} />
        {f.rest(fields)}
        <label>
          {t(BK.required, lang)} <small>({t(BKC.notSet, lang)})</small>
          <input type="number" name="requiredAcademicHours" min={0} max={1000} step="0.1" value={f.value("requiredAcademicHours", own(p.requiredAcademicHours))} {...f.aria("requiredAcademicHours")} />
          {f.note("requiredAcademicHours")}
        </label>
        <fieldset>
          <legend id="foundations-rule">{t(BK.foundationsRule, lang)}</legend>
          <p><small>{p.foundationsSourceWording[lang]}</small></p>
          <label>
            <select name="foundationsOperator" aria-labelledby="foundations-rule" {...f.aria("foundationsOperator")}>
              <option value="" selected={op === ""}>{t(BKC.foundationsOff, lang)}</option>
              <option value="<" selected={op === "<"}>{t(BKC.practiceBelow, lang)}</option>
              <option value=">=" selected={op === ">="}>{t(BKC.practiceAtLeast, lang)}</option>
            </select>
            {f.note("foundationsOperator")}
          </label>
          <label>{t(BKC.practiceYears, lang)}<input type="number" name="foundationsYears" min={0} max={60} value={f.value("foundationsYears", p.foundationsRule ? String(p.foundationsRule.years) : "")} {...f.aria("foundationsYears")} />{f.note("foundationsYears")}</label>
        </fieldset>
        <label>
          {t(CLOSING_T.foundationsMinimum, lang)} <small>({t(CLOSING_T.anyLength, lang)}: {t(BKC.notSet, lang)})</small>
          <input type="number" name="foundationsMinimumMinutes" min={1} max={100000} step="1" value={f.value("foundationsMinimumMinutes", own(p.foundationsMinimumMinutes))} {...f.aria("foundationsMinimumMinutes")} />
          {f.note("foundationsMinimumMinutes")}
        </label>
        <label>{t(BK.teachingCredit, lang)} (%)<input type="number" name="teachingCreditPercent" min={0} max={1000} required value={f.value("teachingCreditPercent", String(p.teachingCreditPercent))} {...f.aria("teachingCreditPercent")} />{f.note("teachingCreditPercent")}</label>
        <label><input type="checkbox" name="prorate" value="1" checked={prorate} /> {t(BK.prorate, lang)}</label>
        <p><button type="submit">{t(UI.save, lang)}</button></p>
      </form>
    </ConsoleLayout>
  );
}

export function ConsoleCompliancePage(props: {
  frame: ConsoleFrame;
  /** The report with the rows of this page only (filtered, searched); its totals are the whole year's. */
  report: ComplianceReport;
  bars: Bar[];
  /** The year's closing (12.1, 12.2), with the forms to close, reopen and record measures when `mayClose`. */
  closing?: ClosingState;
  mayClose?: boolean;
  /** `?bar=…` for the RBA's admin, so the forms act on the bar the page shows. */
  barQuery?: string;
  today?: string;
  notice?: string;
  /** 12.1, 12.2: the closed year's attestations, with the button that issues them, for whoever may issue them. */
  attestations?: AttestationView[];
  /** Issue 16: the page of the report's rows shown, and whether only those short are (the API's /short). */
  list: ListPage;
  onlyShort: boolean;
  /** Every member short in the closed year (13.1's measures); the panel shows those on this page, and a refused one. */
  shortMembers: MemberReportRow[];
  /** Every member's name, by licence (the attestations' table lists members of every page). */
  names: Map<string, string>;
  /** The bar the RBA's admin reads (the filter and the files keep it); absent for the bar's own admin. */
  barId?: string;
  refused?: RefusedForm;
}) {
  const { lang } = props.frame;
  const { list, report: r } = props;
  const year = String(r.year);
  const params = { year, only: props.onlyShort ? "short" : undefined, bar: props.barId, q: list.q };
  const files = { year, only: props.onlyShort ? "short" : undefined, bar: props.barId, lang };
  const shown = new Set(r.members.map((m) => m.licence));
  const refusedMeasure = props.refused?.form.startsWith("measure:") ? props.refused.form.slice("measure:".length) : undefined;
  const measures = props.shortMembers.filter((m) => shown.has(m.licence) || m.licence === refusedMeasure);
  return (
    <ConsoleLayout frame={props.frame} title={`${t(BK.complianceTitle, lang)} — ${r.year}`} path="/console/compliance" notice={props.notice} error={refusalText(lang, props.refused)}>
      <BarBookkeepingNav lang={lang} year={r.year} />
      <YearForm lang={lang} action="/console/compliance" year={r.year} />
      <SearchForm lang={lang} action="/console/compliance" q={list.q} hidden={{ year, bar: props.barId }}>
        <fieldset class="list-filter">
          <legend>{t(BLISTS_T.filter, lang)}</legend>
          <label><input type="radio" name="only" value="" checked={!props.onlyShort} /> {t(BLISTS_T.everyone, lang)}</label>{" "}
          <label><input type="radio" name="only" value="short" checked={props.onlyShort} /> {t(BLISTS_T.onlyShort, lang)}</label>
        </fieldset>
      </SearchForm>
      <p class="report-files" data-field="report-files">
        <a href={pageHref("/console/compliance/report.xlsx", files, 1)} data-link="report-xlsx" download>{t(BLISTS_T.exportXlsx, lang)}</a>{" · "}
        <a href={pageHref("/console/compliance/report.pdf", files, 1)} data-link="report-pdf">{t(BLISTS_T.exportPdf, lang)}</a>
        <br /><small>{t(BLISTS_T.exportNote, lang)}</small>
      </p>
      <ListCount lang={lang} list={list} shown={r.members.length} />
      {/* The report is wider than a phone: it scrolls inside its own region, never the page (issue 16). */}
      <div class="table-wrap console-report" tabindex={0} role="region" aria-label={t(BLISTS_T.reportTable, lang)} data-only={props.onlyShort ? "short" : "all"}>
        <ComplianceReportView lang={lang} report={r} bars={props.bars} />
      </div>
      {list.q !== "" && r.members.length === 0 && <p>{fillTemplate(t(BLISTS_T.noneFound, lang), { q: list.q })}</p>}
      <Pager lang={lang} list={list} path="/console/compliance" params={params} />
      {props.closing && <ClosingPanel frame={props.frame} report={r} closing={props.closing} mayClose={props.mayClose ?? false} barQuery={props.barQuery ?? ""} today={props.today ?? ""} short={measures} refused={props.refused} />}
      {props.attestations && <AttestationsPanel frame={props.frame} report={r} attestations={props.attestations} barQuery={props.barQuery ?? ""} names={props.names} />}
    </ConsoleLayout>
  );
}

/** 12.1, 12.2: issue the closed year's attestations (idempotent), and those issued, each linked to its public page. */
function AttestationsPanel(props: { frame: ConsoleFrame; report: ComplianceReport; attestations: AttestationView[]; barQuery: string; names: Map<string, string> }) {
  const { lang, csrf } = props.frame;
  const names = props.names;
  return (
    <section data-section="attestations">
      <h2>{t(ATTESTATION_T.consoleTitle, lang)}</h2>
      <p><small>{t(ATTESTATION_T.consoleIntro, lang)}</small></p>
      <form method="post" action={`/console/compliance/attestations${props.barQuery}`} data-form="attestations">
        <Csrf value={csrf} />
        <input type="hidden" name="year" value={String(props.report.year)} />
        <p><button type="submit">{t(ATTESTATION_T.consoleIssue, lang)}</button></p>
      </form>
      {props.attestations.length === 0 ? (
        <p>{t(ATTESTATION_T.consoleNone, lang)}</p>
      ) : (
        <div class="table-wrap" tabindex={0} role="region" aria-label={t(ATTESTATION_T.consoleTitle, lang)}>
          <table>
            <thead><tr><th>{t(ATTESTATION_T.licence, lang)}</th><th>{t(ATTESTATION_T.member, lang)}</th><th>{t(ATTESTATION_T.issued, lang)}</th><th>{t(ATTESTATION_T.title, lang)}</th></tr></thead>
            <tbody>
              {props.attestations.map((a) => (
                <tr data-attestation={a.id}>
                  <td>{a.licence}</td>
                  <td>{names.get(a.licence) ?? ""}</td>
                  <td>{kzDateTime(a.issuedAt)}{a.revokedAt !== null ? ` (${t(ATTESTATION_T.meRevoked, lang)})` : ""}</td>
                  <td><a href={`/a/${a.id}?lang=${lang}`}>{a.id}</a> · <a href={`/a/${a.id}.pdf?lang=${lang}`}>PDF</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** 12.1, 12.2, 13.1: close the year, reopen it with a reason, the closings on record, the measures for those short. */
function ClosingPanel(props: { frame: ConsoleFrame; report: ComplianceReport; closing: ClosingState; mayClose: boolean; barQuery: string; today: string; short: MemberReportRow[]; refused?: RefusedForm }) {
  const { lang, csrf } = props.frame;
  const { closing: c, report: r, barQuery } = props;
  const year = c.year;
  // 13.1: the members short in the closed year who are on this page of the report (the filter "only those short"
  // pages through all of them), and the one whose refused form is shown again.
  const short = r.closing ? props.short : [];
  const close = refill(lang, props.refused, "close");
  const reopen = refill(lang, props.refused, "reopen");
  return (
    <section data-section="closing" data-closed={String(c.closed)}>
      <h2>{t(CLOSING_T.title, lang)}</h2>
      {!c.closed && !c.yearEnded && <p data-notice="not-ended">{fillTemplate(t(CLOSING_T.notEnded, lang), { year, next: year + 1 })}</p>}
      {!c.closed && c.yearEnded && <p>{fillTemplate(t(CLOSING_T.notClosed, lang), { year })}</p>}
      {props.mayClose && !c.closed && c.yearEnded && (
        <form class="stack" method="post" action={`/console/compliance/close${barQuery}`} data-form="close">
          <Csrf value={csrf} />
          <input type="hidden" name="year" value={String(year)} />
          <p><small>{fillTemplate(t(CLOSING_T.closeIntro, lang), { year })}</small></p>
          {close.rest(["closedOn", "confirm", "year"])}
          <label>{t(CLOSING_T.closedOn, lang)}<input type="date" name="closedOn" required min={`${year + 1}-01-01`} max={props.today} value={close.value("closedOn", props.today)} {...close.aria("closedOn")} />{close.note("closedOn")}{close.note("year")}</label>
          {/* 12.2: closing freezes the report: a box to tick that says so (required here and checked by the server). */}
          <label class="confirm"><input type="checkbox" name="confirm" value="1" required checked={close.value("confirm") === "1"} {...close.aria("confirm")} /> {t(BLISTS_T.confirmClose, lang)}{close.note("confirm", t(BLISTS_T.confirmMissing, lang))}</label>
          <p><button type="submit" class="danger">{t(CLOSING_T.close, lang)}</button></p>
        </form>
      )}
      {props.mayClose && c.closed && (
        <form class="stack" method="post" action={`/console/compliance/reopen${barQuery}`} data-form="reopen">
          <Csrf value={csrf} />
          <input type="hidden" name="year" value={String(year)} />
          <h3>{t(CLOSING_T.reopenTitle, lang)}</h3>
          <p><small>{t(CLOSING_T.reopenIntro, lang)}</small></p>
          {reopen.rest(["reason", "year"])}
          <label>{t(CLOSING_T.reason, lang)}<textarea name="reason" required maxlength={2000} rows={3} cols={60} {...reopen.aria("reason")}>{reopen.value("reason")}</textarea>{reopen.note("reason")}{reopen.note("year")}</label>
          <p><button type="submit" class="danger">{t(CLOSING_T.reopen, lang)}</button></p>
        </form>
      )}
      {c.history.length > 0 && (
        <>
          <h3>{t(CLOSING_T.history, lang)}</h3>
          <ul data-field="closings">
            {c.history.map((h) => (
              <li data-closing={h.id}>
                {fillTemplate(t(CLOSING_T.closedEntry, lang), { date: h.closedOn, who: h.closedBy, at: kzDateTime(h.closedAt) })}
                {h.reopenedAt !== null && <>; {fillTemplate(t(CLOSING_T.reopenedEntry, lang), { at: kzDateTime(h.reopenedAt), who: h.reopenedBy ?? "", reason: h.reopenReason ?? "" })}</>}
                <br /><small>{t(CLOSING_T.digest, lang)}: <code>{h.digest}</code></small>
              </li>
            ))}
          </ul>
        </>
      )}
      {r.closing && (
        <>
          <h3>{t(CLOSING_T.measuresTitle, lang)}</h3>
          <p><small>{t(CLOSING_T.measuresIntro, lang)}</small></p>
          {short.length === 0 ? (
            <p>{t(CLOSING_T.noShort, lang)}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead><tr><th>{t(T.licence, lang)}</th><th>{t(BK.name, lang)}</th><th>{t(CLOSING_T.measure, lang)}</th></tr></thead>
                <tbody>
                  {short.map((m) => {
                    const f = refill(lang, props.refused, `measure:${m.licence}`);
                    return (
                    <tr data-measure-for={m.licence}>
                      <td>{m.licence}</td>
                      <td>{m.fullName}</td>
                      <td>
                        {props.mayClose ? (
                          <form class="stack" method="post" action={`/console/compliance/measures/${encodeURIComponent(m.licence)}${barQuery}`}>
                            <Csrf value={csrf} />
                            <input type="hidden" name="year" value={String(year)} />
                            {f.rest(["decision", "decidedOn"])}
                            <label>{t(CLOSING_T.decision, lang)}<textarea name="decision" required maxlength={2000} rows={2} cols={50} {...f.aria("decision")}>{f.value("decision", m.measure?.decision ?? "")}</textarea>{f.note("decision")}</label>
                            <label>{t(CLOSING_T.decidedOn, lang)}<input type="date" name="decidedOn" required min={`${year + 1}-01-01`} max={props.today} value={f.value("decidedOn", m.measure?.decidedOn ?? props.today)} {...f.aria("decidedOn")} />{f.note("decidedOn")}</label>
                            <p><button type="submit">{t(CLOSING_T.record, lang)}</button></p>
                          </form>
                        ) : m.measure ? (
                          fillTemplate(t(CLOSING_T.measureEntry, lang), { decision: m.measure.decision, date: m.measure.decidedOn })
                        ) : (
                          t(CLOSING_T.noMeasure, lang)
                        )}
                      </td>
                    </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

export function ConsoleAnalysisPage(props: { frame: ConsoleFrame; analysis: AnnualAnalysis; bars: Bar[]; vocabulary: Vocabulary }) {
  const { lang } = props.frame;
  return (
    <ConsoleLayout frame={props.frame} title={`${t(BK.analysisTitle, lang)} — ${props.analysis.year}`} path="/console/analysis">
      <BarBookkeepingNav lang={lang} year={props.analysis.year} />
      <YearForm lang={lang} action="/console/analysis" year={props.analysis.year} />
      {/* The charts are wider than a phone: they scroll inside their own region, never the page (issue 16). */}
      <div class="table-wrap console-analysis" tabindex={0} role="region" aria-label={t(BLISTS_T.analysisRegion, lang)}>
        <AnalysisView lang={lang} analysis={props.analysis} bars={props.bars} vocabulary={props.vocabulary} />
      </div>
    </ConsoleLayout>
  );
}

/** 7.5: the provider's survey results (the bar's admin sees those of the providers it accredited). */
export function SurveyResultsPage(props: { frame: ConsoleFrame; title: string; results: SurveyResults }) {
  const { lang } = props.frame;
  const r = props.results;
  const avg = (v: number | null) => (v === null ? "—" : formatNumber(v, lang, 2));
  const cells = (x: RatingSummary) => (
    <>
      <td>{x.responses}</td><td>{avg(x.quality)}</td><td>{avg(x.effectiveness)}</td><td>{avg(x.usefulness)}</td>
    </>
  );
  const head = (first: string) => (
    <tr>{first === "" ? <td></td> : <th>{first}</th>}<th>{t(BK.responses, lang)}</th><th>{t(BK.quality, lang)}</th><th>{t(BK.effectiveness, lang)}</th><th>{t(BK.usefulness, lang)}</th></tr>
  );
  return (
    <ConsoleLayout frame={props.frame} title={`${t(BK.surveys, lang)} — ${props.title}`} path="/console/surveys">
      <p><a href="/console">{t(UI.back, lang)}</a></p>
      <p><small>{t(BK.scale, lang)}. {t(BKC.tooFew, lang)} {r.minResponsesShown}.</small></p>
      <div class="table-wrap" tabindex={0} role="region" aria-label={t(BKC.overall, lang)}>
        <table>
          <thead>{head("")}</thead>
          <tbody><tr data-overall="1"><th>{t(BKC.overall, lang)}</th>{cells(r.overall)}</tr></tbody>
        </table>
      </div>
      <h2>{t(BKC.byEvent, lang)}</h2>
      {r.byEvent.length === 0 ? (
        <p>{t(T.none, lang)}</p>
      ) : (
        <div class="table-wrap" tabindex={0} role="region" aria-label={t(BKC.byEvent, lang)}>
          <table>
            <thead>{head(t(T.topic, lang))}</thead>
            <tbody>
              {r.byEvent.map((e) => (
                <tr data-event={e.eventId}><td>{e.topic}</td>{cells(e)}</tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {r.byEvent.some((e) => e.comments && e.comments.length > 0) && (
        <>
          <h2>{t(BKC.comments, lang)}</h2>
          {r.byEvent.filter((e) => e.comments && e.comments.length > 0).map((e) => (
            <section data-comments={e.eventId}>
              <h3>{e.topic}</h3>
              <ul>{e.comments!.map((c) => <li>{c}</li>)}</ul>
            </section>
          ))}
        </>
      )}
    </ConsoleLayout>
  );
}

/**
 * 7.5: fresh survey links for an event's participants, shown once right after the provider asked for them (they are
 * stored only as HMACs, so this page cannot be shown again; asking again makes new links that replace these).
 */
export function SurveyLinksPage(props: { frame: ConsoleFrame; eventId: string; topic: string; links: ParticipantSurveyLink[] }) {
  const { lang } = props.frame;
  return (
    <ConsoleLayout frame={props.frame} title={`${t(BK.surveyLinksTitle, lang)} — ${props.topic}`} path={`/console/events/${props.eventId}`}>
      <p><a href={`/console/events/${props.eventId}`}>{t(UI.back, lang)}</a></p>
      <p>{t(BK.surveyLinksIntro, lang)}</p>
      <div class="table-wrap">
        <table>
          <thead><tr><th>{t(T.participant, lang)}</th><th>{t(T.licence, lang)}</th><th>{t(BK.surveyLink, lang)}</th><th>{t(BK.participantPdf, lang)}</th></tr></thead>
          <tbody>
            {props.links.map((l) => (
              <tr data-certificate={l.certificateId} data-state={l.state}>
                <td>{l.fullName}</td>
                <td>{l.licenceNumber}</td>
                {l.survey && l.pdf ? (
                  <>
                    <td><code data-field="survey">{l.survey}</code></td>
                    <td><a href={`${l.pdf}&lang=${lang}`} data-field="participant-pdf" rel="noreferrer">PDF</a></td>
                  </>
                ) : (
                  <td colspan={2}>{t(l.state === "revoked" ? BK.surveyStateRevoked : BK.surveyStateAnswered, lang)}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ConsoleLayout>
  );
}

// ---- outside and paper certificates (2.2(2), 7.5): the bar's review ----------------------------------------------

const vocabName = (list: { code: string; names: Record<Lang, string> }[], code: string, lang: Lang) => list.find((e) => e.code === code)?.names[lang] ?? code;

function statusName(s: Submission["status"], lang: Lang): string {
  return t(s === "pending" ? BKC.subStatusPending : s === "accepted" ? BKC.subStatusAccepted : BKC.subStatusRejected, lang);
}

/** The bar's submissions, pending first, and the form to enter one on an advocate's behalf. */
export function SubmissionsPage(props: { frame: ConsoleFrame; barName: string; year: number; submissions: Submission[]; vocabulary: Vocabulary; onBehalf: boolean; notice?: string; refused?: RefusedForm }) {
  const { lang, csrf } = props.frame;
  const f = refill(lang, props.refused, "on-behalf", { academicHours: "academicHours" });
  const pending = props.submissions.filter((s) => s.status === "pending");
  const decided = props.submissions.filter((s) => s.status !== "pending");
  const table = (list: Submission[], kind: string) =>
    list.length === 0 ? (
      <p>{t(BKC.subNone, lang)}</p>
    ) : (
      <div class="table-wrap">
        <table data-list={kind}>
          <thead><tr><th>{t(BKC.subLicence, lang)}</th><th>{t(BKC.subOrganiser, lang)}</th><th>{t(BKC.subTopic, lang)}</th><th>{t(BKC.subDate, lang)}</th><th>{t(BKC.subClaimed, lang)}</th><th>{t(BKC.subStatus, lang)}</th><th>{t(BKC.subReview, lang)}</th></tr></thead>
          <tbody>
            {list.map((s) => (
              <tr data-submission={s.id} data-status={s.status}>
                <td>{s.licence}</td><td>{s.organiser}</td><td>{s.topic}</td><td>{s.completedOn}</td><td>{formatNumber(s.claimedHours, lang, 1)}</td>
                <td>{statusName(s.status, lang)}{s.creditedHours !== null ? ` (${formatNumber(s.creditedHours, lang, 1)})` : ""}</td>
                <td><a href={`/console/submissions/${s.id}`}>{t(BKC.subReview, lang)}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  return (
    <ConsoleLayout frame={props.frame} title={`${t(BKC.subTitle, lang)} — ${props.barName}`} path="/console/submissions" notice={props.notice} error={refusalText(lang, props.refused)}>
      <BarBookkeepingNav lang={lang} year={props.year} />
      <h2>{t(BKC.subPending, lang)}</h2>
      {table(pending, "pending")}
      <h2>{t(BKC.subDecided, lang)}</h2>
      {table(decided, "decided")}
      {props.onBehalf && (
        <>
          <h2 id="on-behalf">{t(BKC.subNew, lang)}</h2>
          <p>{t(BKC.subNewHint, lang)}</p>
          <form class="stack" method="post" action="/console/submissions/new" enctype="multipart/form-data" data-form="on-behalf">
            <Csrf value={csrf} />
            {f.rest(["licence", "organiser", "topic", "programme", "form", "completedOn", "academicHours", "attachment", "credential"])}
            {/* A licence typed, not chosen from 2,000 members (issue 16: the page stays small); the service checks membership. */}
            <label>{t(BKC.subLicence, lang)}<input type="text" name="licence" required maxlength={40} autocomplete="off" value={f.value("licence")} {...f.aria("licence")} />{f.note("licence")}</label>
            <SubmissionFields lang={lang} vocabulary={props.vocabulary} refill={f} />
            {f.refused?.fileSent && <p class="field-problem" data-notice="file-again">{t(BLISTS_T.fileAgain, lang)}</p>}
            <p><button type="submit">{t(BKC.subSubmit, lang)}</button></p>
          </form>
        </>
      )}
    </ConsoleLayout>
  );
}

/** One submission for review: its facts, the attachment's link, the upload's verification, and accept/reject. */
export function SubmissionReviewPage(props: { frame: ConsoleFrame; submission: Submission; vocabulary: Vocabulary; notice?: string }) {
  const { lang, csrf } = props.frame;
  const s = props.submission;
  return (
    <ConsoleLayout frame={props.frame} title={`${t(BKC.subReview, lang)}: ${s.topic}`} path={`/console/submissions/${s.id}`} notice={props.notice}>
      <p><a href="/console/submissions">{t(BKC.subNav, lang)}</a></p>
      <dl data-submission={s.id} data-status={s.status}>
        <dt>{t(BKC.subLicence, lang)}</dt><dd>{s.licence}</dd>
        <dt>{t(BKC.subOrganiser, lang)}</dt><dd>{s.organiser}</dd>
        <dt>{t(BKC.subTopic, lang)}</dt><dd>{s.topic}</dd>
        <dt>{t(BKC.subProgramme, lang)}</dt><dd>{vocabName(props.vocabulary.programmes, s.programme, lang)}</dd>
        <dt>{t(BKC.subForm, lang)}</dt><dd>{vocabName(props.vocabulary.forms, s.form, lang)}</dd>
        <dt>{t(BKC.subDate, lang)}</dt><dd>{s.completedOn}</dd>
        <dt>{t(BKC.subClaimed, lang)}</dt><dd>{formatNumber(s.claimedHours, lang, 1)}</dd>
        <dt>{t(BKC.subSubmitted, lang)}</dt><dd>{s.submittedAt}</dd>
        <dt>{t(BKC.subSubmittedBy, lang)}</dt><dd>{s.onBehalf ? `${s.submittedBy} (${t(BKC.subOnBehalf, lang)})` : t(BKC.subByAdvocate, lang)}</dd>
        <dt>{t(BKC.subStatus, lang)}</dt><dd data-field="status">{statusName(s.status, lang)}</dd>
        {s.creditedHours !== null && <><dt>{t(BKC.subCredited, lang)}</dt><dd>{formatNumber(s.creditedHours, lang, 1)}</dd></>}
        {s.reason !== null && <><dt>{t(BKC.subReason, lang)}</dt><dd>{s.reason}</dd></>}
        {s.decidedBy !== null && <><dt>{t(BKC.subDecidedBy, lang)}</dt><dd data-field="decided-by">{s.decidedBy}</dd><dt>{t(BKC.subDecidedAt, lang)}</dt><dd>{s.decidedAt}</dd></>}
      </dl>
      <h2>{t(BKC.subAttachment, lang)}</h2>
      {s.attachment ? (
        <p><a href={`/console/submissions/${s.id}/attachment`} data-link="attachment">{t(BKC.subDownload, lang)}</a> ({s.attachment.mediaType}, {Math.ceil(s.attachment.size / 1024)} KB{s.attachment.name ? `, ${s.attachment.name}` : ""})</p>
      ) : (
        <p>{t(BKC.subNoAttachment, lang)}</p>
      )}
      <h2>{t(BKC.subCredential, lang)}</h2>
      {s.credential ? (
        <dl data-credential={s.credential.verified ? "verified" : "failed"}>
          <dt>{t(BKC.subIssuer, lang)}</dt><dd>{s.credential.issuer ?? "—"}</dd>
          <dt>{t(BKC.subProfile, lang)}</dt><dd>{s.credential.profile ?? "—"}</dd>
          <dt>{s.credential.verified ? t(BKC.subVerified, lang) : t(BKC.subNotVerified, lang)}</dt><dd>{s.credential.verified ? "✔" : s.credential.failed.join(", ")}</dd>
        </dl>
      ) : (
        <p>{t(BKC.subNoCredential, lang)}</p>
      )}
      {s.status === "pending" ? (
        <>
          <form class="stack" method="post" action={`/console/submissions/${s.id}/accept`} data-form="accept">
            <Csrf value={csrf} />
            <label>{t(BKC.subCredited, lang)}<input type="number" name="creditedHours" min="0.1" max={String(s.claimedHours)} step="0.1" value={String(s.claimedHours)} required /></label>
            <p><button type="submit">{t(BKC.subAccept, lang)}</button></p>
          </form>
          <form class="stack" method="post" action={`/console/submissions/${s.id}/reject`} data-form="reject">
            <Csrf value={csrf} />
            <label>{t(BKC.subReason, lang)}<textarea name="reason" maxlength={2000} required></textarea></label>
            <p><button type="submit" class="danger">{t(BKC.subReject, lang)}</button></p>
          </form>
          <p><small>{t(BKC.subFinal, lang)}</small></p>
        </>
      ) : (
        <p>{t(BKC.subFinal, lang)}</p>
      )}
    </ConsoleLayout>
  );
}

/**
 * What an outside or paper certificate's submission asks, the same for the bar entering it and the advocate at /me:
 * the fields src/http/routes/bookkeeping.tsx `readSubmissionForm` reads.
 */
export function SubmissionFields(props: { lang: Lang; vocabulary: Vocabulary; refill?: ReturnType<typeof refill> }) {
  const { lang } = props;
  // Issue 16: a refused form shows what was typed and each field's problem; without one, the empty form.
  const f = props.refill ?? refill(lang, undefined, "");
  const programme = f.value("programme");
  const form = f.value("form");
  return (
    <>
      <label>{t(BKC.subOrganiser, lang)}<input type="text" name="organiser" maxlength={500} required value={f.value("organiser")} {...f.aria("organiser")} />{f.note("organiser")}</label>
      <label>{t(BKC.subTopic, lang)}<input type="text" name="topic" maxlength={500} required value={f.value("topic")} {...f.aria("topic")} />{f.note("topic")}</label>
      <label>{t(BKC.subProgramme, lang)}
        <select name="programme" required {...f.aria("programme")}>{props.vocabulary.programmes.map((p) => <option value={p.code} selected={p.code === programme}>{p.names[lang]}</option>)}</select>
        {f.note("programme")}
      </label>
      <label>{t(BKC.subForm, lang)}
        <select name="form" required {...f.aria("form")}>{props.vocabulary.forms.map((x) => <option value={x.code} selected={x.code === form}>{x.names[lang]}</option>)}</select>
        {f.note("form")}
      </label>
      <label>{t(BKC.subDate, lang)}<input type="date" name="completedOn" required value={f.value("completedOn")} {...f.aria("completedOn")} />{f.note("completedOn")}</label>
      <label>{t(BKC.subClaimed, lang)}<input type="number" name="academicHours" min="0.1" max="1000" step="0.1" required inputmode="decimal" value={f.value("academicHours")} {...f.aria("academicHours")} />{f.note("academicHours")}</label>
      <label>{t(BKC.subAttachment, lang)}<input type="file" name="attachment" accept="application/pdf,image/jpeg,image/png" {...f.aria("attachment")} />{f.note("attachment")}</label>
      <label>{t(BKC.subCredentialFile, lang)}<input type="file" name="credential" accept=".jwt,.json,application/json" {...f.aria("credential")} />{f.note("credential")}</label>
    </>
  );
}

/** A reminder date's problem (src/domain/reminders.ts codes) in the page's language; others keep the API's text. */
function reminderProblemText(p: FieldProblem, lang: Lang): string {
  const key = ({ "date-invalid": "problemDateInvalid", "date-outside-year": "problemOutsideYear", "date-repeated": "problemRepeated", "too-many-dates": "problemTooMany" } as const)[p.code ?? ""];
  return key ? fillTemplate(t(REMINDERS_T[key], lang), p.params) : `${p.path}: ${p.message}`;
}

/**
 * Issue 13: the year's reminder dates (the defaults until the bar sets its own) and who was reminded, with the
 * hours and requirement each reminder carried and what became of its message. `draft` and `problems`: a refused form,
 * shown again with what was typed and why, in the page's language.
 */
export function RemindersPage(props: { frame: ConsoleFrame; barName: string; log: ReminderLog; requirementSet: boolean; formAction: string; notice?: string; draft?: string[]; problems?: FieldProblem[] }) {
  const { lang, csrf } = props.frame;
  const { log } = props;
  const R = REMINDERS_T;
  const year = log.year;
  const shown = props.draft ?? log.schedule.dates;
  const fields = [...shown, ...Array<string>(Math.max(0, MAX_REMINDER_DATES - shown.length)).fill("")];
  const langName = (l: string | null) => t(l === "kk" ? R.langKk : l === "ru" ? R.langRu : l === "en" ? R.langEn : R.langBoth, lang);
  const dateState = (d: ReminderLog["dates"][number]) =>
    d.state === "done"
      ? fillTemplate(t(R.stateDone, lang), { at: kzDateTime(d.completedAt!), count: d.reminded })
      : d.state === "superseded"
        ? fillTemplate(t(R.stateSuperseded, lang), { date: d.supersededBy! })
        : t(d.state === "due" ? R.stateDue : d.state === "missed" ? R.stateMissed : R.stateScheduled, lang);
  return (
    <ConsoleLayout frame={props.frame} title={`${t(R.title, lang)} ${year} — ${props.barName}`} path="/console/reminders" notice={props.notice} error={props.problems ? t(R.notSaved, lang) : undefined}>
      <BarBookkeepingNav lang={lang} year={year} />
      <YearForm lang={lang} action="/console/reminders" year={year} />
      <p>{t(R.intro, lang)}</p>
      {!log.schedule.configured && <p class="notice" data-notice="default-dates">{fillTemplate(t(R.defaults, lang), { year })}</p>}
      {!props.requirementSet && <p class="notice" data-notice="no-requirement">{fillTemplate(t(R.noRequirement, lang), { year })}</p>}
      {props.problems && (
        <ul data-problems="1">
          {props.problems.map((p) => <li data-problem-code={p.code}>{reminderProblemText(p, lang)}</li>)}
        </ul>
      )}
      <form class="stack" method="post" action={props.formAction} data-configured={String(log.schedule.configured)}>
        <Csrf value={csrf} />
        <input type="hidden" name="year" value={String(year)} />
        <fieldset>
          <legend>{fillTemplate(t(R.dates, lang), { year, max: MAX_REMINDER_DATES })}</legend>
          <p><small>{t(R.datesHint, lang)}</small></p>
          {fields.map((d, i) => <input type="date" name="date" min={`${year}-01-01`} max={`${year}-12-31`} value={d} aria-label={`${t(R.date, lang)} ${i + 1}`} />)}
        </fieldset>
        <p><button type="submit">{t(UI.save, lang)}</button></p>
      </form>

      <h2>{t(R.datesTitle, lang)}</h2>
      <div class="table-wrap">
        <table>
          <thead><tr><th>{t(R.date, lang)}</th><th>{t(DELIVERY_T.state, lang)}</th></tr></thead>
          <tbody>
            {log.dates.map((d) => <tr data-date={d.date} data-state={d.state}><td>{d.date}</td><td>{dateState(d)}</td></tr>)}
          </tbody>
        </table>
      </div>

      <h2>{t(R.logTitle, lang)}</h2>
      {log.reminders.length === 0 ? (
        <p data-empty="reminders">{t(R.none, lang)}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t(R.date, lang)}</th><th>{t(T.licence, lang)}</th><th>{t(BK.name, lang)}</th><th>{t(R.hours, lang)}</th><th>{t(R.required, lang)}</th>
                <th>{t(R.shortBy, lang)}</th><th>{t(R.language, lang)}</th><th>{t(DELIVERY_T.address, lang)}</th><th>{t(DELIVERY_T.state, lang)}</th>
              </tr>
            </thead>
            <tbody>
              {log.reminders.map((r) => (
                <tr data-reminder={r.licence} data-date={r.date} data-state={r.state}>
                  <td>{r.date}</td>
                  <td>{r.licence}</td>
                  <td>{r.fullName}</td>
                  <td>{r.verifiedHours}</td>
                  <td>{r.requiredHours}</td>
                  <td>{r.shortHours > 0 ? r.shortHours : ""}{r.foundationsMissing ? <small> {t(R.foundationsMissing, lang)}</small> : ""}</td>
                  <td>{langName(r.lang)}</td>
                  <td>{r.toAddress ?? "—"}</td>
                  <td>
                    {t(DELIVERY_T[r.state], lang)}
                    {r.sentAt ? ` ${kzDateTime(r.sentAt)}` : ""}
                    {r.lastError ? <small> {t(DELIVERY_T.reply, lang)}: {r.lastError}</small> : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </ConsoleLayout>
  );
}
