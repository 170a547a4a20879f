/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** 8.3: each bar publishes its centres and its accredited providers. Public: nothing personal is shown. */
import type { PublicRegistry } from "../../registry/service.js";
import type { PublishedApproval } from "../../registry/programme-content.js";
import { contentFor, type ContentLang } from "../../domain/programme-content.js";
import { fillTemplate } from "../../lib/csv.js";
import type { Vocabulary } from "../../registry/model.js";
import { CAL_T, STATE_NAMES, T, t, type Lang } from "../i18n.js";
import { Layout } from "./layout.js";
import { AccreditationTerms, SearchForm } from "./providers.js";

type BarEntry = PublicRegistry["bars"][number];
/** 10.3: each programme with the content the bar approved, in force (`null`: none recorded). */
type BarProgrammes = { programme: string; current: PublishedApproval | null }[];

export function RegistryPage(props: { lang: Lang; registry: PublicRegistry; vocabulary: Vocabulary; only?: BarEntry; programmes?: BarProgrammes }) {
  const { lang } = props;
  const bars = props.only ? [props.only] : props.registry.bars;
  const title = props.only ? `${props.only.names[lang]} — ${t(T.registry, lang)}` : t(T.registry, lang);
  return (
    <Layout lang={lang} title={title} path={props.only ? `/registry/${props.only.id}` : "/registry"}>
      <h1>{title}</h1>
      {/* 7.3: each bar's website announces its events; the registry links its calendar. */}
      <p>
        {props.only ? <a href={`/registry/${props.only.id}/events`}>{t(CAL_T.barCalendar, lang)}</a> : <a href="/events">{t(CAL_T.navLink, lang)}</a>}
      </p>
      <SearchForm lang={lang} />
      {!props.only && (
        <nav class="bars">
          <ul>{bars.map((b) => <li><a href={`/registry/${b.id}?lang=${lang}`}>{b.names[lang]}</a> ({b.providers.length})</li>)}</ul>
        </nav>
      )}
      {bars.map((b) => <BarSection lang={lang} bar={b} vocabulary={props.vocabulary} heading={!props.only} />)}
      {props.only && props.programmes && <ProgrammesSection lang={lang} programmes={props.programmes} vocabulary={props.vocabulary} />}
    </Layout>
  );
}

const Heading = (props: { level: 2 | 3; children: unknown }) => (props.level === 2 ? <h2>{props.children}</h2> : <h3>{props.children}</h3>);

function BarSection(props: { lang: Lang; bar: BarEntry; vocabulary: Vocabulary; heading: boolean }) {
  const { lang, bar } = props;
  return (
    <section class="bar" id={bar.id} data-bar={bar.id}>
      {props.heading ? (
        <h2>
          {bar.names[lang]}
          {!bar.verified && <small class="unverified"> ({t(T.unverifiedName, lang)})</small>}
        </h2>
      ) : (
        !bar.verified && <p class="unverified">({t(T.unverifiedName, lang)})</p>
      )}
      {/* A bar's own page has no bar heading: its sections are the level below the page's h1. */}
      <Heading level={props.heading ? 3 : 2}>{t(T.centres, lang)}</Heading>
      {bar.centres.length === 0 ? <p>{t(T.none, lang)}</p> : <ul>{bar.centres.map((c) => <li><a href={`/providers/${c.id}`}>{c.name}</a><PartyPlace place={c} /></li>)}</ul>}
      <Heading level={props.heading ? 3 : 2}>{t(T.providers, lang)}</Heading>
      {bar.providers.length === 0 ? (
        <p>{t(T.none, lang)}</p>
      ) : (
        // Focusable, so a keyboard can scroll a table wider than a phone (axe: scrollable-region-focusable).
        <div class="table-wrap" tabindex={0} role="region" aria-label={t(T.providers, lang)}><table>
          <thead>
            <tr><th>{t(T.organiser, lang)}</th><th>{t(T.decision, lang)}</th><th>{t(T.criteria, lang)}</th><th>{t(T.scope, lang)}</th><th>{t(T.validFrom, lang)}</th><th>{t(T.validUntil, lang)}</th><th>{t(T.state, lang)}</th></tr>
          </thead>
          <tbody>
            {bar.providers.flatMap((p) =>
              p.accreditations.map((a) => (
                <tr data-party={p.id} data-state={a.state}>
                  <td><a href={`/providers/${p.id}`}>{p.name}</a><PartyPlace place={p} /></td>
                  <AccreditationTerms a={a} vocabulary={props.vocabulary} lang={lang} />
                  <td>{STATE_NAMES[a.state]![lang]}{a.withdrawal ? ` — ${a.withdrawal.decisionDate}` : ""}</td>
                </tr>
              )),
            )}
          </tbody>
        </table></div>
      )}
    </section>
  );
}

/** 8.3: where a centre or provider is, when the registry knows it (city, then address). */
export function PartyPlace(props: { place: { city: string | null; address: string | null } }) {
  const where = [props.place.city, props.place.address].filter((x): x is string => x !== null).join(", ");
  return where ? <><br /><small data-place>{where}</small></> : null;
}

const APPROVED_IN: Record<ContentLang, keyof typeof T> = { kk: "programmeInKk", ru: "programmeInRu", en: "programmeInEn" };

/**
 * 10.3: the programmes (10.1) with the indicative content the bar's presidium approved, in force, and its decision;
 * in the page's language when approved in it, else in the language it was approved in, said so.
 */
function ProgrammesSection(props: { lang: Lang; programmes: BarProgrammes; vocabulary: Vocabulary }) {
  const { lang } = props;
  return (
    <section class="programmes" id="programmes">
      <h2>{t(T.programmes, lang)}</h2>
      {props.programmes.map(({ programme, current }) => {
        const shown = current ? contentFor(current.content, lang) : undefined;
        return (
          <article data-programme={programme}>
            <h3>{props.vocabulary.programmes.find((v) => v.code === programme)?.names[lang] ?? programme}</h3>
            {current && shown ? (
              <>
                <p lang={shown.lang} data-approval={current.id}>
                  {shown.text.split("\n").flatMap((line, i) => (i === 0 ? [line] : [<br />, line]))}
                </p>
                <p><small>
                  {fillTemplate(t(T.programmeApproved, lang), { number: current.decisionNumber, date: current.decisionDate })}
                  {shown.lang !== lang && ` ${t(T[APPROVED_IN[shown.lang]], lang)}`}
                </small></p>
              </>
            ) : (
              <p>{t(T.programmeNotApproved, lang)}</p>
            )}
          </article>
        );
      })}
    </section>
  );
}
