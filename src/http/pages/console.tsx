/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The consoles: a provider's events, participant lists, issuing and revocation; a bar's accreditations (9.1) and
 * withdrawals (9.2). Plain server-rendered forms: everything works without JavaScript.
 */
import type { Child } from "hono/jsx";
import { withdrawalDue, type Accreditation } from "../../domain/accreditation.js";
import type { FieldProblem } from "../../domain/errors.js";
import { ACCREDITATION_CRITERIA, DELIVERY_MODES, FORMS, PROGRAMMES, WITHDRAWAL_GROUNDS } from "../../domain/catalog.js";
import { LATE_RECORDING_DAYS, participantMinutes, recordingLag, TRAINER_LIMITS, type RecordingLag } from "../../domain/event.js";
import { fillTemplate } from "../../lib/csv.js";
import { academicHours, kzDate, kzDateTime } from "../../domain/time.js";
import type { CleEvent, Participant, StoredCertificate } from "../../issuance/model.js";
import type { Bar, Party, Vocabulary } from "../../registry/model.js";
import { accreditationState } from "../../registry/service.js";
import type { DeliveryRow } from "../../delivery/service.js";
import { BK, BLISTS_T, CAL_T, CF_T, CRITERION_NAMES, DELIVERY_T, LISTS_T, problemText, STATE_NAMES, T, t, UI, WITHDRAWAL_GROUND_NAMES, type Lang } from "../i18n.js";
import { ANNOUNCEMENT_LIMITS, type Announcement } from "../../domain/announcement.js";
import { formatNumber } from "../reports/numbers.js";
import { Pager, SearchForm, type ListPage } from "./console-bookkeeping.js";
import { Layout } from "./layout.js";
import { fieldProblems, type RefusedFormBase } from "./field-problems.js";

export interface ConsoleFrame {
  lang: Lang;
  csrf: string;
  /** Who is signed in, as shown in the header. */
  who: string;
}

export function Csrf(props: { value: string }) {
  return <input type="hidden" name="_csrf" value={props.value} />;
}

export function ConsoleLayout(props: { frame: ConsoleFrame; title: string; path: string; notice?: string; error?: string; children: Child; top?: Child; scripts?: string[] }) {
  const { lang, csrf } = props.frame;
  return (
    <Layout
      lang={lang}
      title={props.title}
      path={props.path}
      scripts={props.scripts}
      nav={
        <form method="post" action="/console/sign-out" class="inline sign-out">
          <Csrf value={csrf} />
          <span class="who">{props.frame.who}</span> <button type="submit">{t(UI.signOut, lang)}</button>
        </form>
      }
    >
      <h1>{props.title}</h1>
      {props.top}
      {props.notice && <p class="notice" role="status">{props.notice}</p>}
      {props.error && <p class="notice error" role="alert">{props.error}</p>}
      {props.children}
    </Layout>
  );
}

export function SignInPage(props: { lang: Lang; error?: string }) {
  const { lang } = props;
  return (
    <Layout lang={lang} title={t(UI.signIn, lang)} path="/console/sign-in">
      <h1>{t(UI.signIn, lang)}</h1>
      {props.error && <p class="notice error" role="alert">{props.error}</p>}
      <form class="stack" method="post" action="/console/sign-in">
        <label>
          {t(UI.apiKey, lang)}
          <input type="password" name="apiKey" required autocomplete="current-password" maxlength={200} />
        </label>
        <p><small>{t(UI.signInHelp, lang)}</small></p>
        <p><button type="submit">{t(UI.signIn, lang)}</button></p>
      </form>
    </Layout>
  );
}

export function ConsoleErrorPage(props: { frame: ConsoleFrame; title: string; detail: string; problems: FieldProblem[]; back: string }) {
  const lang = props.frame.lang;
  return (
    <ConsoleLayout frame={props.frame} title={props.title} path={props.back} error={props.detail}>
      {props.problems.length > 0 && (
        <ul>
          {props.problems.map((p) => {
            const { where, text } = problemText(p, lang);
            return <li data-problem-code={p.code} data-path={p.path}><code>{where}</code>: {text}</li>;
          })}
        </ul>
      )}
      <p><a href={props.back}>{t(UI.back, props.frame.lang)}</a></p>
    </ConsoleLayout>
  );
}

/** A refusal before any console page could be drawn (no session frame): its title, reason and the way back. */
export function ConsoleRefusedPage(props: { lang: Lang; title: string; detail: string }) {
  return (
    <Layout lang={props.lang} title={props.title} path="/console">
      <h1>{props.title}</h1>
      <p class="notice error" role="alert">{props.detail}</p>
      <p><a href="/console">{t(UI.navConsole, props.lang)}</a></p>
    </Layout>
  );
}

// ---- issue 16: refused forms shown again, secrets shown once, irreversible steps confirmed ----------------------

/**
 * A console form the service refused, to draw again: which form (`event`, `participants`, `party`, `accreditation`,
 * `api-key`, `bar-key`, `withdraw:{id}`, `revoke`), every value as typed (lists for checkboxes), the problems and the
 * refusal's detail in the page's language.
 */
export interface RefusedConsoleForm extends RefusedFormBase {
  values: Record<string, string[]>;
}

/** The form field a problem is about: the event's trainers are `trainers/0/name` in the API, `trainerName-0` here. */
function problemField(p: FieldProblem): string {
  const trainer = /^trainers\/(\d+)\/(name|field)$/.exec(p.path);
  if (trainer) return `${trainer[2] === "name" ? "trainerName" : "trainerField"}-${trainer[1]}`;
  const criterion = /^criteria\/(\d+)\/evidence$/.exec(p.path);
  if (criterion) return "criteria";
  return p.path.split("/")[0] ?? "";
}

