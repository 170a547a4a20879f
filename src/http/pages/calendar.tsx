/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The calendar of accredited events (7.3, 2.1(4)): every bar's and one bar's upcoming announced training, filtered by
 * programme, form, delivery, city, dates and "free for advocates" (6.1–6.2), and each event's public page. Public:
 * nothing personal is shown, only what the provider announced and what the registry says of it.
 */
import { formatNumber } from "../reports/numbers.js";
import { calendarFilterQuery, type CalendarFilter, type Fee } from "../../domain/announcement.js";
import type { FieldProblem } from "../../domain/errors.js";
import { DELIVERY_MODES, FORMS, PROGRAMMES } from "../../domain/catalog.js";
import { academicHours, kzDateTime } from "../../domain/time.js";
import type { CalendarEntry } from "../../issuance/model.js";
import { fillTemplate } from "../../lib/csv.js";
import type { Bar, Vocabulary } from "../../registry/model.js";
import { CAL_T, problemText, T, t, UI, type Lang } from "../i18n.js";
import { Layout } from "./layout.js";

type Names = Map<string, string>;

/** The human names of the vocabulary in one language (programmes, forms, delivery modes), and of the bars. */
export interface CalendarNames {
  programmes: Names;
  forms: Names;
  modes: Names;
  bars: Names;
}

export function calendarNames(vocabulary: Vocabulary, bars: Bar[], lang: Lang): CalendarNames {
  const of = (list: Vocabulary[keyof Vocabulary]) => new Map(list.map((e) => [e.code, e.names[lang]]));
  return { programmes: of(vocabulary.programmes), forms: of(vocabulary.forms), modes: of(vocabulary.deliveryModes), bars: new Map(bars.map((b) => [b.id, b.names[lang]])) };
}

/** Whole tenge with thousands separated by a no-break space, as Kazakhstan writes amounts. */
export const tenge = (amount: number): string => String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");

/** 6.1–6.2: who pays, in words. */
export function feeText(fee: Fee, lang: Lang): string {
  if (fee.kind === "free") return t(CAL_T.feeFree, lang);
  if (fee.kind === "paid") return fillTemplate(t(CAL_T.feePaid, lang), { amount: tenge(fee.amountTenge) });
  return t(fee.sponsor === "bar" ? CAL_T.feeBar : fee.sponsor === "rba" ? CAL_T.feeRba : CAL_T.feeGrant, lang);
}

/** Start and end in Kazakhstan time; one date when the event keeps to one day. */
export function whenText(startsAt: string, endsAt: string): string {
  const [s, e] = [kzDateTime(startsAt), kzDateTime(endsAt)];
  return s.slice(0, 10) === e.slice(0, 10) ? `${s}–${e.slice(11)}` : `${s} – ${e}`;
}

/** The place in words: an in-person event's address and city, else the city (if any) of a distance or online one. */
export function whereText(x: Pick<CalendarEntry, "announcement">): string {
  const a = x.announcement;
  return [a.venue, a.city].filter(Boolean).join(", ");
}

