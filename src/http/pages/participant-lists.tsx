/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * 12.3: the bar console's page of the participant lists its members are on — each event's time, date, place, title,
 * trainers with the field of their experience (11.1), hours and programme, and the bar's own members with the minutes
 * they attended or taught — with each list's CSV and XLSX.
 */
import { formatNumber } from "../reports/numbers.js";
import { fillTemplate } from "../../lib/csv.js";
import type { Vocabulary } from "../../registry/model.js";
import { BLISTS_T, LISTS_T, REPORTS_T, T, t, UI } from "../i18n.js";
import { Pager, type ListPage } from "./console-bookkeeping.js";
import { ConsoleLayout, type ConsoleFrame } from "./console.js";

/** A list as the bar reads it: the event's 12.3 particulars, its organiser, and the bar's members with their minutes. */
export interface BarListView {
  event: {
    id: string;
    topic: string;
    programme: string;
    form: string;
    deliveryMode: string;
    place: string;
    startsAt: string;
    endsAt: string;
    /** Kazakhstan's date(s) and time of the event, as 12.3 names them. */
    date: string;
    time: string;
    durationMinutes: number;
    academicHours: number;
    /** 11.1: `field` null where the event was recorded before it was asked for. */
    trainers: { name: string; field: string | null }[];
    organiser: { id: string; name: string };
    coOrganiserBarId: string | null;
  };
  participants: {
    licenceNumber: string;
    fullName: string;
    role: "attendee" | "teacher";
    /** The minutes the certificate states and the bar credits (attended, or taught: 5.1(4)). */
    minutes: number;
    academicHours: number;
    /** 12.3: present for less than the whole event. */
    partial: boolean;
    attendedMinutes: number | null;
    taughtMinutes: number | null;
    certificateId: string | null;
    certificateUrl: string | null;
    revoked: boolean;
  }[];
}

