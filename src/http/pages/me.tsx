/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The advocate's pages at /me (issue 13): sign-in by licence and a code from the e-mail, then the record of a year.
 * Phone-first: one column, native form controls, tables that wrap into blocks on narrow screens (styles.css).
 */
import { formatNumber } from "../reports/numbers.js";
import type { AdvocateRecord } from "../../advocates/service.js";
import type { SelfRecordedHours } from "../../compliance/model.js";
import type { Submission } from "../../compliance/submissions.js";
import { mayEditSelfRecorded, mayTakeIntoWallet } from "../../domain/authz.js";
import type { FieldProblem } from "../../domain/errors.js";
import { academicHours, kzDate } from "../../domain/time.js";
import { fillTemplate } from "../../lib/csv.js";
import type { Bar, Vocabulary } from "../../registry/model.js";
import { ATTESTATION_T, BKC, COMPLIANCE_STATUS_NAMES, ME_T, problemText, t, type Lang } from "../i18n.js";
import { SubmissionFields } from "./console-bookkeeping.js";
import { Layout } from "./layout.js";

const M = ME_T;

export function MeSignInPage(props: { lang: Lang; bars: Bar[]; error?: string; barId?: string; licence?: string }) {
  const { lang } = props;
  return (
    <Layout lang={lang} title={t(M.signInTitle, lang)} path="/me">
      <h1>{t(M.signInTitle, lang)}</h1>
      <p>{t(M.intro, lang)}</p>
      {props.error ? <p class="error" role="alert">{props.error}</p> : null}
      <form method="post" action={`/me/code?lang=${lang}`} class="stack">
        <label>
          {t(M.bar, lang)}
          <select name="bar" required>
            {props.bars.filter((b) => b.kind === "territorial").map((b) => <option value={b.id} selected={b.id === props.barId}>{b.names[lang]}</option>)}
          </select>
        </label>
        <label>
          {t(M.licence, lang)}
          <input name="licence" required maxlength={40} autocomplete="username" inputmode="text" value={props.licence ?? ""} />
        </label>
        <button type="submit">{t(M.sendCode, lang)}</button>
      </form>
    </Layout>
  );
}

export function MeCodePage(props: { lang: Lang; challenge: string; error?: string }) {
  const { lang } = props;
  return (
    <Layout lang={lang} title={t(M.signInTitle, lang)} path="/me">
      <h1>{t(M.signInTitle, lang)}</h1>
      {props.error ? <p class="error" role="alert">{props.error}</p> : <p role="status">{t(M.codeSent, lang)}</p>}
      <form method="post" action={`/me/sign-in?lang=${lang}`} class="stack">
        <input type="hidden" name="challenge" value={props.challenge} />
        <label>
          {t(M.code, lang)}
          <input name="code" required inputmode="numeric" pattern="[0-9]{6}" maxlength={6} autocomplete="one-time-code" />
        </label>
        <button type="submit">{t(M.signIn, lang)}</button>
      </form>
      <p><a href={`/me?lang=${lang}`}>{t(M.newCode, lang)}</a></p>
    </Layout>
  );
}

export const hoursText = (n: number) => String(Math.round(n * 100) / 100);

/**
 * The year's status in words, as the record shows it and the transcript prints it: its name and its sentence (met,
 * short by N hours, exempt, no requirement set); `undefined` when the advocate was not a member that year.
 */
export function statusWords(r: AdvocateRecord, lang: Lang): { name: string; sentence: string } | undefined {
  const a = r.assessment;
  if (!a) return undefined;
  const sentence =
    a.status === "met"
      ? t(M.met, lang)
      : a.status === "exempt"
        ? fillTemplate(t(M.exempt, lang), { year: r.year })
        : a.status === "no-policy"
          ? fillTemplate(t(M.noPolicy, lang), { year: r.year })
          : fillTemplate(t(r.final ? M.shortFinal : M.short, lang), { hours: hoursText(Math.max(0, (a.requiredHours ?? 0) - a.verifiedHours)) });
  return { name: t(COMPLIANCE_STATUS_NAMES[a.status] ?? M.met, lang), sentence };
}

/** Self-recorded hours as the form shows them: whole academic hours when they are, else minutes. */
export interface SelfHoursValues {
  year: string;
  amount: string;
  unit: "hours" | "minutes";
  programme: string;
  description: string;
}

