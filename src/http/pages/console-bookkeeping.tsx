/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The bookkeeping pages of the consoles: a bar's members and suspensions (2.3), the year's policy (10.2, 5.1.4, 2.3),
 * the compliance report (12.1) and the annual analysis (3.2); a provider's survey results (7.5). The report and the
 * analysis are the same views as their ?format=html pages (pages/bookkeeping.tsx), inside the console's frame.
 */
import type { AnnualAnalysis } from "../../compliance/analysis.js";
import type { Member, StoredSuspension } from "../../compliance/model.js";
import type { ComplianceReport, PolicyView } from "../../compliance/service.js";
import type { ParticipantSurveyLink, RatingSummary, SurveyResults } from "../../compliance/surveys.js";
import type { Bar, Vocabulary } from "../../registry/model.js";
import { BK, BKC, T, t, UI, type Lang } from "../i18n.js";
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
      <a href={`/console/analysis?year=${year}`}>{t(BK.analysisTitle, lang)}</a>
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
          <legend>{t(BK.foundationsRule, lang)}</legend>
          <p><small>{p.foundationsSourceWording[lang]}</small></p>
          <label>
            <select name="foundationsOperator">
              <option value="" selected={op === ""}>{t(BKC.foundationsOff, lang)}</option>
              <option value="<" selected={op === "<"}>{t(BKC.practiceBelow, lang)}</option>
              <option value=">=" selected={op === ">="}>{t(BKC.practiceAtLeast, lang)}</option>
            </select>
          </label>
          <label>{t(BKC.practiceYears, lang)}<input type="number" name="foundationsYears" min={0} max={60} value={p.foundationsRule ? String(p.foundationsRule.years) : ""} /></label>
        </fieldset>
        <label>{t(BK.teachingCredit, lang)} (%)<input type="number" name="teachingCreditPercent" min={0} max={1000} required value={String(p.teachingCreditPercent)} /></label>
        <label><input type="checkbox" name="prorate" value="1" checked={p.prorate} /> {t(BK.prorate, lang)}</label>
        <p><button type="submit">{t(UI.save, lang)}</button></p>
      </form>
    </ConsoleLayout>
  );
}

export function ConsoleCompliancePage(props: { frame: ConsoleFrame; report: ComplianceReport; bars: Bar[] }) {
  const { lang } = props.frame;
  return (
    <ConsoleLayout frame={props.frame} title={`${t(BK.complianceTitle, lang)} — ${props.report.year}`} path="/console/compliance">
      <BarBookkeepingNav lang={lang} year={props.report.year} />
      <YearForm lang={lang} action="/console/compliance" year={props.report.year} />
      <ComplianceReportView lang={lang} report={props.report} bars={props.bars} />
    </ConsoleLayout>
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
  const avg = (v: number | null) => (v === null ? "—" : v.toFixed(2));
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