/** What a form needs to show a refusal: its typed values, and each field's problems beside the field. */
function refill(lang: Lang, refused: RefusedConsoleForm | undefined, form: string) {
  // A rule of the whole form (it has a code) is said in the summary too, even when its field also shows it.
  const problems = fieldProblems(lang, refused, form, problemField, (p, fields) => p.code !== undefined || !fields.includes(problemField(p)));
  const r = problems.refused;
  return {
    ...problems,
    /** The value typed when the form was refused, else `own` (the page's default). */
    value: (name: string, own = "") => (r ? (r.values[name]?.[0] ?? "") : own),
    /** Whether a checkbox or option was chosen when the form was refused, else `own`. */
    chosen: (name: string, value: string, own = false) => (r ? (r.values[name] ?? []).includes(value) : own),
  };
}

/**
 * A secret shown this once (a new API key), at the top of the page: a warning, the value, and a copy button that
 * public/js/copy.js reveals (without JavaScript the button stays hidden and the value is selected by hand).
 */
export function SecretBox(props: { lang: Lang; secret: string; about?: string }) {
  const { lang } = props;
  return (
    <section class="notice secret" role="status" aria-labelledby="secret-title" data-secret>
      <h2 id="secret-title">{t(CF_T.secretTitle, lang)}</h2>
      {props.about && <p>{props.about}</p>}
      <p><strong>{t(CF_T.secretWarning, lang)}</strong></p>
      <p class="secret-value"><code id="new-secret" data-new-token>{props.secret}</code></p>
      <p>
        <button type="button" hidden data-copy="new-secret" data-copied={t(CF_T.copied, lang)} data-copy-failed={t(CF_T.copyFailed, lang)}>{t(CF_T.copy, lang)}</button>{" "}
        <span class="copy-status" aria-live="polite"></span>
      </p>
    </section>
  );
}

/** The box an irreversible step needs ticked (works without JavaScript: the route checks it too). */
function ConfirmBox(props: { lang: Lang; form: ReturnType<typeof refill> }) {
  const { lang, form } = props;
  return (
    <label class="confirm">
      <span><input type="checkbox" name="confirm" value="yes" required {...form.aria("confirm")} /> {t(CF_T.confirmIrreversible, lang)}</span>
      {form.note("confirm")}
    </label>
  );
}

const names = (list: Vocabulary[keyof Vocabulary], lang: Lang) => new Map(list.map((e) => [e.code, e.names[lang]]));

/** How many trainers the event form offers (12.3: at least one; more through the API). */
export const TRAINER_ROWS = 5;

/** 5.1(3): the co-organising bar's answer, as the provider reads it on its event. */
function coOrganisationText(e: CleEvent, lang: Lang): string {
  const state = e.coOrganisation?.state ?? "pending";
  const date = e.coOrganisation?.decidedAt ? kzDate(e.coOrganisation.decidedAt) : "";
  return state === "confirmed" ? fillTemplate(t(LISTS_T.coConfirmed, lang), { date }) : state === "declined" ? fillTemplate(t(LISTS_T.coDeclined, lang), { date }) : t(LISTS_T.coPending, lang);
}

/** The mark of an event recorded more than LATE_RECORDING_DAYS after it ended (src/domain/event.ts says why). */
function LateMark(props: { event: Pick<CleEvent, "endsAt" | "createdAt">; lang: Lang }) {
  const lag = recordingLag(props.event);
  if (!lag.recordedLate) return null;
  return (
    <>
      {" "}
      <strong class="late" data-recorded-late={lag.recordedDaysAfterEnd}>⚠ {fillTemplate(t(UI.recordedLateDays, props.lang), { days: lag.recordedDaysAfterEnd })}</strong>
    </>
  );
}

// ---- provider ---------------------------------------------------------------------------------------------------