export const selfHoursValues = (e: SelfRecordedHours): SelfHoursValues => ({
  year: String(e.year),
  amount: e.minutes % 45 === 0 ? String(e.minutes / 45) : String(e.minutes),
  unit: e.minutes % 45 === 0 ? "hours" : "minutes",
  programme: e.programme,
  description: e.description,
});

/** The fields of a self-recorded entry (2.2(2)), to add one or change one. */
function SelfHoursFields(props: { lang: Lang; vocabulary: Vocabulary; years: number[]; values: SelfHoursValues }) {
  const { lang, values: v } = props;
  return (
    <>
      <label>
        {t(M.year, lang)}
        <select name="year" required>{props.years.map((y) => <option value={String(y)} selected={String(y) === v.year}>{String(y)}</option>)}</select>
      </label>
      <label>
        {t(M.selfAmount, lang)}
        <input name="amount" required inputmode="decimal" maxlength={12} value={v.amount} />
      </label>
      <label>
        {t(M.selfUnit, lang)}
        <select name="unit">
          <option value="hours" selected={v.unit === "hours"}>{t(M.selfUnitHours, lang)}</option>
          <option value="minutes" selected={v.unit === "minutes"}>{t(M.selfUnitMinutes, lang)}</option>
        </select>
      </label>
      <label>
        {t(M.programme, lang)}
        <select name="programme" required>{props.vocabulary.programmes.map((p) => <option value={p.code} selected={p.code === v.programme}>{p.names[lang]}</option>)}</select>
      </label>
      <label>
        {t(M.selfDescription, lang)}
        <textarea name="description" required maxlength={1000}>{v.description}</textarea>
      </label>
    </>
  );
}

/** What each self-recorded problem (src/compliance/service.ts selfHoursProblems) says in the page's language. */
const SELF_PROBLEMS: Record<string, (typeof M)[keyof typeof M]> = {
  self_hours_year: M.selfProblemYear,
  self_hours_minutes: M.selfProblemMinutes,
  self_hours_programme: M.selfProblemProgramme,
  self_hours_description: M.selfProblemDescription,
  self_hours_too_many: M.selfProblemTooMany,
};

