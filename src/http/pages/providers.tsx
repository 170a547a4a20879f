/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** 8.3: a search for providers across every bar, and each provider's public page with its accreditation history. */
import type { Party, Vocabulary } from "../../registry/model.js";
import type { PublicRegistry, publicAccreditation } from "../../registry/service.js";
import { kzDate } from "../../domain/time.js";
import { isWebsiteUrl } from "../../domain/website.js";
import { CAL_T, CRITERION_NAMES, STATE_NAMES, T, t, UI, WITHDRAWAL_GROUND_NAMES, type Lang } from "../i18n.js";
import { Layout } from "./layout.js";

type PublicAccreditation = ReturnType<typeof publicAccreditation>;

const KIND = { centre: UI.kindCentre, organisation: UI.kindOrganisation, trainer: UI.kindTrainer } as const;

export function SearchForm(props: { lang: Lang; q?: string }) {
  return (
    <form class="inline search" method="get" action="/search" role="search">
      <label>
        {t(UI.searchLabel, props.lang)}
        <br />
        <input type="search" name="q" value={props.q ?? ""} maxlength={100} autocomplete="off" />
      </label>
      <button type="submit">{t(UI.search, props.lang)}</button>
    </form>
  );
}

/** Case- and letter-form-insensitive: Kazakh and Russian names are typed with or without capitals. */
export function matchesQuery(name: string, q: string): boolean {
  const norm = (s: string) => s.normalize("NFC").toLocaleLowerCase("kk").replace(/ё/g, "е").replace(/\s+/g, " ").trim();
  return norm(name).includes(norm(q));
}

export function SearchPage(props: { lang: Lang; q: string; registry: PublicRegistry }) {
  const { lang, q } = props;
  const hits = new Map<string, { id: string; name: string; kind: keyof typeof KIND; bars: string[] }>();
  if (q.trim()) {
    for (const bar of props.registry.bars) {
      for (const p of [...bar.providers, ...bar.centres.map((c) => ({ ...c, kind: "centre" as const }))]) {
        if (!matchesQuery(p.name, q)) continue;
        const hit = hits.get(p.id) ?? { id: p.id, name: p.name, kind: p.kind, bars: [] };
        if (!hit.bars.includes(bar.names[lang])) hit.bars.push(bar.names[lang]);
        hits.set(p.id, hit);
      }
    }
  }
  return (
    <Layout lang={lang} title={`${t(UI.searchResults, lang)} — ${t(T.registry, lang)}`} path={`/search?q=${encodeURIComponent(q)}`}>
      <h1>{t(UI.searchResults, lang)}</h1>
      <SearchForm lang={lang} q={q} />
      {hits.size === 0 ? (
        <p>{t(UI.noResults, lang)}</p>
      ) : (
        <ul class="results">
          {[...hits.values()].map((h) => (
            <li data-party={h.id}>
              <a href={`/providers/${h.id}`}>{h.name}</a> — {t(KIND[h.kind], lang)}; {h.bars.join(", ")}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function ProviderPage(props: { lang: Lang; party: Party; barNames: Map<string, string>; accreditations: PublicAccreditation[]; vocabulary: Vocabulary }) {
  const { lang, party } = props;
  return (
    <Layout lang={lang} title={`${party.name} — ${t(T.registry, lang)}`} path={`/providers/${party.id}`}>
      <h1>{party.name}</h1>
      <dl>
        <dt>{t(UI.kind, lang)}</dt><dd>{t(KIND[party.kind], lang)}</dd>
        <dt>{t(UI.registeredBy, lang)}</dt><dd>{props.barNames.get(party.barId) ?? party.barId}</dd>
        {/* Only a web page becomes a link: a website stored before the rule (javascript:, data: …) is not shown. */}
        {party.city !== null && (<><dt>{t(UI.city, lang)}</dt><dd>{party.city}</dd></>)}
        {party.address !== null && (<><dt>{t(UI.address, lang)}</dt><dd>{party.address}</dd></>)}
        {isWebsiteUrl(party.website) && (<><dt>{t(UI.website, lang)}</dt><dd><a href={party.website} rel="nofollow noopener noreferrer">{party.website}</a></dd></>)}
        <dt>DID</dt><dd><a href={`/parties/${party.id}/did.json`}><code>{party.did}</code></a></dd>
      </dl>
      <p><a href={`/providers/${party.id}/events.ics`}>{t(CAL_T.feed, lang)}</a></p>
      <h2>{t(UI.history, lang)}</h2>
      {props.accreditations.length === 0 ? (
        <p>{t(T.none, lang)}</p>
      ) : (
        // Focusable, so a keyboard can scroll the history on a phone (axe: scrollable-region-focusable).
        <div class="table-wrap" tabindex={0} role="region" aria-label={t(UI.history, lang)}>
          <table>
            <thead>
              <tr><th>{t(T.bar, lang)}</th><th>{t(T.decision, lang)}</th><th>{t(T.criteria, lang)}</th><th>{t(T.scope, lang)}</th><th>{t(T.validFrom, lang)}</th><th>{t(T.validUntil, lang)}</th><th>{t(T.state, lang)}</th></tr>
            </thead>
            <tbody>
              {props.accreditations.map((a) => (
                <tr data-accreditation={a.id} data-state={a.state}>
                  <td>{props.barNames.get(a.barId) ?? a.barId}</td>
                  <AccreditationTerms a={a} vocabulary={props.vocabulary} lang={lang} />
                  <td>
                    {STATE_NAMES[a.state]![lang]}
                    {a.violationCount > 0 && <><br /><small>{t(UI.violations, lang)}: {a.violationCount}</small></>}
                    {a.withdrawal && (
                      <>
                        <br />
                        <small>
                          {t(UI.withdrawal, lang)}: № {a.withdrawal.decisionNumber}, {a.withdrawal.decisionDate} —{" "}
                          {t(WITHDRAWAL_GROUND_NAMES[a.withdrawal.ground], lang)}
                        </small>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export function ProviderNotFound(props: { lang: Lang; id: string }) {
  return (
    <Layout lang={props.lang} title={t(UI.providerNotFound, props.lang)} path={`/providers/${props.id}`}>
      <h1>{t(UI.providerNotFound, props.lang)}</h1>
    </Layout>
  );
}

/** An accreditation's decision, criteria, scope and validity: the same cells on the registry and the provider's page. */
export function AccreditationTerms(props: { a: PublicAccreditation; vocabulary: Vocabulary; lang: Lang }) {
  const { a, lang } = props;
  const label = (list: Vocabulary[keyof Vocabulary], code: string) => list.find((e) => e.code === code)?.names[lang] ?? code;
  return (
    <>
      <td>№ {a.decision.number}, {a.decision.date}</td>
      <td>{a.criteria.map((c) => CRITERION_NAMES[c.criterion]?.[lang] ?? c.criterion).join("; ")}</td>
      <td>
        {a.programmes ? a.programmes.map((c) => label(props.vocabulary.programmes, c)).join(", ") : t(T.allProgrammes, lang)}
        {" / "}
        {a.forms ? a.forms.map((c) => label(props.vocabulary.forms, c)).join(", ") : t(T.allForms, lang)}
      </td>
      <td>{kzDate(a.validFrom)}</td>
      <td>{a.validUntil ? kzDate(a.validUntil) : "—"}</td>
    </>
  );
}