export function CalendarPage(props: {
  lang: Lang;
  title: string;
  /** The page's own path, without a query. */
  path: string;
  filter: CalendarFilter;
  entries: CalendarEntry[];
  cities: string[];
  names: CalendarNames;
  feed: string;
  /** The other calendar: the whole country's from a bar's, a bar's registry from the country's. */
  links: { href: string; text: string }[];
}) {
  const { lang, filter, names } = props;
  const query = calendarFilterQuery(filter);
  const select = (name: string, list: readonly string[], current: string | undefined, label: Names) => (
    <select name={name}>
      <option value="">{t(CAL_T.all, lang)}</option>
      {list.map((code) => <option value={code} selected={code === current}>{label.get(code) ?? code}</option>)}
    </select>
  );
  const cities = filter.city && !props.cities.includes(filter.city) ? [filter.city, ...props.cities] : props.cities;
  return (
    <Layout lang={lang} title={props.title} path={query ? `${props.path}?${query}` : props.path}>
      <h1>{props.title}</h1>
      <p>{t(CAL_T.intro, lang)} {t(CAL_T.timesNote, lang)}</p>
      <p>
        <a href={props.feed} data-feed>{t(CAL_T.feed, lang)}</a>
        {props.links.map((l) => <>{" · "}<a href={l.href}>{l.text}</a></>)}
      </p>
      <form class="inline" method="get" action={props.path} role="search" aria-label={t(CAL_T.filter, lang)}>
        <label>{t(T.programme, lang)}<br />{select("programme", PROGRAMMES, filter.programme, names.programmes)}</label>
        <label>{t(T.form, lang)}<br />{select("form", FORMS, filter.form, names.forms)}</label>
        <label>{t(T.delivery, lang)}<br />{select("delivery", DELIVERY_MODES, filter.deliveryMode, names.modes)}</label>
        <label>{t(CAL_T.city, lang)}<br />{select("city", cities, filter.city, new Map(cities.map((c) => [c, c])))}</label>
        <label>{t(CAL_T.from, lang)}<br /><input type="date" name="from" value={filter.from ?? ""} /></label>
        <label>{t(CAL_T.to, lang)}<br /><input type="date" name="to" value={filter.to ?? ""} /></label>
        <label><input type="checkbox" name="free" value="1" checked={filter.freeOnly} /> {t(CAL_T.freeOnly, lang)}</label>
        <button type="submit">{t(CAL_T.show, lang)}</button>
        {query && <a href={props.path}>{t(CAL_T.clear, lang)}</a>}
      </form>
      <p data-count={props.entries.length}>{fillTemplate(t(CAL_T.count, lang), { count: props.entries.length })}</p>
      {props.entries.length === 0 ? (
        <p>{t(CAL_T.none, lang)}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr><th>{t(CAL_T.when, lang)}</th><th>{t(T.topic, lang)}</th><th>{t(T.organiser, lang)}</th><th>{t(T.programme, lang)} / {t(T.form, lang)}</th><th>{t(CAL_T.where, lang)}</th><th>{t(CAL_T.fee, lang)}</th><th>{t(CAL_T.seats, lang)}</th></tr>
            </thead>
            <tbody>
              {props.entries.map((x) => (
                <tr data-event={x.event.id} data-fee={x.announcement.fee.kind}>
                  <td>{whenText(x.event.startsAt, x.event.endsAt)}</td>
                  <td><a href={`/events/${x.event.id}`}>{x.event.topic}</a></td>
                  <td><a href={`/providers/${x.organiser.id}`}>{x.organiser.name}</a></td>
                  <td>{names.programmes.get(x.event.programme) ?? x.event.programme} / {names.forms.get(x.event.form) ?? x.event.form}</td>
                  <td>{names.modes.get(x.event.deliveryMode) ?? x.event.deliveryMode}{whereText(x) && <>: {whereText(x)}</>}</td>
                  <td>{feeText(x.announcement.fee, lang)}</td>
                  <td>{x.announcement.seats ?? t(CAL_T.seatsNotStated, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export function CalendarEventPage(props: { lang: Lang; entry: CalendarEntry; names: CalendarNames; now: string }) {
  const { lang, names } = props;
  const { event: e, announcement: a, organiser } = props.entry;
  return (
    <Layout lang={lang} title={`${e.topic} — ${t(CAL_T.title, lang)}`} path={`/events/${e.id}`}>
      <p><a href="/events">{t(CAL_T.allEvents, lang)}</a></p>
      <h1>{e.topic}</h1>
      {Date.parse(e.endsAt) <= Date.parse(props.now) && <p class="notice" role="status">{t(CAL_T.taken, lang)}</p>}
      <dl>
        <dt>{t(T.organiser, lang)}</dt>
        <dd><a href={`/providers/${organiser.id}`} data-organiser={organiser.id}>{organiser.name}</a> ({t(CAL_T.organiserEntry, lang)})</dd>
        {e.coOrganiserBarId && (<><dt>{t(T.coOrganiser, lang)}</dt><dd>{names.bars.get(e.coOrganiserBarId) ?? e.coOrganiserBarId}</dd></>)}
        <dt>{t(CAL_T.when, lang)}</dt><dd>{whenText(e.startsAt, e.endsAt)} <small>(UTC+05:00)</small></dd>
        <dt>{t(T.delivery, lang)}</dt><dd>{names.modes.get(e.deliveryMode) ?? e.deliveryMode}</dd>
        {a.city && (<><dt>{t(CAL_T.city, lang)}</dt><dd>{a.city}</dd></>)}
        {a.venue && (<><dt>{t(CAL_T.venue, lang)}</dt><dd>{a.venue}</dd></>)}
        {a.link && (<><dt>{t(CAL_T.link, lang)}</dt><dd><a href={a.link} rel="nofollow noopener noreferrer" data-link>{a.link}</a></dd></>)}
        <dt>{t(CAL_T.fee, lang)}</dt><dd data-fee={a.fee.kind}>{feeText(a.fee, lang)}</dd>
        <dt>{t(CAL_T.seats, lang)}</dt><dd>{a.seats ?? t(CAL_T.seatsNotStated, lang)}</dd>
        <dt>{t(T.programme, lang)}</dt><dd>{names.programmes.get(e.programme) ?? e.programme}</dd>
        <dt>{t(T.form, lang)}</dt><dd>{names.forms.get(e.form) ?? e.form}</dd>
        <dt>{t(T.hours, lang)}</dt><dd>{formatNumber(academicHours(e.durationMinutes), lang, 1)} <small>({t(T.hoursNote, lang)})</small></dd>
        {e.trainers.length > 0 && (<><dt>{t(T.trainers, lang)}</dt><dd>{e.trainers.map((tr) => tr.name).join(", ")}</dd></>)}
        <dt>{t(CAL_T.accreditedBy, lang)}</dt>
        <dd>{props.entry.accreditedBy.map((bar, i) => <>{i > 0 && ", "}<a href={`/registry/${bar}/events`}>{names.bars.get(bar) ?? bar}</a></>)}</dd>
      </dl>
      <h2>{t(CAL_T.about, lang)}</h2>
      {/* The provider's own line breaks, kept without inline styles (the pages' CSP allows none). */}
      {a.description.split(/\n\s*\n/).map((para) => <p>{para.split("\n").map((line, i) => <>{i > 0 && <br />}{line}</>)}</p>)}
      <p><a href={`/providers/${organiser.id}/events.ics`} data-feed>{t(CAL_T.providerFeed, lang)}</a></p>
    </Layout>
  );
}

export function CalendarEventNotFound(props: { lang: Lang; id: string }) {
  const { lang } = props;
  return (
    <Layout lang={lang} title={t(CAL_T.notFound, lang)} path={`/events/${props.id}`}>
      <h1>{t(CAL_T.notFound, lang)}</h1>
      <p>{t(CAL_T.notFoundHelp, lang)}</p>
      <p><a href="/events">{t(CAL_T.allEvents, lang)}</a></p>
    </Layout>
  );
}

/** A filter that could not be read (a hand-edited URL): each problem in the page's language, and a way back. */
export function CalendarFilterRefused(props: { lang: Lang; path: string; problems: FieldProblem[] }) {
  const { lang } = props;
  return (
    <Layout lang={lang} title={t(CAL_T.badFilter, lang)} path={props.path}>
      <h1>{t(CAL_T.badFilter, lang)}</h1>
      <p class="notice error" role="alert">{fillTemplate(t(CAL_T.filterProblems, lang), { count: props.problems.length })}</p>
      <ul>
        {props.problems.map((p) => {
          const { where, text } = problemText(p, lang);
          return <li data-problem-code={p.code}><code>{where}</code>: {text}</li>;
        })}
      </ul>
      <p><a href={props.path}>{t(CAL_T.clear, lang)}</a> · <a href="/registry">{t(UI.navRegistry, lang)}</a></p>
    </Layout>
  );
}
