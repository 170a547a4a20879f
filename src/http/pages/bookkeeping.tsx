/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** Pages of a bar's bookkeeping: the compliance report (12.1), the annual analysis (3.2), the survey form (7.5). */
import { formatNumber } from "../reports/numbers.js";
import type { AnnualAnalysis, Breakdown } from "../../compliance/analysis.js";
import type { LateReport } from "../../compliance/closing.js";
import type { ComplianceReport, MemberReportRow } from "../../compliance/service.js";
import type { DutyNote } from "../../domain/compliance.js";
import { kzDateTime } from "../../domain/time.js";
import type { Bar, Vocabulary } from "../../registry/model.js";
import { fillTemplate } from "../../lib/csv.js";
import { BK, CLOSING_T, COMPLIANCE_STATUS_NAMES, DUTY_NOTE_T, T, t, type Lang } from "../i18n.js";
import { Layout } from "./layout.js";

const barName = (bars: Bar[], id: string, lang: Lang) => bars.find((b) => b.id === id)?.names[lang] ?? id;

export function CompliancePage(props: { lang: Lang; report: ComplianceReport; bars: Bar[]; path: string }) {
  const { lang, report: r } = props;
  return (
    <Layout lang={lang} title={`${t(BK.complianceTitle, lang)} — ${r.year}`} path={props.path}>
      <h1>{t(BK.complianceTitle, lang)}</h1>
      <ComplianceReportView lang={lang} report={r} bars={props.bars} />
    </Layout>
  );
}

/** The report's body, shown on its own page (?format=html) and inside the bar's console. */
export function ComplianceReportView(props: { lang: Lang; report: ComplianceReport; bars: Bar[] }) {
  const { lang, report: r } = props;
  const yesNo = (v: boolean) => t(v ? BK.yes : BK.no, lang);
  const rule = r.policy.foundationsRule;
  return (
    <>
      <p>{barName(props.bars, r.barId, lang)} · {t(BK.year, lang)} {r.year}</p>
      {r.closing && (
        <p class="notice" data-notice="closed" data-digest={r.closing.digest}>
          {fillTemplate(t(CLOSING_T.closedNotice, lang), { date: r.closing.closedOn, who: r.closing.closedBy, at: kzDateTime(r.closing.closedAt) })}
          <br /><small>{t(CLOSING_T.digest, lang)}: <code>{r.closing.digest}</code></small>
        </p>
      )}
      {!r.final && <p class="notice" data-notice="provisional">{t(BK.provisional, lang)}</p>}
      {r.policy.requiredMinutes === null && <p class="notice" data-notice="no-policy">{t(BK.noPolicy, lang)}</p>}
      <dl class="policy">
        <dt>{t(BK.required, lang)}</dt><dd data-field="required">{r.policy.requiredAcademicHours ?? "—"}</dd>
        <dt>{t(BK.foundationsRule, lang)}</dt>
        <dd>{rule ? `${rule.operator} ${rule.years}` : "—"}<br /><small>{lang === "en" ? r.policy.foundationsSourceWording.en : lang === "ru" ? r.policy.foundationsSourceWording.ru : r.policy.foundationsSourceWording.kk}</small></dd>
        <dt>{t(CLOSING_T.foundationsMinimum, lang)}</dt><dd data-field="foundations-minimum">{r.policy.foundationsMinimumMinutes ?? t(CLOSING_T.anyLength, lang)}</dd>
        <dt>{t(BK.teachingCredit, lang)}</dt><dd>{r.policy.teachingCreditPercent}%</dd>
        <dt>{t(BK.prorate, lang)}</dt><dd>{yesNo(r.policy.prorate)}</dd>
      </dl>
      <p data-field="totals">
        {t(BK.members, lang)}: {r.totals.members} ·{" "}
        {(["met", "short", "exempt", "no-policy"] as const).map((s) => `${t(COMPLIANCE_STATUS_NAMES[s]!, lang)}: ${r.totals[s]}`).join(" · ")}
      </p>
      <table class="report">
        <thead>
          <tr>
            <th>{t(T.licence, lang)}</th><th>{t(BK.name, lang)}</th><th>{t(BK.practice, lang)}</th><th>{t(BK.certificates, lang)}</th>
            <th>{t(BK.verified, lang)}</th><th>{t(BK.required, lang)}</th><th>{t(BK.foundations, lang)}</th>
            <th>{t(BK.selfRecorded, lang)}</th><th>{t(BK.status, lang)}</th><th>{t(CLOSING_T.why, lang)}</th><th>{t(BK.acceptedByBar, lang)}</th>
            {r.closing && <th>{t(CLOSING_T.measure, lang)}</th>}
          </tr>
        </thead>
        <tbody>
          {r.members.map((m) => (
            <tr data-licence={m.licence} data-status={m.status}>
              <td>{m.licence}</td><td>{m.fullName}</td><td>{m.practiceYears}</td><td>{m.certificates}</td>
              <td>{formatNumber(m.verifiedHours, lang, 1)}</td><td>{m.requiredHours === null ? "—" : formatNumber(m.requiredHours, lang, 1)}</td>
              <td>{m.foundationsRequired ? (m.foundationsDone ? "✔" : "✘") : "—"}</td>
              <td>{formatNumber(m.selfRecordedHours, lang, 1)}</td><td>{t(COMPLIANCE_STATUS_NAMES[m.status]!, lang)}</td>
              <td data-field="duty">{(m.duty ?? []).length === 0 ? "—" : <ul>{(m.duty ?? []).map((n) => <li data-note={n.code}>{dutyNoteText(n, lang)}</li>)}</ul>}</td>
              <td data-field="accepted-by-bar">
                {m.acceptedByBar.length === 0 ? "—" : (
                  <ul>
                    {m.acceptedByBar.map((a) => (
                      <li data-submission={a.submissionId}>{fillTemplate(t(BK.acceptedDecided, lang), { hours: formatNumber(a.creditedHours, lang, 1), topic: a.topic, organiser: a.organiser, who: a.decidedBy, when: a.decidedAt })}</li>
                    ))}
                  </ul>
                )}
              </td>
              {r.closing && <MeasureCell lang={lang} row={m} />}
            </tr>
          ))}
        </tbody>
      </table>
      {r.late && <LateView lang={lang} year={r.year} late={r.late} />}
    </>
  );
}

