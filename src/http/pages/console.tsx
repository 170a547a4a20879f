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
import { BK, CAL_T, CRITERION_NAMES, DELIVERY_T, LISTS_T, problemText, STATE_NAMES, T, t, UI, WITHDRAWAL_GROUND_NAMES, type Lang } from "../i18n.js";
import { ANNOUNCEMENT_LIMITS, type Announcement } from "../../domain/announcement.js";
import { Layout } from "./layout.js";

export interface ConsoleFrame {
  lang: Lang;
  csrf: string;
  /** Who is signed in, as shown in the header. */
  who: string;
}

export function Csrf(props: { value: string }) {
  return <input type="hidden" name="_csrf" value={props.value} />;
}

export function ConsoleLayout(props: { frame: ConsoleFrame; title: string; path: string; notice?: string; error?: string; children: Child }) {
  const { lang, csrf } = props.frame;
  return (
    <Layout
      lang={lang}
      title={props.title}
      path={props.path}
      nav={
        <form method="post" action="/console/sign-out" class="inline sign-out">
          <Csrf value={csrf} />
          <span class="who">{props.frame.who}</span> <button type="submit">{t(UI.signOut, lang)}</button>
        </form>
      }
    >
      <h1>{props.title}</h1>
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
            return <li data-problem-code={p.code}><code>{where}</code>: {text}</li>;
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

export function ProviderHome(props: { frame: ConsoleFrame; party: Party; events: CleEvent[]; vocabulary: Vocabulary; bars: Bar[]; notice?: string }) {
  const { lang, csrf } = props.frame;
  const programmes = names(props.vocabulary.programmes, lang);
  const forms = names(props.vocabulary.forms, lang);
  const modes = names(props.vocabulary.deliveryModes, lang);
  return (
    <ConsoleLayout frame={props.frame} title={`${t(UI.providerConsole, lang)} — ${props.party.name}`} path="/console" notice={props.notice}>
      <nav class="console-nav"><a href="/console/surveys">{t(BK.surveys, lang)}</a></nav>
      <h2>{t(UI.events, lang)}</h2>
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
                  <td>{academicHours(e.durationMinutes).toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 id="new-event">{t(UI.newEvent, lang)}</h2>
      <form class="stack" method="post" action="/console/events">
        <Csrf value={csrf} />
        <label>{t(T.topic, lang)}<input type="text" name="topic" required maxlength={500} /></label>
        <label>{t(T.programme, lang)}
          <select name="programme" required>{PROGRAMMES.map((p) => <option value={p}>{programmes.get(p) ?? p}</option>)}</select>
        </label>
        <label>{t(T.form, lang)}
          <select name="form" required>{FORMS.map((f) => <option value={f}>{forms.get(f) ?? f}</option>)}</select>
        </label>
        <label>{t(T.delivery, lang)}
          <select name="deliveryMode" required>{DELIVERY_MODES.map((m) => <option value={m}>{modes.get(m) ?? m}</option>)}</select>
        </label>
        <label>{t(UI.coOrganiserBar, lang)}
          <select name="coOrganiserBarId">
            <option value="">{t(UI.noneOption, lang)}</option>
            {props.bars.map((b) => <option value={b.id}>{b.names[lang]}</option>)}
          </select>
        </label>
        <label>{t(T.place, lang)}<input type="text" name="place" required maxlength={500} /></label>
        <label>{t(UI.startsAt, lang)} (UTC+05:00)<input type="datetime-local" name="startsAt" required /></label>
        <label>{t(UI.endsAt, lang)} (UTC+05:00)<input type="datetime-local" name="endsAt" required /></label>
        <label>{t(UI.durationMinutes, lang)}<input type="number" name="durationMinutes" required min={1} max={100000} step={1} /></label>
        <fieldset>
          <legend>{t(LISTS_T.trainersLegend, lang)}</legend>
          {Array.from({ length: TRAINER_ROWS }, (_, i) => (
            <>
              <label>{fillTemplate(t(LISTS_T.trainerName, lang), { n: i + 1 })}<input type="text" name={`trainerName-${i}`} maxlength={TRAINER_LIMITS.name} required={i === 0} /></label>
              <label>{fillTemplate(t(LISTS_T.trainerField, lang), { n: i + 1 })}<input type="text" name={`trainerField-${i}`} maxlength={TRAINER_LIMITS.field} required={i === 0} /></label>
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
  participants: (Participant & { certificateId: string | null })[];
  certificates: StoredCertificate[];
  vocabulary: Vocabulary;
  bars: Bar[];
  /** Issue 13: each issued participant's certificate message; `undefined` where delivery is not wired in. */
  delivery?: { rows: DeliveryRow[]; mailConfigured: boolean };
  notice?: string;
  /** 7.3: the event's announcement in the public calendar, if it has one. */
  announcement?: Announcement;
  now?: string;
}) {
  const { lang, csrf } = props.frame;
  const e = props.event;
  const barNames = new Map(props.bars.map((b) => [b.id, b.names[lang]]));
  const certs = new Map(props.certificates.map((c) => [c.id, c]));
  return (
    <ConsoleLayout frame={props.frame} title={e.topic} path={`/console/events/${e.id}`} notice={props.notice}>
      <p><a href="/console">{t(UI.back, lang)}</a></p>
      <dl>
        <dt>{t(T.programme, lang)}</dt><dd>{names(props.vocabulary.programmes, lang).get(e.programme) ?? e.programme}</dd>
        <dt>{t(T.form, lang)}</dt><dd>{names(props.vocabulary.forms, lang).get(e.form) ?? e.form}</dd>
        <dt>{t(T.dates, lang)}</dt><dd>{kzDateTime(e.startsAt)} – {kzDateTime(e.endsAt)}</dd>
        <dt>{t(UI.recordedOn, lang)}</dt><dd>{kzDateTime(e.createdAt)}<LateMark event={e} lang={lang} /></dd>
        <dt>{t(T.hours, lang)}</dt><dd>{academicHours(e.durationMinutes).toFixed(1)}</dd>
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

      {props.now && <AnnouncementSection event={e} announcement={props.announcement} now={props.now} lang={lang} csrf={csrf} />}

      <h2>{t(UI.participants, lang)} ({props.participants.length})</h2>
      {props.participants.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th>{t(T.participant, lang)}</th><th>{t(T.licence, lang)}</th><th>{t(T.bar, lang)}</th><th>{t(T.role, lang)}</th><th>{t(LISTS_T.minutes, lang)}</th><th>{t(UI.certificates, lang)}</th></tr></thead>
            <tbody>
              {props.participants.map((p) => {
                const c = p.certificateId ? certs.get(p.certificateId) : undefined;
                return (
                  <tr data-participant={p.licenceNumber} data-certificate={p.certificateId ?? ""} data-revoked={c?.revokedAt ? "true" : "false"}>
                    <td>{p.fullName}</td>
                    <td>{p.licenceNumber}</td>
                    <td>{barNames.get(p.barId) ?? p.barId}</td>
                    <td>{t(p.role === "teacher" ? T.roleTeacher : T.roleAttendee, lang)}</td>
                    <td data-minutes={participantMinutes(e, p)}>{participantMinutes(e, p)} ({academicHours(participantMinutes(e, p)).toFixed(1)})</td>
                    <td>
                      {c ? (
                        <>
                          <a href={`/c/${c.id}`}>{c.id}</a> — {c.revokedAt ? `${t(UI.revoked, lang)}: ${c.revocationReason ?? ""}` : t(UI.valid, lang)}
                          {!c.revokedAt && (
                            <form method="post" action={`/console/certificates/${c.id}/revoke`} class="inline">
                              <Csrf value={csrf} />
                              <input type="hidden" name="eventId" value={e.id} />
                              <label>{t(UI.reason, lang)} <input type="text" name="reason" required maxlength={2000} /></label>
                              <button type="submit" class="danger">{t(UI.revoke, lang)}</button>
                            </form>
                          )}
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
      <form class="stack" method="post" action={`/console/events/${e.id}/participants`} enctype="multipart/form-data">
        <Csrf value={csrf} />
        <label>
          {t(LISTS_T.participantsUpload, lang)}
          <textarea name="csv" rows={6} placeholder={"licence;name;bar;role;attended minutes\n123456;Әлия Құрманова;almaty-city;attendee;"}></textarea>
        </label>
        <label>{t(UI.participantsFile, lang)}<input type="file" name="file" accept=".csv,text/csv,text/plain" /></label>
        <p><button type="submit">{t(UI.save, lang)}</button></p>
      </form>

      <h2>{t(UI.issue, lang)}</h2>
      <form method="post" action={`/console/events/${e.id}/issue`}>
        <Csrf value={csrf} />
        <p>{t(UI.issuedCount, lang)}: <strong data-issued={props.certificates.length}>{props.certificates.length}</strong></p>
        <button type="submit">{t(UI.issue, lang)}</button>
      </form>
      {props.delivery && props.delivery.rows.length > 0 && <DeliverySection eventId={e.id} lang={lang} csrf={csrf} {...props.delivery} />}
      {props.certificates.length > 0 && (
        <form method="post" action={`/console/events/${e.id}/survey-links`}>
          <Csrf value={csrf} />
          {/* 7.5: each participant's own survey link, shown once on the next page for delivery. */}
          <button type="submit">{t(BK.surveyLinksMake, lang)}</button>
        </form>
      )}
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

/** What became of each participant's certificate message, with "send again" for one or for every failed one. */
function DeliverySection(props: { eventId: string; lang: Lang; csrf: string; rows: DeliveryRow[]; mailConfigured: boolean }) {
  const { lang, csrf, eventId } = props;
  const stateName = (state: DeliveryRow["state"]) => t(DELIVERY_T[state], lang);
  const canResendAll = props.rows.some((r) => r.state === "failed" || r.state === "no_address");
  return (
    <section id="delivery" aria-labelledby="delivery-title">
      <h2 id="delivery-title">{t(DELIVERY_T.title, lang)}</h2>
      {!props.mailConfigured && <p class="notice" role="status">{t(DELIVERY_T.notConfigured, lang)}</p>}
      <div class="table-wrap">
        <table>
          <thead><tr><th>{t(T.participant, lang)}</th><th>{t(DELIVERY_T.address, lang)}</th><th>{t(DELIVERY_T.state, lang)}</th><th>{t(DELIVERY_T.reply, lang)}</th><th></th></tr></thead>
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
  /** A provider key just created: its token, shown this once. */
  newToken?: string;
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
  return (
    <ConsoleLayout frame={props.frame} title={`${t(UI.barConsole, lang)} — ${props.barName}`} path="/console" notice={props.notice}>
      {props.nav}
      <nav class="console-nav"><a href="/console/participant-lists">{t(LISTS_T.nav, lang)}</a>{" · "}<a href="#co-organisation">{t(LISTS_T.navRequests, lang)}</a></nav>
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
                        <details>
                          <summary>{t(UI.withdraw, lang)}</summary>
                          <form class="stack" method="post" action={`/console/accreditations/${a.id}/withdraw`}>
                            <Csrf value={csrf} />
                            <label>{t(UI.ground, lang)}
                              <select name="ground">
                                {WITHDRAWAL_GROUNDS.map((g) => <option value={g}>{t(WITHDRAWAL_GROUND_NAMES[g], lang)}</option>)}
                              </select>
                            </label>
                            <label>{t(UI.decisionNumber, lang)}<input type="text" name="decisionNumber" required maxlength={100} /></label>
                            <label>{t(UI.decisionDate, lang)}<input type="date" name="decisionDate" required /></label>
                            <label>{t(UI.reason, lang)}<textarea name="reason" required maxlength={4000} rows={2}></textarea></label>
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

      {props.newToken && (
        <section class="notice" role="status">
          <p>{t(UI.tokenOnce, lang)}</p>
          <p><code data-new-token>{props.newToken}</code></p>
        </section>
      )}
      <h2 id="register">{t(UI.registerProvider, lang)}</h2>
      <form class="stack" method="post" action="/console/parties">
        <Csrf value={csrf} />
        <label>{t(UI.kind, lang)}
          <select name="kind">
            <option value="centre">{t(UI.kindCentre, lang)}</option>
            <option value="organisation">{t(UI.kindOrganisation, lang)}</option>
            <option value="trainer">{t(UI.kindTrainer, lang)}</option>
          </select>
        </label>
        <label>{t(UI.name, lang)}<input type="text" name="name" required maxlength={300} /></label>
        <label>{t(T.bar, lang)}
          <select name="barId" required>{props.bars.map((b) => <option value={b.id}>{b.names[lang]}</option>)}</select>
        </label>
        <label>{t(UI.website, lang)}<input type="url" name="website" maxlength={500} /></label>
        <label>{t(UI.city, lang)}<input type="text" name="city" maxlength={100} /></label>
        <label>{t(UI.address, lang)}<input type="text" name="address" maxlength={300} /></label>
        <p><button type="submit">{t(UI.registerProvider, lang)}</button></p>
      </form>

      <h2 id="provider-key">{t(UI.newProviderKey, lang)}</h2>
      <form class="stack" method="post" action="/console/api-keys">
        <Csrf value={csrf} />
        <label>{t(UI.provider, lang)}
          <select name="partyId" required>{props.parties.map((p) => <option value={p.id}>{p.name} ({p.id})</option>)}</select>
        </label>
        <label>{t(UI.keyLabel, lang)}<input type="text" name="label" required maxlength={200} /></label>
        <p><button type="submit">{t(UI.newProviderKey, lang)}</button></p>
      </form>

      <h2 id="accredit">{t(UI.accredit, lang)}</h2>
      <form class="stack" method="post" action="/console/accreditations">
        <Csrf value={csrf} />
        <label>{t(UI.provider, lang)}
          <select name="partyId" required>{props.parties.map((p) => <option value={p.id}>{p.name} ({p.id})</option>)}</select>
        </label>
        <label>{t(T.bar, lang)}
          <select name="barId" required>{props.bars.map((b) => <option value={b.id}>{b.names[lang]}</option>)}</select>
        </label>
        <label>{t(UI.decisionNumber, lang)}<input type="text" name="decisionNumber" required maxlength={100} /></label>
        <label>{t(UI.decisionDate, lang)}<input type="date" name="decisionDate" required /></label>
        <fieldset>
          <legend>{t(T.criteria, lang)}</legend>
          {ACCREDITATION_CRITERIA.map((c) => (
            <label>
              <span><input type="checkbox" name="criterion" value={c} /> {CRITERION_NAMES[c]![lang]}</span>
              <input type="text" name={`evidence-${c}`} maxlength={2000} aria-label={`${t(UI.evidence, lang)}: ${CRITERION_NAMES[c]![lang]}`} placeholder={t(UI.evidence, lang)} />
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t(T.scope, lang)} — {t(T.programme, lang)}</legend>
          {props.vocabulary.programmes.map((p) => <label><span><input type="checkbox" name="programmes" value={p.code} /> {p.names[lang]}</span></label>)}
        </fieldset>
        <fieldset>
          <legend>{t(T.scope, lang)} — {t(T.form, lang)}</legend>
          {props.vocabulary.forms.map((f) => <label><span><input type="checkbox" name="forms" value={f.code} /> {f.names[lang]}</span></label>)}
        </fieldset>
        <label>{t(T.validFrom, lang)}<input type="date" name="validFrom" required /></label>
        <label>{t(T.validUntil, lang)}<input type="date" name="validUntil" /></label>
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