export function ParticipantListsPage(props: {
  frame: ConsoleFrame; barId: string; barName: string; year: number; lists: BarListView[]; vocabulary: Vocabulary; asOperator: boolean;
  /** Issue 16: the page of lists shown (`lists`) of all those matching the search, and their members in all. */
  list?: ListPage; members?: number;
}) {
  const { lang } = props.frame;
  const L = LISTS_T;
  const name = (list: Vocabulary[keyof Vocabulary], code: string) => list.find((x) => x.code === code)?.names[lang] ?? code;
  const members = props.members ?? props.lists.reduce((n, l) => n + l.participants.length, 0);
  const events = props.list?.total ?? props.lists.length;
  const params = { year: String(props.year), bar: props.asOperator ? props.barId : undefined, q: props.list?.q };
  const query = (extra: string) => `?year=${props.year}${props.asOperator ? `&bar=${props.barId}` : ""}${extra}`;
  return (
    <ConsoleLayout frame={props.frame} title={`${t(L.title, lang)} — ${props.barName}`} path="/console/participant-lists">
      <p><a href="/console">{t(UI.back, lang)}</a></p>
      <p>{t(L.intro, lang)}</p>
      <form method="get" action="/console/participant-lists" class="inline">
        {props.asOperator && <input type="hidden" name="bar" value={props.barId} />}
        <label>{t(L.year, lang)} <input type="number" name="year" min={2000} max={2100} step={1} value={String(props.year)} required /></label>{" "}
        <button type="submit">{t(L.show, lang)}</button>
      </form>
      {props.list && (
        <form method="get" action="/console/participant-lists" class="list-search" role="search">
          <input type="hidden" name="year" value={String(props.year)} />
          {props.asOperator && <input type="hidden" name="bar" value={props.barId} />}
          <label>{t(BLISTS_T.listsSearch, lang)} <input type="search" name="q" value={props.list.q} maxlength={100} /></label>{" "}
          <button type="submit">{t(BLISTS_T.searchButton, lang)}</button>
        </form>
      )}
      {events === 0 ? (
        <p data-lists="0">{props.list && props.list.q !== "" ? fillTemplate(t(BLISTS_T.noneFound, lang), { q: props.list.q }) : t(L.none, lang)}</p>
      ) : (
        <p data-lists={events}>{fillTemplate(t(L.count, lang), { events: formatNumber(events, lang), members: formatNumber(members, lang) })}</p>
      )}
      {props.list && <Pager lang={lang} list={props.list} path="/console/participant-lists" params={params} />}
      {props.lists.map((l) => {
        const e = l.event;
        return (
          // Not a landmark of its own (its h2 heads it): a year may hold one course given twice, and two landmarks of
          // one name are a trap. The scrolling table is the region, named by its count, topic, organiser, date, time.
          <section data-list={e.id}>
            <h2 id={`list-${e.id}`}>{e.topic}</h2>
            <dl>
              <dt>{t(T.organiser, lang)}</dt><dd id={`organiser-${e.id}`}><a href={`/providers/${e.organiser.id}`}>{e.organiser.name}</a></dd>
              <dt>{t(REPORTS_T.date, lang)}</dt><dd id={`date-${e.id}`}>{e.date}</dd>
              <dt>{t(REPORTS_T.time, lang)}</dt><dd id={`time-${e.id}`}>{e.time} (UTC+05:00)</dd>
              <dt>{t(T.place, lang)}</dt><dd>{e.place}</dd>
              <dt>{t(T.programme, lang)}</dt><dd>{name(props.vocabulary.programmes, e.programme)}</dd>
              <dt>{t(T.form, lang)}</dt><dd>{name(props.vocabulary.forms, e.form)}, {name(props.vocabulary.deliveryModes, e.deliveryMode)}</dd>
              <dt>{t(T.hours, lang)}</dt><dd>{formatNumber(e.academicHours, lang, 1)} <small>({t(T.hoursNote, lang)})</small></dd>
              <dt>{t(T.trainers, lang)}</dt>
              <dd>
                <ul>
                  {e.trainers.map((tr) => (
                    <li data-trainer-field={tr.field === null ? "not-recorded" : "recorded"}>{tr.name} — {tr.field ?? <em>{t(L.notRecorded, lang)}</em>}</li>
                  ))}
                </ul>
              </dd>
            </dl>
            <h3 id={`members-${e.id}`}>{t(L.members, lang)} ({l.participants.length})</h3>
            <div class="table-wrap" tabindex={0} role="region" aria-labelledby={`members-${e.id} list-${e.id} organiser-${e.id} date-${e.id} time-${e.id}`}>
              <table>
                <thead><tr><th>{t(T.participant, lang)}</th><th>{t(T.licence, lang)}</th><th>{t(T.role, lang)}</th><th>{t(L.minutes, lang)}</th><th>{t(REPORTS_T.certificate, lang)}</th></tr></thead>
                <tbody>
                  {l.participants.map((p) => (
                    <tr data-member={p.licenceNumber} data-partial={p.partial ? "true" : "false"}>
                      <td>{p.fullName}</td>
                      <td>{p.licenceNumber}</td>
                      <td>{t(p.role === "teacher" ? T.roleTeacher : T.roleAttendee, lang)}</td>
                      <td>
                        {p.minutes} — {fillTemplate(t(L.ownHours, lang), { hours: formatNumber(p.academicHours, lang, 1), total: formatNumber(e.academicHours, lang, 1) })}
                        {p.partial && <> <em>({t(L.partial, lang)})</em></>}
                      </td>
                      <td>
                        {p.certificateId ? <a href={`/c/${p.certificateId}`}>{p.certificateId}</a> : t(REPORTS_T.notIssued, lang)}
                        {p.revoked && <> — {t(L.revoked, lang)}</>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p>
              {t(L.download, lang)}: <a href={`/console/participant-lists/${e.id}.csv${query(`&lang=${lang}`)}`}>CSV</a>
              {" · "}
              <a href={`/console/participant-lists/${e.id}.xlsx${query(`&lang=${lang}`)}`}>XLSX</a>
            </p>
          </section>
        );
      })}
      {props.list && <Pager lang={lang} list={props.list} path="/console/participant-lists" params={params} />}
    </ConsoleLayout>
  );
}