/** 2.3, 10.2: one reason on a member's line, in the page's language. */
export function dutyNoteText(n: DutyNote, lang: Lang): string {
  const text = DUTY_NOTE_T[n.code];
  return text ? fillTemplate(t(text, lang), n.params) : n.text;
}

/** 13.1: the measure recorded for a member short in the closed year. */
function MeasureCell(props: { lang: Lang; row: MemberReportRow }) {
  const { lang, row: m } = props;
  if (m.status !== "short") return <td>—</td>;
  return (
    <td data-field="measure">
      {m.measure ? fillTemplate(t(CLOSING_T.measureEntry, lang), { decision: m.measure.decision, date: m.measure.decidedOn }) : <small>{t(CLOSING_T.noMeasure, lang)}</small>}
    </td>
  );
}

/** 12.2: the certificates that arrived after the year was closed, apart from the frozen figures, and what they would change. */
function LateView(props: { lang: Lang; year: number; late: LateReport }) {
  const { lang, late } = props;
  const status = (s: string) => t(COMPLIANCE_STATUS_NAMES[s]!, lang);
  return (
    <section data-section="late">
      <h2>{t(CLOSING_T.lateTitle, lang)}</h2>
      <p>{fillTemplate(t(CLOSING_T.lateIntro, lang), { year: props.year })}</p>
      {late.certificates.length === 0 ? (
        <p>{t(CLOSING_T.lateNone, lang)}</p>
      ) : (
        <>
          <p data-field="late-total">{fillTemplate(t(CLOSING_T.lateTotal, lang), { count: late.certificates.length, hours: formatNumber(late.hours, lang, 1) })}</p>
          <table class="report">
            <thead>
              <tr>
                <th>{t(T.licence, lang)}</th><th>{t(BK.name, lang)}</th><th>{t(CLOSING_T.kind, lang)}</th><th>{t(CLOSING_T.topic, lang)}</th>
                <th>{t(BK.hours, lang)}</th><th>{t(CLOSING_T.arrived, lang)}</th>
              </tr>
            </thead>
            <tbody>
              {late.certificates.map((c) => (
                <tr data-late={c.id}>
                  <td>{c.licence}</td><td>{c.fullName ?? "—"}</td><td>{t(c.kind === "issued" ? CLOSING_T.lateIssued : CLOSING_T.lateAccepted, lang)}</td>
                  <td>{c.topic}</td><td>{formatNumber(c.hours, lang, 1)}</td><td>{kzDateTime(c.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table class="report">
            <thead>
              <tr>
                <th>{t(T.licence, lang)}</th><th>{t(BK.name, lang)}</th><th>{t(BK.hours, lang)}</th>
                <th>{t(CLOSING_T.frozen, lang)}</th><th>{t(CLOSING_T.withLate, lang)}</th>
              </tr>
            </thead>
            <tbody>
              {late.members.map((m) => (
                <tr data-late-member={m.licence} data-would-change={String(m.statusWouldChange)}>
                  <td>{m.licence}</td><td>{m.fullName ?? "—"}</td><td>{formatNumber(m.lateHours, lang, 1)}</td>
                  {m.frozen && m.withLate ? (
                    <>
                      <td>{formatNumber(m.frozen.verifiedHours, lang, 1)} · {status(m.frozen.status)}</td>
                      <td>{formatNumber(m.withLate.verifiedHours, lang, 1)} · {status(m.withLate.status)}{m.statusWouldChange ? ` (${t(CLOSING_T.wouldChange, lang)})` : ""}</td>
                    </>
                  ) : (
                    <td colspan={2}>{t(CLOSING_T.notInSnapshot, lang)}</td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** A horizontal bar chart as inline SVG (presentation attributes only: the CSP allows no inline styles or scripts). */
export function BarChart(props: { title: string; items: { label: string; value: number }[]; unit?: string; max?: number }) {
  const rowH = 26;
  // Room for the longest label at about 8 px a character (13 px sans-serif), so programme names are not cut off.
  const labelW = Math.min(520, Math.max(120, 16 + 8.2 * Math.max(0, ...props.items.map((i) => i.label.length))));
  const barW = 360;
  const max = props.max ?? Math.max(1, ...props.items.map((i) => i.value));
  const height = props.items.length * rowH + 8;
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <svg xmlns="http://www.w3.org/2000/svg" width={labelW + barW + 90} height={height} viewBox={`0 0 ${labelW + barW + 90} ${height}`} role="img" aria-label={props.title}>
        {props.items.map((item, i) => {
          const y = i * rowH + 4;
          const w = Math.round((item.value / max) * barW);
          return (
            <g>
              <text x={labelW - 8} y={y + 16} text-anchor="end" font-size="13" fill="#222">{item.label}</text>
              <rect x={labelW} y={y + 3} width={Math.max(w, 1)} height={rowH - 8} fill="#2b6cb0" />
              <text x={labelW + w + 6} y={y + 16} font-size="13" fill="#222">{`${item.value}${props.unit ?? ""}`}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export function AnalysisPage(props: { lang: Lang; analysis: AnnualAnalysis; bars: Bar[]; vocabulary: Vocabulary; path: string }) {
  const { lang, analysis: a } = props;
  return (
    <Layout lang={lang} title={`${t(BK.analysisTitle, lang)} — ${a.year}`} path={props.path}>
      <h1>{t(BK.analysisTitle, lang)}</h1>
      <AnalysisView lang={lang} analysis={a} bars={props.bars} vocabulary={props.vocabulary} />
    </Layout>
  );
}

/** The analysis' body with its charts, shown on its own page (?format=html) and inside the bar's console. */
export function AnalysisView(props: { lang: Lang; analysis: AnnualAnalysis; bars: Bar[]; vocabulary: Vocabulary }) {
  const { lang, analysis: a, vocabulary: v } = props;
  const named = (list: Vocabulary[keyof Vocabulary], b: Breakdown[]) => b.map((x) => ({ label: list.find((e) => e.code === x.code)?.names[lang] ?? x.code, value: x.academicHours }));
  const s = a.surveys;
  return (
    <>
      <p>{barName(props.bars, a.barId, lang)} · {t(BK.year, lang)} {a.year}</p>
      <dl class="figures">
        <dt>{t(BK.events, lang)}</dt><dd data-field="events">{a.events}</dd>
        <dt>{t(BK.certificates, lang)}</dt><dd data-field="certificates">{a.certificates}</dd>
        <dt>{t(BK.hours, lang)}</dt><dd data-field="hours">{formatNumber(a.academicHours, lang, 1)}</dd>
        <dt>{t(BK.providers, lang)}</dt><dd data-field="providers">{a.activeProviders}</dd>
        <dt>{t(BK.advocates, lang)}</dt><dd>{a.advocatesTrained}</dd>
      </dl>
      <BarChart title={`${t(BK.byProgramme, lang)}, ${t(BK.hours, lang).toLowerCase()}`} items={named(v.programmes, a.byProgramme)} />
      <BarChart title={`${t(BK.byForm, lang)}, ${t(BK.hours, lang).toLowerCase()}`} items={named(v.forms, a.byForm)} />
      <BarChart title={`${t(BK.byDelivery, lang)}, ${t(BK.hours, lang).toLowerCase()}`} items={named(v.deliveryModes, a.byDeliveryMode)} />
      <BarChart
        title={t(BK.membersStatus, lang)}
        items={(["met", "short", "exempt", "no-policy"] as const).map((k) => ({ label: t(COMPLIANCE_STATUS_NAMES[k]!, lang), value: a.members[k] }))}
      />
      <h2>{t(BK.surveys, lang)}</h2>
      <p>{t(BK.responses, lang)}: {s.responses}</p>
      {s.responses > 0 && (
        <BarChart
          title={`${t(BK.surveys, lang)}, 1–5`}
          max={5}
          items={[
            { label: t(BK.quality, lang), value: s.quality ?? 0 },
            { label: t(BK.effectiveness, lang), value: s.effectiveness ?? 0 },
            { label: t(BK.usefulness, lang), value: s.usefulness ?? 0 },
          ]}
        />
      )}
      {a.byBar && (
        <BarChart title={`${t(BK.certificates, lang)}`} items={a.byBar.filter((b) => b.certificates > 0).map((b) => ({ label: barName(props.bars, b.barId, lang), value: b.certificates }))} />
      )}
    </>
  );
}

/** 7.5: the participant's survey, at `/survey/{token}`; `unknown` for a token that opens no survey. */
export function SurveyPage(props: { lang: Lang; token: string; topic: string; state: "open" | "answered" | "thanks" | "unknown"; error?: string }) {
  const { lang } = props;
  const scale = (name: "quality" | "effectiveness" | "usefulness") => (
    <fieldset>
      <legend>{t(BK[name], lang)}</legend>
      {[1, 2, 3, 4, 5].map((n) => (
        <label><input type="radio" name={name} value={String(n)} required />{` ${n} `}</label>
      ))}
    </fieldset>
  );
  return (
    <Layout lang={lang} title={t(BK.surveyTitle, lang)} path={`/survey/${props.token}`}>
      <h1>{t(BK.surveyTitle, lang)}</h1>
      {props.topic && <p data-field="topic">{props.topic}</p>}
      {props.state === "unknown" && <p class="verdict bad" role="status">{t(BK.surveyUnknown, lang)}</p>}
      {props.state === "thanks" && <p class="verdict ok" role="status">{t(BK.thanks, lang)}</p>}
      {props.state === "answered" && <p class="notice" role="status">{t(BK.alreadyAnswered, lang)}</p>}
      {props.error && <p class="notice error" role="alert" data-notice="ratings-missing">{props.error}</p>}
      {props.state === "open" && (
        <form method="post" action={`/survey/${props.token}?lang=${lang}`}>
          <p>{t(BK.surveyIntro, lang)}</p>
          <p><small>{t(BK.scale, lang)}</small></p>
          {scale("quality")}
          {scale("effectiveness")}
          {scale("usefulness")}
          <label>{t(BK.comment, lang)}<br /><textarea name="comment" maxlength={2000} rows={4} cols={60}></textarea></label>
          <p><button type="submit">{t(BK.submit, lang)}</button></p>
        </form>
      )}
    </Layout>
  );
}
