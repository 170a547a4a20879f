/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The bookkeeping pages of the consoles: a bar's members and suspensions (2.3), the year's policy (10.2, 5.1.4, 2.3),
 * the compliance report (12.1) and the annual analysis (3.2); a provider's survey results (7.5). The report and the
 * analysis are the same views as their ?format=html pages (pages/bookkeeping.tsx), inside the console's frame.
 */
import { formatNumber } from "../reports/numbers.js";
import type { AnnualAnalysis } from "../../compliance/analysis.js";
import type { Member, StoredSuspension } from "../../compliance/model.js";
import type { ComplianceReport, PolicyView } from "../../compliance/service.js";
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
import { ATTESTATION_T, BK, BKC, CLOSING_T, DELIVERY_T, REMINDERS_T, T, t, UI, type Lang } from "../i18n.js";
import { AnalysisView, ComplianceReportView } from "./bookkeeping.js";
import { ConsoleLayout, Csrf, type ConsoleFrame } from "./console.js";

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

export function MembersPage(props: { frame: ConsoleFrame; barName: string; year: number; members: Member[]; suspensions: StoredSuspension[]; notice?: string }) {
  const { lang, csrf } = props.frame;
  const byLicence = new Map<string, StoredSuspension[]>();
  for (const s of props.suspensions) byLicence.set(s.licence, [...(byLicence.get(s.licence) ?? []), s]);
  return (
    <ConsoleLayout frame={props.frame} title={`${t(BK.members, lang)} — ${props.barName}`} path="/console/members" notice={props.notice}>
      <BarBookkeepingNav lang={lang} year={props.year} />
      {props.members.length === 0 ? (
        <p>{t(T.none, lang)}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead><tr><th>{t(T.licence, lang)}</th><th>{t(BK.name, lang)}</th><th>{t(BKC.admissionDate, lang)}</th><th>{t(BKC.email, lang)}</th><th>{t(BKC.suspensions, lang)}</th></tr></thead>
            <tbody>
              {props.members.map((m) => (
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
                    <details>
                      <summary>{t(BKC.addSuspension, lang)}</summary>
                      <form class="stack" method="post" action={`/console/members/${encodeURIComponent(m.licence)}/suspensions`}>
                        <Csrf value={csrf} />
                        <label>{t(BKC.from, lang)}<input type="date" name="from" required /></label>
                        <label>{t(BKC.until, lang)}<input type="date" name="until" /></label>
                        <label>{t(UI.reason, lang)}<input type="text" name="reason" maxlength={1000} /></label>
                        <p><button type="submit">{t(UI.save, lang)}</button></p>
                      </form>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t(BKC.addMember, lang)}</h2>
      <form class="stack" method="post" action="/console/members">
        <Csrf value={csrf} />
        <label>{t(T.licence, lang)}<input type="text" name="licence" required maxlength={40} /></label>
        <label>{t(BK.name, lang)}<input type="text" name="fullName" required maxlength={300} /></label>
        <label>{t(BKC.admissionDate, lang)}<input type="date" name="admissionDate" required /></label>
        <label>{t(BKC.email, lang)}<input type="email" name="email" maxlength={254} /></label>
        <p><button type="submit">{t(UI.save, lang)}</button></p>
      </form>

      <h2>{t(BKC.importButton, lang)}</h2>
      <form class="stack" method="post" action="/console/members/import" enctype="multipart/form-data">
        <Csrf value={csrf} />
        <label>
          {t(BKC.importMembers, lang)}
          <textarea name="csv" rows={6} placeholder={"licence;name;admission date;email\n123456;Әлия Құрманова;2015-03-01;"}></textarea>
        </label>
        <label>{t(BKC.csvFile, lang)}<input type="file" name="file" accept=".csv,text/csv,text/plain" /></label>
        <p><button type="submit">{t(BKC.importButton, lang)}</button></p>
      </form>
    </ConsoleLayout>
  );
}

export function PolicyPage(props: { frame: ConsoleFrame; barName: string; policy: PolicyView; notice?: string }) {
  const { lang, csrf } = props.frame;
  const p = props.policy;
  const op = p.foundationsRule?.operator ?? "";
  return (
    <ConsoleLayout frame={props.frame} title={`${t(BKC.policyTitle, lang)} ${p.year} — ${props.barName}`} path="/console/policy" notice={props.notice}>
      <BarBookkeepingNav lang={lang} year={p.year} />
      <YearForm lang={lang} action="/console/policy" year={p.year} />
      {!p.configured && <p class="notice" data-notice="no-policy">{t(BK.noPolicy, lang)}</p>}
      <form class="stack" method="post" action="/console/policy" data-configured={String(p.configured)}>
        <Csrf value={csrf} />
        <input type="hidden" name="year" value={String(p.year)} />
        <label>
          {t(BK.required, lang)} <small>({t(BKC.notSet, lang)})</small>
          <input type="number" name="requiredAcademicHours" min={0} max={1000} step="0.1" value={p.requiredAcademicHours === null ? "" : String(p.requiredAcademicHours)} />
        </label>
        <fieldset>
          <legend id="foundations-rule">{t(BK.foundationsRule, lang)}</legend>
          <p><small>{p.foundationsSourceWording[lang]}</small></p>
          <label>
            <select name="foundationsOperator" aria-labelledby="foundations-rule">
              <option value="" selected={op === ""}>{t(BKC.foundationsOff, lang)}</option>
              <option value="<" selected={op === "<"}>{t(BKC.practiceBelow, lang)}</option>
              <option value=">=" selected={op === ">="}>{t(BKC.practiceAtLeast, lang)}</option>
            </select>
          </label>
          <label>{t(BKC.practiceYears, lang)}<input type="number" name="foundationsYears" min={0} max={60} value={p.foundationsRule ? String(p.foundationsRule.years) : ""} /></label>
        </fieldset>
        <label>
          {t(CLOSING_T.foundationsMinimum, lang)} <small>({t(CLOSING_T.anyLength, lang)}: {t(BKC.notSet, lang)})</small>
          <input type="number" name="foundationsMinimumMinutes" min={1} max={100000} step="1" value={p.foundationsMinimumMinutes === null ? "" : String(p.foundationsMinimumMinutes)} />
        </label>
        <label>{t(BK.teachingCredit, lang)} (%)<input type="number" name="teachingCreditPercent" min={0} max={1000} required value={String(p.teachingCreditPercent)} /></label>
        <label><input type="checkbox" name="prorate" value="1" checked={p.prorate} /> {t(BK.prorate, lang)}</label>
        <p><button type="submit">{t(UI.save, lang)}</button></p>
      </form>
    </ConsoleLayout>
  );
}

export function ConsoleCompliancePage(props: {
  frame: ConsoleFrame;
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
}) {
  const { lang } = props.frame;
  return (
    <ConsoleLayout frame={props.frame} title={`${t(BK.complianceTitle, lang)} — ${props.report.year}`} path="/console/compliance" notice={props.notice}>
      <BarBookkeepingNav lang={lang} year={props.report.year} />
      <YearForm lang={lang} action="/console/compliance" year={props.report.year} />
      <ComplianceReportView lang={lang} report={props.report} bars={props.bars} />
      {props.closing && <ClosingPanel frame={props.frame} report={props.report} closing={props.closing} mayClose={props.mayClose ?? false} barQuery={props.barQuery ?? ""} today={props.today ?? ""} />}
      {props.attestations && <AttestationsPanel frame={props.frame} report={props.report} attestations={props.attestations} barQuery={props.barQuery ?? ""} />}
    </ConsoleLayout>
  );
}

/** 12.1, 12.2: issue the closed year's attestations (idempotent), and those issued, each linked to its public page. */
function AttestationsPanel(props: { frame: ConsoleFrame; report: ComplianceReport; attestations: AttestationView[]; barQuery: string }) {
  const { lang, csrf } = props.frame;
  const names = new Map(props.report.members.map((m) => [m.licence, m.fullName]));
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
        <div class="table-wrap">
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
function ClosingPanel(props: { frame: ConsoleFrame; report: ComplianceReport; closing: ClosingState; mayClose: boolean; barQuery: string; today: string }) {
  const { lang, csrf } = props.frame;
  const { closing: c, report: r, barQuery } = props;
  const year = c.year;
  const short = r.closing ? r.members.filter((m) => m.status === "short") : [];
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
          <label>{t(CLOSING_T.closedOn, lang)}<input type="date" name="closedOn" required min={`${year + 1}-01-01`} max={props.today} value={props.today} /></label>
          <p><button type="submit">{t(CLOSING_T.close, lang)}</button></p>
        </form>
      )}
      {props.mayClose && c.closed && (
        <form class="stack" method="post" action={`/console/compliance/reopen${barQuery}`} data-form="reopen">
          <Csrf value={csrf} />
          <input type="hidden" name="year" value={String(year)} />
          <h3>{t(CLOSING_T.reopenTitle, lang)}</h3>
          <p><small>{t(CLOSING_T.reopenIntro, lang)}</small></p>
          <label>{t(CLOSING_T.reason, lang)}<textarea name="reason" required maxlength={2000} rows={3} cols={60}></textarea></label>
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
                  {short.map((m) => (
                    <tr data-measure-for={m.licence}>
                      <td>{m.licence}</td>
                      <td>{m.fullName}</td>
                      <td>
                        {props.mayClose ? (
                          <form class="stack" method="post" action={`/console/compliance/measures/${encodeURIComponent(m.licence)}${barQuery}`}>
                            <Csrf value={csrf} />
                            <input type="hidden" name="year" value={String(year)} />
                            <label>{t(CLOSING_T.decision, lang)}<textarea name="decision" required maxlength={2000} rows={2} cols={50}>{m.measure?.decision ?? ""}</textarea></label>
                            <label>{t(CLOSING_T.decidedOn, lang)}<input type="date" name="decidedOn" required min={`${year + 1}-01-01`} max={props.today} value={m.measure?.decidedOn ?? props.today} /></label>
                            <p><button type="submit">{t(CLOSING_T.record, lang)}</button></p>
                          </form>
                        ) : m.measure ? (
                          fillTemplate(t(CLOSING_T.measureEntry, lang), { decision: m.measure.decision, date: m.measure.decidedOn })
                        ) : (
                          t(CLOSING_T.noMeasure, lang)
                        )}
                      </td>
                    </tr>
                  ))}
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
      <AnalysisView lang={lang} analysis={props.analysis} bars={props.bars} vocabulary={props.vocabulary} />
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
    <tr><th>{first}</th><th>{t(BK.responses, lang)}</th><th>{t(BK.quality, lang)}</th><th>{t(BK.effectiveness, lang)}</th><th>{t(BK.usefulness, lang)}</th></tr>
  );
  return (
    <ConsoleLayout frame={props.frame} title={`${t(BK.surveys, lang)} — ${props.title}`} path="/console/surveys">
      <p><a href="/console">{t(UI.back, lang)}</a></p>
      <p><small>{t(BK.scale, lang)}. {t(BKC.tooFew, lang)} {r.minResponsesShown}.</small></p>
      <div class="table-wrap">
        <table>
          <thead>{head("")}</thead>
          <tbody><tr data-overall="1"><th>{t(BKC.overall, lang)}</th>{cells(r.overall)}</tr></tbody>
        </table>
      </div>
      <h2>{t(BKC.byEvent, lang)}</h2>
      {r.byEvent.length === 0 ? (
        <p>{t(T.none, lang)}</p>
      ) : (
        <div class="table-wrap">
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
export function SubmissionsPage(props: { frame: ConsoleFrame; barName: string; year: number; submissions: Submission[]; vocabulary: Vocabulary; members: Member[]; notice?: string }) {
  const { lang, csrf } = props.frame;
  const pending = props.submissions.filter((s) => s.status === "pending");
  const decided = props.submissions.filter((s) => s.status !== "pending");
  const table = (list: Submission[], kind: string) =>
    list.length === 0 ? (
      <p>{t(BKC.subNone, lang)}</p>
    ) : (
      <div class="table-wrap">
        <table data-list={kind}>
          <thead><tr><th>{t(BKC.subLicence, lang)}</th><th>{t(BKC.subOrganiser, lang)}</th><th>{t(BKC.subTopic, lang)}</th><th>{t(BKC.subDate, lang)}</th><th>{t(BKC.subClaimed, lang)}</th><th>{t(BKC.subStatus, lang)}</th><th></th></tr></thead>
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
    <ConsoleLayout frame={props.frame} title={`${t(BKC.subTitle, lang)} — ${props.barName}`} path="/console/submissions" notice={props.notice}>
      <BarBookkeepingNav lang={lang} year={props.year} />
      <h2>{t(BKC.subPending, lang)}</h2>
      {table(pending, "pending")}
      <h2>{t(BKC.subDecided, lang)}</h2>
      {table(decided, "decided")}
      <h2>{t(BKC.subNew, lang)}</h2>
      <p>{t(BKC.subNewHint, lang)}</p>
      <form class="stack" method="post" action="/console/submissions/new" enctype="multipart/form-data" data-form="on-behalf">
        <Csrf value={csrf} />
        <label>{t(BKC.subLicence, lang)}
          <select name="licence" required>
            {props.members.map((m) => <option value={m.licence}>{m.licence} — {m.fullName}</option>)}
          </select>
        </label>
        <SubmissionFields lang={lang} vocabulary={props.vocabulary} />
        <p><button type="submit">{t(BKC.subSubmit, lang)}</button></p>
      </form>
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
export function SubmissionFields(props: { lang: Lang; vocabulary: Vocabulary }) {
  const { lang } = props;
  return (
    <>
      <label>{t(BKC.subOrganiser, lang)}<input type="text" name="organiser" maxlength={500} required /></label>
      <label>{t(BKC.subTopic, lang)}<input type="text" name="topic" maxlength={500} required /></label>
      <label>{t(BKC.subProgramme, lang)}
        <select name="programme" required>{props.vocabulary.programmes.map((p) => <option value={p.code}>{p.names[lang]}</option>)}</select>
      </label>
      <label>{t(BKC.subForm, lang)}
        <select name="form" required>{props.vocabulary.forms.map((f) => <option value={f.code}>{f.names[lang]}</option>)}</select>
      </label>
      <label>{t(BKC.subDate, lang)}<input type="date" name="completedOn" required /></label>
      <label>{t(BKC.subClaimed, lang)}<input type="number" name="academicHours" min="0.1" max="1000" step="0.1" required inputmode="decimal" /></label>
      <label>{t(BKC.subAttachment, lang)}<input type="file" name="attachment" accept="application/pdf,image/jpeg,image/png" /></label>
      <label>{t(BKC.subCredentialFile, lang)}<input type="file" name="credential" accept=".jwt,.json,application/json" /></label>
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
          {fields.map((d) => <input type="date" name="date" min={`${year}-01-01`} max={`${year}-12-31`} value={d} />)}
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