export function ProviderHome(props: { frame: ConsoleFrame; party: Party; events: CleEvent[]; list: ListPage; vocabulary: Vocabulary; bars: Bar[]; notice?: string; refused?: RefusedConsoleForm }) {
  const { lang, csrf } = props.frame;
  const f = refill(lang, props.refused, "event");
  const eventFields = ["topic", "programme", "form", "deliveryMode", "coOrganiserBarId", "place", "startsAt", "endsAt", "durationMinutes", "trainers", ...Array.from({ length: TRAINER_ROWS }, (_, i) => [`trainerName-${i}`, `trainerField-${i}`]).flat()];
  const programmes = names(props.vocabulary.programmes, lang);
  const forms = names(props.vocabulary.forms, lang);
  const modes = names(props.vocabulary.deliveryModes, lang);
  return (
    <ConsoleLayout frame={props.frame} title={`${t(UI.providerConsole, lang)} — ${props.party.name}`} path="/console" notice={props.notice} error={props.refused?.detail}>
      <nav class="console-nav"><a href="/console/surveys">{t(BK.surveys, lang)}</a></nav>
      <h2>{t(UI.events, lang)}</h2>
      {(props.list.total > 0 || props.list.q !== "") && <SearchForm lang={lang} action="/console" q={props.list.q} />}
      {props.events.length === 0 ? (
        <p>{t(T.none, lang)}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead><tr><th>{t(T.topic, lang)}</th><th>{t(T.programme, lang)}</th><th>{t(T.dates, lang)}</th><th>{t(T.hours, lang)}</th></tr></thead>
            <tbody>
              {props.events.map((e) => (
                <tr data-event={e.id}>
                  <td><a href={`/console/events/${e.id}`}>{e.topic}</a></td>
                  <td>{programmes.get(e.programme) ?? e.programme}</td>
                  <td>{kzDateTime(e.startsAt)} – {kzDateTime(e.endsAt)}<LateMark event={e} lang={lang} /></td>
                  <td>{formatNumber(academicHours(e.durationMinutes), lang, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager lang={lang} list={props.list} path="/console" params={{ q: props.list.q }} />
      <h2 id="new-event">{t(UI.newEvent, lang)}</h2>
      <form class="stack" method="post" action="/console/events" data-form="event">
        <Csrf value={csrf} />
        {f.rest(eventFields)}
        <label>{t(T.topic, lang)}<input type="text" name="topic" required maxlength={500} value={f.value("topic")} {...f.aria("topic")} />{f.note("topic")}</label>
        <label>{t(T.programme, lang)}
          <select name="programme" required {...f.aria("programme")}>{PROGRAMMES.map((p) => <option value={p} selected={f.chosen("programme", p)}>{programmes.get(p) ?? p}</option>)}</select>
          {f.note("programme")}
        </label>
        <label>{t(T.form, lang)}
          <select name="form" required {...f.aria("form")}>{FORMS.map((x) => <option value={x} selected={f.chosen("form", x)}>{forms.get(x) ?? x}</option>)}</select>
          {f.note("form")}
        </label>
        <label>{t(T.delivery, lang)}
          <select name="deliveryMode" required {...f.aria("deliveryMode")}>{DELIVERY_MODES.map((m) => <option value={m} selected={f.chosen("deliveryMode", m)}>{modes.get(m) ?? m}</option>)}</select>
          {f.note("deliveryMode")}
        </label>
        <label>{t(UI.coOrganiserBar, lang)}
          <select name="coOrganiserBarId" {...f.aria("coOrganiserBarId")}>
            <option value="">{t(UI.noneOption, lang)}</option>
            {props.bars.map((b) => <option value={b.id} selected={f.chosen("coOrganiserBarId", b.id)}>{b.names[lang]}</option>)}
          </select>
          {f.note("coOrganiserBarId")}
        </label>
        <label>{t(T.place, lang)}<input type="text" name="place" required maxlength={500} value={f.value("place")} {...f.aria("place")} />{f.note("place")}</label>
        <label>{t(UI.startsAt, lang)} (UTC+05:00)<input type="datetime-local" name="startsAt" required value={f.value("startsAt")} {...f.aria("startsAt")} />{f.note("startsAt")}</label>
        <label>{t(UI.endsAt, lang)} (UTC+05:00)<input type="datetime-local" name="endsAt" required value={f.value("endsAt")} {...f.aria("endsAt")} />{f.note("endsAt")}</label>
        <label>{t(UI.durationMinutes, lang)}<input type="number" name="durationMinutes" required min={1} max={100000} step={1} value={f.value("durationMinutes")} {...f.aria("durationMinutes")} />{f.note("durationMinutes")}</label>
        <fieldset>
          <legend>{t(LISTS_T.trainersLegend, lang)}</legend>
          {f.note("trainers")}
          {Array.from({ length: TRAINER_ROWS }, (_, i) => (
            <>
              <label>{fillTemplate(t(LISTS_T.trainerName, lang), { n: i + 1 })}<input type="text" name={`trainerName-${i}`} maxlength={TRAINER_LIMITS.name} required={i === 0} value={f.value(`trainerName-${i}`)} {...f.aria(`trainerName-${i}`)} />{f.note(`trainerName-${i}`)}</label>
              <label>{fillTemplate(t(LISTS_T.trainerField, lang), { n: i + 1 })}<input type="text" name={`trainerField-${i}`} maxlength={TRAINER_LIMITS.field} required={i === 0} value={f.value(`trainerField-${i}`)} {...f.aria(`trainerField-${i}`)} />{f.note(`trainerField-${i}`)}</label>
            </>
          ))}
        </fieldset>
        <p><button type="submit">{t(UI.create, lang)}</button></p>
      </form>
    </ConsoleLayout>
  );
}

export function EventPage(props: {
  frame: ConsoleFrame;
  event: CleEvent;
  /** The participants of this page of the list (the search applied), each with its certificate's id if issued. */
  participants: (Participant & { certificateId: string | null })[];
  /** The certificates of this page's participants. */
  certificates: StoredCertificate[];
  /** Which page of the (searched) participant list this is. */
  list: ListPage;
  /** The whole event: its participants and the certificates issued for them. */
  counts: { participants: number; issued: number };
  /** Issue 18: participants one issuing call takes at most, and whether the rest then go on by themselves (Workers). */
  issuing?: { chunk: number | undefined; continuesByItself: boolean };
  vocabulary: Vocabulary;
  bars: Bar[];
  /** Issue 13: the certificate messages of this page's participants; `undefined` where delivery is not wired in. */
  delivery?: { rows: DeliveryRow[]; mailConfigured: boolean; canResendAll: boolean };
  notice?: string;
  /** 7.3: the event's announcement in the public calendar, if it has one. */
  announcement?: Announcement;
  now?: string;
  /** The participant list as sent, when it was refused. */
  refused?: RefusedConsoleForm;
}) {
  const { lang, csrf } = props.frame;
  const e = props.event;
  const { list } = props;
  const barNames = new Map(props.bars.map((b) => [b.id, b.names[lang]]));
  const certs = new Map(props.certificates.map((c) => [c.id, c]));
  const upload = refill(lang, props.refused, "participants");
  const path = `/console/events/${e.id}`;
  const pending = props.counts.participants - props.counts.issued;
  const chunk = props.issuing?.chunk;
  const shown = props.participants.length;
  return (
    <ConsoleLayout frame={props.frame} title={e.topic} path={path} notice={props.notice} error={props.refused?.detail}>
      <p><a href="/console">{t(UI.back, lang)}</a></p>
      <dl>
        <dt>{t(T.programme, lang)}</dt><dd>{names(props.vocabulary.programmes, lang).get(e.programme) ?? e.programme}</dd>
        <dt>{t(T.form, lang)}</dt><dd>{names(props.vocabulary.forms, lang).get(e.form) ?? e.form}</dd>
        <dt>{t(T.dates, lang)}</dt><dd>{kzDateTime(e.startsAt)} – {kzDateTime(e.endsAt)}</dd>
        <dt>{t(UI.recordedOn, lang)}</dt><dd>{kzDateTime(e.createdAt)}<LateMark event={e} lang={lang} /></dd>
        <dt>{t(T.hours, lang)}</dt><dd>{formatNumber(academicHours(e.durationMinutes), lang, 1)}</dd>
        <dt>{t(T.place, lang)}</dt><dd>{e.place}</dd>
        {e.trainers.length > 0 && (
          <>
            <dt>{t(T.trainers, lang)}</dt>
            <dd><ul>{e.trainers.map((tr) => <li>{tr.name} — {tr.field || <em>{t(LISTS_T.notRecorded, lang)}</em>}</li>)}</ul></dd>
          </>
        )}
        {e.coOrganiserBarId && (
          <>
            <dt>{t(LISTS_T.coOrganisation, lang)}</dt>
            <dd data-co-organisation={e.coOrganisation?.state ?? "pending"}>{barNames.get(e.coOrganiserBarId) ?? e.coOrganiserBarId}: {coOrganisationText(e, lang)}</dd>
          </>
        )}
      </dl>

      {/* Issue 16: the list's upload and the Issue button come before the table, which may be thousands of rows long. */}
      <form class="stack" method="post" action={`${path}/participants`} enctype="multipart/form-data" data-form="participants" id="upload">
        <Csrf value={csrf} />
        {upload.rest(["csv"])}
        <label>
          {t(LISTS_T.participantsUpload, lang)}
          <textarea name="csv" rows={6} placeholder={t(UI.participantsCsvPlaceholder, lang)} {...upload.aria("csv")}>{upload.value("csv")}</textarea>
          {upload.note("csv")}
        </label>
        <label>{t(UI.participantsFile, lang)}<input type="file" name="file" accept=".csv,text/csv,text/plain" /></label>
        <p><button type="submit">{t(UI.save, lang)}</button></p>
      </form>

      <h2>{t(UI.issue, lang)}</h2>
      <form method="post" action={`${path}/issue`}>
        <Csrf value={csrf} />
        <p>{t(UI.issuedCount, lang)}: <strong data-issued={props.counts.issued}>{formatNumber(props.counts.issued, lang)}</strong></p>
        {pending > 0 && props.counts.issued > 0 && (
          <p class="notice" data-pending={pending}>
            {fillTemplate(t(UI.issuingPending, lang), { issued: formatNumber(props.counts.issued, lang), participants: formatNumber(props.counts.participants, lang), pending: formatNumber(pending, lang) })}
            {chunk !== undefined && props.issuing?.continuesByItself && <> {fillTemplate(t(UI.issuingContinues, lang), { chunk: formatNumber(chunk, lang) })}</>}
          </p>
        )}
        <button type="submit">{chunk !== undefined && pending > chunk ? fillTemplate(t(UI.issuingContinue, lang), { chunk: formatNumber(chunk, lang) }) : t(UI.issue, lang)}</button>
      </form>
      {props.counts.issued > 0 && (
        <form method="post" action={`${path}/survey-links`}>
          <Csrf value={csrf} />
          {/* 7.5: each participant's own survey link, shown once on the next page for delivery. */}
          <button type="submit">{t(BK.surveyLinksMake, lang)}</button>
        </form>
      )}

      <section id="participants" aria-labelledby="participants-title">
        <h2 id="participants-title">{t(CF_T.participantsTitle, lang)} (<span data-participants={props.counts.participants}>{formatNumber(props.counts.participants, lang)}</span>)</h2>
        {props.counts.participants > 0 && (
          <>
            <form method="get" action={path} class="list-search" role="search">
              <label>{t(BLISTS_T.search, lang)} <input type="search" name="q" value={list.q} maxlength={100} /></label>{" "}
              <button type="submit">{t(BLISTS_T.searchButton, lang)}</button>
              {list.q !== "" && <>{" "}<a href={`${path}#participants`}>{t(BLISTS_T.showAll, lang)}</a></>}
            </form>
            <p><a href={`${path}/participants.csv`} download data-export="csv">{t(BLISTS_T.exportCsv, lang)}</a></p>
            <p data-field="list-count" data-total={String(list.total)}>
              {list.q === "" ? fillTemplate(t(BLISTS_T.total, lang), { total: formatNumber(list.total, lang) }) : fillTemplate(t(BLISTS_T.found, lang), { q: list.q, total: formatNumber(list.total, lang) })}
              {list.total > shown && shown > 0 && <> · {fillTemplate(t(BLISTS_T.range, lang), { from: formatNumber(list.offset + 1, lang), to: formatNumber(list.offset + shown, lang), total: formatNumber(list.total, lang) })}</>}
            </p>
          </>
        )}
        {list.q !== "" && shown === 0 && <p>{fillTemplate(t(BLISTS_T.noneFound, lang), { q: list.q })}</p>}
        {shown > 0 && (
          <div class="table-wrap">
            <table>
              <thead><tr><th>{t(T.participant, lang)}</th><th>{t(T.licence, lang)}</th><th>{t(T.bar, lang)}</th><th>{t(T.role, lang)}</th><th>{t(LISTS_T.minutes, lang)}</th><th>{t(UI.certificates, lang)}</th></tr></thead>
              <tbody>
                {props.participants.map((p) => {
                  const c = p.certificateId ? certs.get(p.certificateId) : undefined;
                  const minutes = participantMinutes(e, p);
                  return (
                    <tr data-participant={p.licenceNumber} data-certificate={p.certificateId ?? ""} data-revoked={c?.revokedAt ? "true" : "false"}>
                      <td>{p.fullName}</td>
                      <td>{p.licenceNumber}</td>
                      <td>{barNames.get(p.barId) ?? p.barId}</td>
                      <td>{t(p.role === "teacher" ? T.roleTeacher : T.roleAttendee, lang)}</td>
                      <td data-minutes={minutes}>{minutes} ({formatNumber(academicHours(minutes), lang, 1)})</td>
                      <td>
                        {c ? (
                          <>
                            <a href={`/c/${c.id}`}>{c.id}</a> — {c.revokedAt ? `${t(UI.revoked, lang)}: ${c.revocationReason ?? ""}` : t(UI.valid, lang)}
                            {/* Revoking is final: it asks for the reason and a confirmation on a page of its own. */}
                            {!c.revokedAt && <>{" "}<a class="danger" href={`/console/certificates/${c.id}/revoke?eventId=${e.id}`} data-revoke={c.id}>{t(CF_T.revokeStart, lang)}</a></>}
                          </>
                        ) : (
                          "—"
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <Pager lang={lang} list={list} path={path} params={{ q: list.q }} />
      </section>

      {props.delivery && props.delivery.rows.length > 0 && <DeliverySection eventId={e.id} lang={lang} csrf={csrf} {...props.delivery} />}
      {props.now && <AnnouncementSection event={e} announcement={props.announcement} now={props.now} lang={lang} csrf={csrf} />}
    </ConsoleLayout>
  );
}

/** Revoking a certificate is final: the reason, and a box ticked to say so, on a page of its own (works without JS). */
export function RevokePage(props: { frame: ConsoleFrame; certificate: StoredCertificate; participantName: string; eventId: string; refused?: RefusedConsoleForm }) {
  const { lang, csrf } = props.frame;
  const c = props.certificate;
  const f = refill(lang, props.refused, "revoke");
  const back = `/console/events/${props.eventId}`;
  return (
    <ConsoleLayout frame={props.frame} title={fillTemplate(t(CF_T.revokeTitle, lang), { id: c.id })} path={`/console/certificates/${c.id}/revoke`} error={props.refused?.detail}>
      <p><a href={back}>{t(UI.back, lang)}</a></p>
      <dl>
        <dt>{t(T.participant, lang)}</dt><dd>{props.participantName}</dd>
        <dt>{t(UI.certificates, lang)}</dt><dd><a href={`/c/${c.id}`}>{c.id}</a></dd>
      </dl>
      <p class="warning">{t(CF_T.revokeIntro, lang)}</p>
      <form class="stack" method="post" action={`/console/certificates/${c.id}/revoke`} data-form="revoke">
        <Csrf value={csrf} />
        <input type="hidden" name="eventId" value={props.eventId} />
        {f.rest(["reason", "confirm"])}
        <label>{t(UI.reason, lang)}<textarea name="reason" required maxlength={2000} rows={3} {...f.aria("reason")}>{f.value("reason")}</textarea>{f.note("reason")}</label>
        <ConfirmBox lang={lang} form={f} />
        <p><button type="submit" class="danger">{t(UI.revoke, lang)}</button>{" "}<a href={back}>{t(CF_T.cancel, lang)}</a></p>
      </form>
    </ConsoleLayout>
  );
}

/**
 * 7.3: the event in the public calendar — announced or not, and before it starts the form that announces it or
 * changes its announcement (6.1–6.2: who pays), and withdraws it.
 */
function AnnouncementSection(props: { event: CleEvent; announcement: Announcement | undefined; now: string; lang: Lang; csrf: string }) {
  const { lang, csrf, event: e } = props;
  const a = props.announcement;
  const started = Date.parse(props.now) >= Date.parse(e.startsAt);
  const kind = a?.fee.kind ?? "free";
  return (
    <section id="announcement" aria-labelledby="announcement-title" data-announced={a ? "true" : "false"}>
      <h2 id="announcement-title">{t(CAL_T.consoleTitle, lang)}</h2>
      {a ? (
        <p>{fillTemplate(t(CAL_T.announcedOn, lang), { date: kzDateTime(a.announcedAt) })} <a href={`/events/${e.id}`}>{t(CAL_T.publicPage, lang)}</a></p>
      ) : (
        <p>{t(CAL_T.notAnnounced, lang)}</p>
      )}
      {started ? (
        <p class="notice" role="status">{t(CAL_T.started, lang)}</p>
      ) : (
        <>
          <form class="stack" method="post" action={`/console/events/${e.id}/announcement`}>
            <Csrf value={csrf} />
            <label>{t(CAL_T.descriptionLabel, lang)}<textarea name="description" required maxlength={ANNOUNCEMENT_LIMITS.description} rows={4}>{a?.description ?? ""}</textarea></label>
            <label>{t(CAL_T.cityLabel, lang)}<input type="text" name="city" maxlength={ANNOUNCEMENT_LIMITS.city} value={a?.city ?? ""} /></label>
            <label>{t(CAL_T.venueLabel, lang)}<input type="text" name="venue" maxlength={ANNOUNCEMENT_LIMITS.venue} value={a?.venue ?? ""} /></label>
            <label>{t(CAL_T.linkLabel, lang)}<input type="url" name="link" maxlength={ANNOUNCEMENT_LIMITS.link} value={a?.link ?? ""} /></label>
            <fieldset>
              <legend>{t(CAL_T.fee, lang)} (6.1–6.2)</legend>
              <label><span><input type="radio" name="feeKind" value="free" checked={kind === "free"} /> {t(CAL_T.feeKindFree, lang)}</span></label>
              <label><span><input type="radio" name="feeKind" value="paid" checked={kind === "paid"} /> {t(CAL_T.feeKindPaid, lang)}</span></label>
              <label>{t(CAL_T.feeAmount, lang)}<input type="number" name="feeAmount" min={1} max={ANNOUNCEMENT_LIMITS.amountTenge} step={1} value={a?.fee.kind === "paid" ? String(a.fee.amountTenge) : ""} /></label>
              <label><span><input type="radio" name="feeKind" value="sponsored" checked={kind === "sponsored"} /> {t(CAL_T.feeKindSponsored, lang)}</span></label>
              <label>{t(CAL_T.sponsor, lang)}
                <select name="feeSponsor">
                  {(["bar", "rba", "grant"] as const).map((s) => (
                    <option value={s} selected={a?.fee.kind === "sponsored" && a.fee.sponsor === s}>{t(s === "bar" ? CAL_T.sponsorBar : s === "rba" ? CAL_T.sponsorRba : CAL_T.sponsorGrant, lang)}</option>
                  ))}
                </select>
              </label>
            </fieldset>
            <label>{t(CAL_T.seatsLabel, lang)}<input type="number" name="seats" min={1} max={ANNOUNCEMENT_LIMITS.seats} step={1} value={a?.seats !== null && a?.seats !== undefined ? String(a.seats) : ""} /></label>
            <p><button type="submit">{t(a ? CAL_T.saveAnnouncement : CAL_T.announce, lang)}</button></p>
          </form>
          {a && (
            <form method="post" action={`/console/events/${e.id}/announcement/withdraw`}>
              <Csrf value={csrf} />
              <button type="submit" class="danger">{t(CAL_T.withdraw, lang)}</button>
            </form>
          )}
        </>
      )}
    </section>
  );
}

/** What became of the page's participants' certificate messages, with "send again" for one or every failed one. */
function DeliverySection(props: { eventId: string; lang: Lang; csrf: string; rows: DeliveryRow[]; mailConfigured: boolean; canResendAll: boolean }) {
  const { lang, csrf, eventId, canResendAll } = props;
  const stateName = (state: DeliveryRow["state"]) => t(DELIVERY_T[state], lang);
  return (
    <section id="delivery" aria-labelledby="delivery-title">
      <h2 id="delivery-title">{t(DELIVERY_T.title, lang)}</h2>
      {!props.mailConfigured && <p class="notice" role="status">{t(DELIVERY_T.notConfigured, lang)}</p>}
      <div class="table-wrap">
        <table>
          <thead><tr><th>{t(T.participant, lang)}</th><th>{t(DELIVERY_T.address, lang)}</th><th>{t(DELIVERY_T.state, lang)}</th><th>{t(DELIVERY_T.reply, lang)}</th><th>{t(DELIVERY_T.resend, lang)}</th></tr></thead>
          <tbody>
            {props.rows.map((r) => (
              <tr data-delivery={r.certificateId} data-state={r.state}>
                <td>{r.fullName}</td>
                <td>{r.toAddress ?? "—"}</td>
                <td>{stateName(r.state)}{r.sentAt ? ` (${kzDateTime(r.sentAt)})` : ""}</td>
                <td>{r.lastError ?? ""}</td>
                <td>
                  <form method="post" action={`/console/events/${eventId}/deliveries/resend`} class="inline">
                    <Csrf value={csrf} />
                    <input type="hidden" name="certificateId" value={r.certificateId} />
                    <button type="submit">{t(DELIVERY_T.resend, lang)}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canResendAll && (
        <form method="post" action={`/console/events/${eventId}/deliveries/resend`}>
          <Csrf value={csrf} />
          <button type="submit">{t(DELIVERY_T.resendAll, lang)}</button>
        </form>
      )}
    </section>
  );
}

// ---- bar --------------------------------------------------------------------------------------------------------

export function BarHome(props: {
  frame: ConsoleFrame;
  barName: string;
  /** The bars this admin may decide for: one for a bar's admin, all for the RBA's. */
  bars: Bar[];
  accreditations: Accreditation[];
  parties: Party[];
  vocabulary: Vocabulary;
  now: string;
  notice?: string;
  /** A key just created: its token, shown this once at the top, and what it is for. */
  newToken?: string;
  newTokenAbout?: string;
  /** A form refused, to show again with what was typed. */
  refused?: RefusedConsoleForm;
  /** A party just registered: chosen in the key and accreditation forms. */
  selectedParty?: string;
  /** Links to the bookkeeping pages (routes/console-bookkeeping.tsx) this admin may open. */
  nav?: Child;
  /** Its providers' events recorded more than LATE_RECORDING_DAYS after they ended. */
  lateEvents?: (CleEvent & RecordingLag)[];
  /** 5.1(3): the events naming this bar as co-organiser, those awaiting its answer first. */
  coOrganisation?: CleEvent[];
}) {
  const { lang, csrf } = props.frame;
  const partyNames = new Map(props.parties.map((p) => [p.id, p.name]));
  const barNames = new Map(props.bars.map((b) => [b.id, b.names[lang]]));
  const party = refill(lang, props.refused, "party");
  const providerKey = refill(lang, props.refused, "api-key");
  const barKey = refill(lang, props.refused, "bar-key");
  const accredit = refill(lang, props.refused, "accreditation");
  const chosenParty = (f: ReturnType<typeof refill>, id: string) => f.chosen("partyId", id, props.selectedParty === id);
  return (
    <ConsoleLayout frame={props.frame} title={`${t(UI.barConsole, lang)} — ${props.barName}`} path="/console" notice={props.notice} error={props.refused?.detail}
      top={props.newToken && <SecretBox lang={lang} secret={props.newToken} about={props.newTokenAbout} />} scripts={props.newToken ? ["/js/copy.js"] : undefined}>
      {props.nav}
      <nav class="console-nav" aria-label={t(LISTS_T.nav, lang)}><a href="/console/participant-lists">{t(LISTS_T.nav, lang)}</a>{" · "}<a href="#co-organisation">{t(LISTS_T.navRequests, lang)}</a></nav>
      <h2>{t(UI.accreditations, lang)}</h2>
      {props.accreditations.length === 0 ? (
        <p>{t(T.none, lang)}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead><tr><th>{t(UI.provider, lang)}</th><th>{t(T.bar, lang)}</th><th>{t(T.decision, lang)}</th><th>{t(T.validFrom, lang)}</th><th>{t(T.validUntil, lang)}</th><th>{t(T.state, lang)}</th><th>{t(UI.withdraw, lang)}</th></tr></thead>
            <tbody>
              {props.accreditations.map((a) => {
                const state = accreditationState(a, props.now);
                const w = refill(lang, props.refused, `withdraw:${a.id}`);
                return (
                  <tr data-accreditation={a.id} data-party={a.partyId} data-state={state}>
                    <td><a href={`/providers/${a.partyId}`}>{partyNames.get(a.partyId) ?? a.partyId}</a></td>
                    <td>{barNames.get(a.barId) ?? a.barId}</td>
                    <td>№ {a.decisionNumber}, {a.decisionDate}</td>
                    <td>{kzDate(a.validFrom)}</td>
                    <td>{a.validUntil ? kzDate(a.validUntil) : "—"}</td>
                    <td>
                      {STATE_NAMES[state]![lang]}{a.violationCount > 0 ? ` (${t(UI.violations, lang)}: ${a.violationCount})` : ""}
                      {withdrawalDue(a) && <><br /><strong class="warning" data-withdrawal-due>{t(UI.withdrawalDue, lang)}</strong></>}
                    </td>
                    <td>
                      {a.withdrawal ? (
                        `№ ${a.withdrawal.decisionNumber}, ${a.withdrawal.decisionDate}`
                      ) : (
                        <>
                        <details>
                          <summary>{t(UI.recordViolation, lang)}</summary>
                          <form class="stack" method="post" action={`/console/accreditations/${a.id}/violations`}>
                            <Csrf value={csrf} />
                            <label>{t(UI.occurredOn, lang)}<input type="date" name="occurredOn" required /></label>
                            <label>{t(UI.description, lang)}<textarea name="description" required maxlength={4000} rows={2}></textarea></label>
                            <p><button type="submit">{t(UI.recordViolation, lang)}</button></p>
                          </form>
                        </details>
                        <details open={w.refused !== undefined} id={`withdraw-${a.id}`}>
                          <summary>{t(UI.withdraw, lang)}</summary>
                          <form class="stack" method="post" action={`/console/accreditations/${a.id}/withdraw`} data-form="withdraw">
                            <Csrf value={csrf} />
                            <p class="warning">{t(CF_T.withdrawIntro, lang)}</p>
                            {w.rest(["ground", "decisionNumber", "decisionDate", "reason", "confirm"])}
                            <label>{t(UI.ground, lang)}
                              <select name="ground" {...w.aria("ground")}>
                                {WITHDRAWAL_GROUNDS.map((g) => <option value={g} selected={w.chosen("ground", g)}>{t(WITHDRAWAL_GROUND_NAMES[g], lang)}</option>)}
                              </select>
                              {w.note("ground")}
                            </label>
                            <label>{t(UI.decisionNumber, lang)}<input type="text" name="decisionNumber" required maxlength={100} value={w.value("decisionNumber")} {...w.aria("decisionNumber")} />{w.note("decisionNumber")}</label>
                            <label>{t(UI.decisionDate, lang)}<input type="date" name="decisionDate" required value={w.value("decisionDate")} {...w.aria("decisionDate")} />{w.note("decisionDate")}</label>
                            <label>{t(UI.reason, lang)}<textarea name="reason" required maxlength={4000} rows={2} {...w.aria("reason")}>{w.value("reason")}</textarea>{w.note("reason")}</label>
                            <ConfirmBox lang={lang} form={w} />
                            <p><button type="submit" class="danger">{t(UI.withdraw, lang)}</button></p>
                          </form>
                        </details>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {props.lateEvents && props.lateEvents.length > 0 && (
        <section id="late-events">
          <h2>{fillTemplate(t(UI.lateEvents, lang), { days: LATE_RECORDING_DAYS })}</h2>
          <p><small>{t(UI.lateEventsWhy, lang)}</small></p>
          <div class="table-wrap">
            <table>
              <thead><tr><th>{t(UI.provider, lang)}</th><th>{t(T.topic, lang)}</th><th>{t(T.dates, lang)}</th><th>{t(UI.recordedOn, lang)}</th></tr></thead>
              <tbody>
                {props.lateEvents.map((e) => (
                  <tr data-late-event={e.id} data-party={e.partyId} data-days={e.recordedDaysAfterEnd}>
                    <td><a href={`/providers/${e.partyId}`}>{partyNames.get(e.partyId) ?? e.partyId}</a></td>
                    <td>{e.topic}</td>
                    <td>{kzDateTime(e.startsAt)} – {kzDateTime(e.endsAt)}</td>
                    <td>{kzDateTime(e.createdAt)}<LateMark event={e} lang={lang} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {props.coOrganisation && <CoOrganisationRequests events={props.coOrganisation} partyNames={partyNames} lang={lang} csrf={csrf} />}

      <h2 id="register">{t(UI.registerProvider, lang)}</h2>
      <form class="stack" method="post" action="/console/parties" data-form="party">
        <Csrf value={csrf} />
        {party.rest(["kind", "name", "barId", "website", "city", "address"])}
        <label>{t(UI.kind, lang)}
          <select name="kind" {...party.aria("kind")}>
            <option value="centre" selected={party.chosen("kind", "centre")}>{t(UI.kindCentre, lang)}</option>
            <option value="organisation" selected={party.chosen("kind", "organisation")}>{t(UI.kindOrganisation, lang)}</option>
            <option value="trainer" selected={party.chosen("kind", "trainer")}>{t(UI.kindTrainer, lang)}</option>
          </select>
          {party.note("kind")}
        </label>
        <label>{t(UI.name, lang)}<input type="text" name="name" required maxlength={300} value={party.value("name")} {...party.aria("name")} />{party.note("name")}</label>
        <label>{t(T.bar, lang)}
          <select name="barId" required {...party.aria("barId")}>{props.bars.map((b) => <option value={b.id} selected={party.chosen("barId", b.id)}>{b.names[lang]}</option>)}</select>
          {party.note("barId")}
        </label>
        <label>{t(UI.website, lang)}<input type="url" name="website" maxlength={500} value={party.value("website")} {...party.aria("website")} />{party.note("website")}</label>
        <label>{t(UI.city, lang)}<input type="text" name="city" maxlength={100} value={party.value("city")} {...party.aria("city")} />{party.note("city")}</label>
        <label>{t(UI.address, lang)}<input type="text" name="address" maxlength={300} value={party.value("address")} {...party.aria("address")} />{party.note("address")}</label>
        <p><button type="submit">{t(UI.registerProvider, lang)}</button></p>
      </form>

      <h2 id="provider-key">{t(UI.newProviderKey, lang)}</h2>
      <form class="stack" method="post" action="/console/api-keys" data-form="api-key">
        <Csrf value={csrf} />
        <input type="hidden" name="role" value="provider" />
        {providerKey.rest(["partyId", "label"])}
        <label>{t(UI.provider, lang)}
          <select name="partyId" required {...providerKey.aria("partyId")}>{props.parties.map((p) => <option value={p.id} selected={chosenParty(providerKey, p.id)}>{p.name} ({p.id})</option>)}</select>
          {providerKey.note("partyId")}
        </label>
        <label>{t(UI.keyLabel, lang)}<input type="text" name="label" required maxlength={200} value={providerKey.value("label")} {...providerKey.aria("label")} />{providerKey.note("label")}</label>
        <p><button type="submit">{t(UI.newProviderKey, lang)}</button></p>
      </form>

      {/* Issue 16: a bar gets started from the browser: its registry office's key, for the bar chosen here. */}
      <h2 id="bar-key">{t(CF_T.newBarKey, lang)}</h2>
      <p><small>{t(CF_T.barKeyHelp, lang)}</small></p>
      <form class="stack" method="post" action="/console/api-keys" data-form="bar-key">
        <Csrf value={csrf} />
        <input type="hidden" name="role" value="bar-admin" />
        {barKey.rest(["barId", "label"])}
        <label>{t(T.bar, lang)}
          <select name="barId" required {...barKey.aria("barId")}>{props.bars.map((b) => <option value={b.id} selected={barKey.chosen("barId", b.id)}>{b.names[lang]}</option>)}</select>
          {barKey.note("barId")}
        </label>
        <label>{t(UI.keyLabel, lang)}<input type="text" name="label" required maxlength={200} value={barKey.value("label")} {...barKey.aria("label")} />{barKey.note("label")}</label>
        <p><button type="submit">{t(CF_T.newBarKey, lang)}</button></p>
      </form>

      <h2 id="accredit">{t(UI.accredit, lang)}</h2>
      <form class="stack" method="post" action="/console/accreditations" data-form="accreditation">
        <Csrf value={csrf} />
        {accredit.rest(["partyId", "barId", "decisionNumber", "decisionDate", "criteria", "programmes", "forms", "validFrom", "validUntil"])}
        <label>{t(UI.provider, lang)}
          <select name="partyId" required {...accredit.aria("partyId")}>{props.parties.map((p) => <option value={p.id} selected={chosenParty(accredit, p.id)}>{p.name} ({p.id})</option>)}</select>
          {accredit.note("partyId")}
        </label>
        <label>{t(T.bar, lang)}
          <select name="barId" required {...accredit.aria("barId")}>{props.bars.map((b) => <option value={b.id} selected={accredit.chosen("barId", b.id)}>{b.names[lang]}</option>)}</select>
          {accredit.note("barId")}
        </label>
        <label>{t(UI.decisionNumber, lang)}<input type="text" name="decisionNumber" required maxlength={100} value={accredit.value("decisionNumber")} {...accredit.aria("decisionNumber")} />{accredit.note("decisionNumber")}</label>
        <label>{t(UI.decisionDate, lang)}<input type="date" name="decisionDate" required value={accredit.value("decisionDate")} {...accredit.aria("decisionDate")} />{accredit.note("decisionDate")}</label>
        <fieldset {...accredit.aria("criteria")}>
          <legend>{t(T.criteria, lang)}</legend>
          {accredit.note("criteria")}
          {ACCREDITATION_CRITERIA.map((c) => (
            <label>
              <span><input type="checkbox" name="criterion" value={c} checked={accredit.chosen("criterion", c)} /> {CRITERION_NAMES[c]![lang]}</span>
              <input type="text" name={`evidence-${c}`} maxlength={2000} value={accredit.value(`evidence-${c}`)} aria-label={`${t(UI.evidence, lang)}: ${CRITERION_NAMES[c]![lang]}`} placeholder={t(UI.evidence, lang)} />
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t(T.scope, lang)} — {t(T.programme, lang)}</legend>
          {accredit.note("programmes")}
          {props.vocabulary.programmes.map((p) => <label><span><input type="checkbox" name="programmes" value={p.code} checked={accredit.chosen("programmes", p.code)} /> {p.names[lang]}</span></label>)}
        </fieldset>
        <fieldset>
          <legend>{t(T.scope, lang)} — {t(T.form, lang)}</legend>
          {accredit.note("forms")}
          {props.vocabulary.forms.map((f) => <label><span><input type="checkbox" name="forms" value={f.code} checked={accredit.chosen("forms", f.code)} /> {f.names[lang]}</span></label>)}
        </fieldset>
        <label>{t(T.validFrom, lang)}<input type="date" name="validFrom" required value={accredit.value("validFrom")} {...accredit.aria("validFrom")} />{accredit.note("validFrom")}</label>
        <label>{t(T.validUntil, lang)}<input type="date" name="validUntil" value={accredit.value("validUntil")} {...accredit.aria("validUntil")} />{accredit.note("validUntil")}</label>
        <p><button type="submit">{t(UI.accredit, lang)}</button></p>
      </form>
    </ConsoleLayout>
  );
}

/** 5.1(3): the events naming the bar as co-organiser; a pending one has the bar's two answers (the first stands). */
function CoOrganisationRequests(props: { events: CleEvent[]; partyNames: Map<string, string>; lang: Lang; csrf: string }) {
  const { lang, csrf } = props;
  return (
    <section id="co-organisation" aria-labelledby="co-organisation-title">
      <h2 id="co-organisation-title">{t(LISTS_T.requestsTitle, lang)}</h2>
      <p><small>{t(LISTS_T.requestsIntro, lang)}</small></p>
      {props.events.length === 0 ? (
        <p>{t(LISTS_T.requestsNone, lang)}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead><tr><th>{t(UI.provider, lang)}</th><th>{t(T.topic, lang)}</th><th>{t(T.dates, lang)}</th><th>{t(T.state, lang)}</th></tr></thead>
            <tbody>
              {props.events.map((e) => {
                const state = e.coOrganisation?.state ?? "pending";
                const date = e.coOrganisation?.decidedAt ? kzDate(e.coOrganisation.decidedAt) : "";
                return (
                  <tr data-co-organised={e.id} data-state={state}>
                    <td><a href={`/providers/${e.partyId}`}>{props.partyNames.get(e.partyId) ?? e.partyId}</a></td>
                    <td>{e.topic}</td>
                    <td>{kzDateTime(e.startsAt)} – {kzDateTime(e.endsAt)}</td>
                    <td>
                      {state === "pending" ? (
                        <>
                          {t(LISTS_T.requestPending, lang)}
                          <form method="post" action={`/console/events/${e.id}/co-organisation`} class="inline">
                            <Csrf value={csrf} />
                            <button type="submit" name="decision" value="confirm">{t(LISTS_T.confirm, lang)}</button>{" "}
                            <button type="submit" name="decision" value="decline" class="danger">{t(LISTS_T.decline, lang)}</button>
                          </form>
                        </>
                      ) : (
                        fillTemplate(t(state === "confirmed" ? LISTS_T.requestConfirmed : LISTS_T.requestDeclined, lang), { date })
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