export function MeRecordPage(props: { lang: Lang; record: AdvocateRecord; barName: string; csrf: string; years: number[]; vocabulary: Vocabulary; submissions: Submission[]; notice?: string; attestations?: MeAttestation[] }) {
  const { lang, record: r } = props;
  const a = r.assessment;
  const status = statusWords(r, lang);
  const name = (list: Vocabulary["programmes"], code: string) => list.find((v) => v.code === code)?.names[lang] ?? code;
  const csrf = <input type="hidden" name="_csrf" value={props.csrf} />;
  return (
    <Layout lang={lang} title={t(M.title, lang)} path={`/me?year=${r.year}`}>
      <h1>{t(M.title, lang)}</h1>
      {props.notice ? <p role="status" class="notice">{props.notice}</p> : null}
      <p>
        {r.fullName ? <strong>{r.fullName}</strong> : null} {fillTemplate(t(M.signedInAs, lang), { licence: r.licence, bar: props.barName })}
      </p>
      <form method="post" action={`/me/sign-out?lang=${lang}`}>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <button type="submit">{t(M.signOut, lang)}</button>
      </form>
      <form method="get" action="/me" class="inline">
        <input type="hidden" name="lang" value={lang} />
        <label>
          {t(M.year, lang)}{" "}
          <select name="year">{props.years.map((y) => <option value={String(y)} selected={y === r.year}>{String(y)}</option>)}</select>
        </label>{" "}
        <button type="submit">{t(M.show, lang)}</button>
      </form>
      <p><a href={`/me/transcript.pdf?year=${r.year}&lang=${lang}`} data-transcript>{t(M.transcriptLink, lang)}</a></p>

      <section aria-labelledby="status">
        <h2 id="status">{fillTemplate(t(M.statusTitle, lang), { year: r.year })}</h2>
        {!a ? (
          <p>{fillTemplate(t(M.notMember, lang), { year: r.year })}</p>
        ) : (
          <>
            <p class={`status status-${a.status}`} data-status={a.status}>
              <strong>{status!.name}</strong>{" — "}{status!.sentence}
            </p>
            <ul>
              {a.requiredHours !== null ? <li>{fillTemplate(t(M.required, lang), { hours: hoursText(a.requiredHours) })}</li> : null}
              <li>{fillTemplate(t(M.credited, lang), { hours: hoursText(a.verifiedHours), count: a.certificates })}</li>
              {a.suspendedDays > 0 ? <li>{fillTemplate(t(M.suspended, lang), { days: a.suspendedDays })}</li> : null}
              {a.foundationsRequired ? <li>{t(M.foundationsRequired, lang)} {t(a.foundationsDone ? M.foundationsDone : M.foundationsMissing, lang)}</li> : null}
            </ul>
          </>
        )}
      </section>

      {props.attestations ? <MeAttestations lang={lang} attestations={props.attestations} csrf={props.csrf} /> : null}

      <section aria-labelledby="certificates">
        <h2 id="certificates">{t(M.certificatesTitle, lang)}</h2>
        {r.certificates.length === 0 && (a?.acceptedByBar.length ?? 0) === 0 ? <p>{t(M.none, lang)}</p> : null}
        <ul class="cards">
          {r.certificates.map((c) => (
            <li class="card" id={`certificate-${c.certificateId}`} data-certificate={c.certificateId}>
              <h3>{c.topic}</h3>
              <dl>
                <dt>{t(M.organiser, lang)}</dt><dd>{c.organiser}</dd>
                <dt>{t(M.programme, lang)}</dt><dd>{name(props.vocabulary.programmes, c.programme)}</dd>
                <dt>{t(M.form, lang)}</dt><dd>{name(props.vocabulary.forms, c.form)}</dd>
                <dt>{t(M.hours, lang)}</dt><dd>{hoursText(academicHours(c.minutes))}{c.role === "teacher" ? ` (${t(M.teacher, lang)})` : ""}</dd>
                <dt>{t(M.proof, lang)}</dt><dd>{t(c.provenBy === "issued" ? M.provenIssued : M.provenPresented, lang)}, {kzDate(c.endedAt)}{c.revoked ? ` — ${t(M.revoked, lang)}` : ""}</dd>
              </dl>
              <p>
                <a href={`/c/${c.certificateId}?lang=${lang}`}>{t(M.page, lang)}</a>{" · "}
                <a href={`/c/${c.certificateId}.pdf?lang=${lang}`}>{t(M.pdf, lang)}</a>
              </p>
              {mayTakeIntoWallet(r, { issuedTo: c.issuedTo, revoked: c.revoked }) ? (
                <form method="post" action={`/me/certificates/${c.certificateId}/wallet?lang=${lang}`} class="inline">
                  {csrf}
                  <button type="submit">{t(M.addToWallet, lang)}</button>
                </form>
              ) : null}
            </li>
          ))}
          {(a?.acceptedByBar ?? []).map((s) => (
            <li class="card" data-submission={s.submissionId}>
              <h3>{s.topic}</h3>
              <dl>
                <dt>{t(M.organiser, lang)}</dt><dd>{s.organiser}</dd>
                <dt>{t(M.hours, lang)}</dt><dd>{hoursText(s.creditedHours)}</dd>
                <dt>{t(M.proof, lang)}</dt><dd>{fillTemplate(t(M.provenAccepted, lang), { by: s.decidedBy, at: kzDate(s.decidedAt) })}, {s.completedOn}</dd>
              </dl>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="self">
        <h2 id="self">{t(M.selfTitle, lang)}</h2>
        <p>{t(M.selfNote, lang)}</p>
        {r.selfRecorded.length === 0 ? <p>{t(M.selfNone, lang)}</p> : (
          <ul>
            {r.selfRecorded.map((s) => (
              <li data-self-recorded={s.id}>
                {s.description} — {name(props.vocabulary.programmes, s.programme)}, {fillTemplate(t(M.selfMinutes, lang), { hours: hoursText(academicHours(s.minutes)), minutes: s.minutes })} <em>({t(M.notCounted, lang)})</em>
                {mayEditSelfRecorded(r, s) ? (
                  <>
                    <details>
                      <summary>{t(M.selfEdit, lang)}</summary>
                      <form class="stack" method="post" action={`/me/self-recorded/${s.id}?lang=${lang}`}>
                        {csrf}
                        <SelfHoursFields lang={lang} vocabulary={props.vocabulary} years={props.years} values={selfHoursValues(s)} />
                        <p><button type="submit">{t(M.selfSave, lang)}</button></p>
                      </form>
                    </details>
                    <form method="post" action={`/me/self-recorded/${s.id}/delete?lang=${lang}`} class="inline">
                      {csrf}
                      <button type="submit" class="danger">{t(M.selfDelete, lang)}</button>
                    </form>
                  </>
                ) : <> <span data-read-only>({t(M.selfByBar, lang)})</span></>}
              </li>
            ))}
          </ul>
        )}
        <h3>{t(M.selfFormTitle, lang)}</h3>
        <form class="stack" method="post" action={`/me/self-recorded?lang=${lang}`}>
          {csrf}
          <SelfHoursFields lang={lang} vocabulary={props.vocabulary} years={props.years} values={{ year: String(r.year), amount: "", unit: "hours", programme: "", description: "" }} />
          <p><button type="submit">{t(M.selfAdd, lang)}</button></p>
        </form>
      </section>

      <section aria-labelledby="outside">
        <h2 id="outside">{t(M.outsideTitle, lang)}</h2>
        {props.submissions.length === 0 ? <p>{t(M.outsideNone, lang)}</p> : (
          <ul class="cards">
            {props.submissions.map((x) => (
              <li class="card" data-submission={x.id} data-status={x.status}>
                <h3>{x.topic}</h3>
                <dl>
                  <dt>{t(M.organiser, lang)}</dt><dd>{x.organiser}</dd>
                  <dt>{t(BKC.subDate, lang)}</dt><dd>{x.completedOn}</dd>
                  <dt>{t(BKC.subClaimed, lang)}</dt><dd>{formatNumber(x.claimedHours, lang, 1)}</dd>
                  <dt>{t(BKC.subStatus, lang)}</dt>
                  <dd>
                    {t(x.status === "pending" ? BKC.subStatusPending : x.status === "accepted" ? BKC.subStatusAccepted : BKC.subStatusRejected, lang)}
                    {x.creditedHours !== null ? ` — ${t(BKC.subCredited, lang)}: ${formatNumber(x.creditedHours, lang, 1)}` : ""}
                  </dd>
                  {x.reason ? <><dt>{t(M.outsideReason, lang)}</dt><dd>{x.reason}</dd></> : null}
                </dl>
              </li>
            ))}
          </ul>
        )}
        <p>{t(M.outsideIntro, lang)}</p>
        <form class="stack" method="post" action={`/me/submissions?lang=${lang}`} enctype="multipart/form-data">
          {csrf}
          <SubmissionFields lang={lang} vocabulary={props.vocabulary} />
          <p><button type="submit">{t(BKC.subSubmit, lang)}</button></p>
        </form>
      </section>
    </Layout>
  );
}

/** A refused /me form: what was wrong (in the page's language where the problem has a translation), and the way back. */
/** One of the advocate's annual attestations (12.1, 12.2), with the hours it states. */
export interface MeAttestation {
  id: string;
  year: number;
  url: string;
  requiredHours: number;
  verifiedHours: number;
  revoked: boolean;
  /** The closing it states still stands; a reopened year withdraws it (12.2). */
  closingStands: boolean;
}

/**
 * The bar's signed annual attestations of the advocate: each links to its page (the verdict) and its PDF; one that
 * stands (not revoked, its year still closed) can be added to a wallet, as a certificate can.
 */
function MeAttestations(props: { lang: Lang; attestations: MeAttestation[]; csrf: string }) {
  const { lang } = props;
  return (
    <section aria-labelledby="attestations">
      <h2 id="attestations">{t(ATTESTATION_T.meTitle, lang)}</h2>
      {props.attestations.length === 0 ? <p>{t(ATTESTATION_T.meNone, lang)}</p> : (
        <ul>
          {props.attestations.map((x) => (
            <li data-attestation={x.id}>
              <a href={`/a/${x.id}?lang=${lang}`}>{fillTemplate(t(ATTESTATION_T.meItem, lang), { year: x.year, verified: hoursText(x.verifiedHours), required: hoursText(x.requiredHours) })}</a>
              {x.revoked ? <> ({t(ATTESTATION_T.meRevoked, lang)})</> : <>{" · "}<a href={`/a/${x.id}.pdf?lang=${lang}`}>PDF</a></>}
              {!x.revoked && !x.closingStands ? <> ({t(ATTESTATION_T.meWithdrawn, lang)})</> : null}
              {!x.revoked && x.closingStands ? (
                <form method="post" action={`/me/attestations/${x.id}/wallet?lang=${lang}`} class="inline">
                  <input type="hidden" name="_csrf" value={props.csrf} />
                  <button type="submit">{t(M.addToWallet, lang)}</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** How each language's details already say that nothing was stored, so the page does not say it twice. */
const SAYS_NOTHING_STORED: Record<Lang, RegExp> = { en: /nothing was stored/i, kk: /ештеңе сақтал(ған жоқ|мады)/i, ru: /ничего не сохранено/i };

export function MeRefusedPage(props: { lang: Lang; title: string; detail: string; problems: FieldProblem[] }) {
  const { lang } = props;
  return (
    <Layout lang={lang} title={props.title} path="/me">
      <h1>{props.title}</h1>
      <p role="alert">{props.detail}{SAYS_NOTHING_STORED[lang].test(props.detail) ? "" : ` ${t(M.refused, lang)}`}</p>
      {props.problems.length ? (
        <ul>{props.problems.map((p) => { const x = problemText(p, lang); return <li><code>{x.where}</code>: {x.text}</li>; })}</ul>
      ) : null}
      <p><a href={`/me?lang=${lang}`}>{t(M.back, lang)}</a></p>
    </Layout>
  );
}

/** Self-recorded hours the form refused (2.2(2)): the form again as it was sent, each problem in the page's language. */
export function MeSelfHoursPage(props: { lang: Lang; action: string; adding: boolean; csrf: string; vocabulary: Vocabulary; years: number[]; values: SelfHoursValues; problems: FieldProblem[] }) {
  const { lang } = props;
  return (
    <Layout lang={lang} title={t(M.selfFormTitle, lang)} path="/me">
      <h1>{t(M.selfFormTitle, lang)}</h1>
      <p class="notice error" role="alert">{t(M.selfInvalid, lang)}</p>
      <ul>{props.problems.map((p) => <li data-problem={p.path}>{p.code && SELF_PROBLEMS[p.code] ? t(SELF_PROBLEMS[p.code]!, lang) : p.message}</li>)}</ul>
      <form class="stack" method="post" action={props.action}>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <SelfHoursFields lang={lang} vocabulary={props.vocabulary} years={props.years} values={props.values} />
        <p><button type="submit">{t(props.adding ? M.selfAdd : M.selfSave, lang)}</button></p>
      </form>
      <p><a href={`/me?lang=${lang}`}>{t(M.back, lang)}</a></p>
    </Layout>
  );
}

/**
 * "Add to wallet" (2.2.3): the offer's QR code, its link and its PIN on the advocate's own screen, signed in: the
 * session is the second channel the PIN would otherwise need. Shown once: the PIN is kept nowhere.
 */
export function MeWalletOfferPage(props: { lang: Lang; link: string; pin: string; expiresAt: string; qrSvg: string; title?: string }) {
  const { lang } = props;
  const title = props.title ?? t(M.walletTitle, lang);
  // The SVG is the QR library's own markup of our link (src/http/qr.ts); only its display size is added.
  const svg = props.qrSvg.replace("<svg ", '<svg width="240" height="240" aria-hidden="true" ');
  return (
    <Layout lang={lang} title={title} path="/me">
      <h1>{title}</h1>
      <p>{fillTemplate(t(M.walletIntro, lang), { date: kzDate(props.expiresAt) })}</p>
      <figure class="qr" role="img" aria-label={t(M.walletQr, lang)} data-offer-qr dangerouslySetInnerHTML={{ __html: svg }} />
      <p><a href={props.link} data-offer-link>{t(M.walletLink, lang)}</a></p>
      <p><code>{props.link}</code></p>
      <p>{t(M.walletPin, lang)}: <strong data-pin>{props.pin}</strong></p>
      <p>{t(M.walletPinNote, lang)}</p>
      <p><a href={`/me?lang=${lang}`}>{t(M.back, lang)}</a></p>
    </Layout>
  );
}
