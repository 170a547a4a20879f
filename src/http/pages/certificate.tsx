/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** The page a QR code opens: what the certificate says, and every check of the signed credential with its outcome. */
import type { VerificationResult } from "../../credentials/verify.js";
import type { Bar, Vocabulary } from "../../registry/model.js";
import { CHECK_NAMES, checkDetail, outcomeName, T, t, UI, type Lang } from "../i18n.js";
import type { Check } from "../../credentials/verify.js";
import { Layout } from "./layout.js";
import { kzDate, kzDateTime } from "../../domain/time.js";
import { fillTemplate } from "../../lib/csv.js";

export function CertificatePage(props: {
  lang: Lang;
  id: string;
  url: string;
  result: VerificationResult;
  vocabulary: Vocabulary;
  bars: Bar[];
  revocationReason: string | null;
}) {
  const { lang, result } = props;
  const s = result.summary;
  const name = (list: Vocabulary[keyof Vocabulary], code: string) => list.find((e) => e.code === code)?.names[lang] ?? code;
  // Bars are named in the credential by their registry URL; show the name in the page's language.
  const barName = (url: string | null | undefined, fallback = "") => props.bars.find((b) => url?.endsWith(`/registry/${b.id}`))?.names[lang] ?? fallback;
  // Instants are stored in UTC; people read dates and times in Kazakhstan (UTC+05:00).
  const date = (iso: string) => kzDate(iso);
  const start = kzDateTime(s?.eventStart ?? "1970-01-01T00:00:00Z");
  const end = kzDateTime(s?.eventEnd ?? "1970-01-01T00:00:00Z");
  const period = start.slice(0, 10) === end.slice(0, 10) ? `${start} – ${end.slice(11)}` : `${start} – ${end}`;
  return (
    <Layout lang={lang} title={`${t(T.certificate, lang)} — ${s?.topic ?? props.id}`} path={`/c/${props.id}`} scripts={["/js/certificate.js"]}>
      <section class={result.verified ? "verdict ok" : "verdict bad"} role="status">
        <h1>{result.verified ? `✔ ${t(T.genuine, lang)}` : `✘ ${t(T.notGenuine, lang)}`}</h1>
      </section>
      {s && (
        <section class="certificate">
          <h2>{t(T.certificate, lang)}</h2>
          <dl>
            <dt>{t(T.organiser, lang)}</dt><dd data-field="organiser">{s.issuer.name}</dd>
            {s.coOrganiser && (<><dt>{t(T.coOrganiser, lang)}</dt><dd>{barName(s.coOrganiser.id, s.coOrganiser.name)}</dd></>)}
            <dt>{t(T.topic, lang)}</dt><dd data-field="topic">{s.topic}</dd>
            <dt>{t(T.programme, lang)}</dt><dd>{name(props.vocabulary.programmes, s.programme)}</dd>
            <dt>{t(T.form, lang)}</dt><dd>{name(props.vocabulary.forms, s.form)}</dd>
            <dt>{t(T.delivery, lang)}</dt><dd>{name(props.vocabulary.deliveryModes, s.deliveryMode)}</dd>
            <dt>{t(T.hours, lang)}</dt><dd data-field="hours">{s.academicHours.toFixed(1)} <small>({t(T.hoursNote, lang)})</small></dd>
            <dt>{t(T.dates, lang)}</dt><dd>{period}</dd>
            <dt>{t(T.place, lang)}</dt><dd>{s.venue}</dd>
            {s.trainers.length > 0 && (<><dt>{t(T.trainers, lang)}</dt><dd>{s.trainers.join(", ")}</dd></>)}
            <dt>{t(T.participant, lang)}</dt><dd data-field="participant">{s.participant.name}</dd>
            {s.participant.bar && barName(s.participant.bar) && (<><dt>{t(T.bar, lang)}</dt><dd data-field="bar">{barName(s.participant.bar)}</dd></>)}
            {s.participant.licenceHint && (<><dt>{t(T.licence, lang)}</dt><dd data-field="licence">{s.participant.licenceHint}</dd></>)}
            <dt>{t(T.role, lang)}</dt><dd>{t(s.participant.role === "teacher" ? T.roleTeacher : T.roleAttendee, lang)}</dd>
            <dt>{t(T.issued, lang)}</dt><dd>{date(s.validFrom)}</dd>
            {s.validUntil && (<><dt>{t(T.validUntil, lang)}</dt><dd>{date(s.validUntil)}</dd></>)}
          </dl>
        </section>
      )}
      <section class="checks">
        <h2>{t(T.checks, lang)}</h2>
        <ChecksList checks={result.checks} lang={lang} />
        {props.revocationReason && <p class="revoked">{t(T.revokedReason, lang)}: {props.revocationReason}</p>}
      </section>
      {/* The browser checks the signature itself with the issuer's published key (public/js/certificate.js). */}
      <section class="browser-check" id="browser-check" aria-live="polite"
        data-jwt={`/c/${props.id}/credential.jwt`} data-url={props.url}
        data-t-pending={t(UI.browserPending, lang)} data-t-passed={t(UI.browserPassed, lang)} data-t-failed={t(UI.browserFailed, lang)}
        data-t-unsupported={t(UI.browserUnsupported, lang)} data-t-unavailable={t(UI.browserUnavailable, lang)}
        data-o-passed={outcomeName("passed", lang)} data-o-failed={outcomeName("failed", lang)} data-o-not-checked={outcomeName("not-checked", lang)}>
        <h2>{t(UI.browserCheck, lang)}</h2>
        <p class="check not-checked" data-browser-outcome="not-checked">
          <span class="mark" aria-hidden="true">–</span> <strong>{CHECK_NAMES.signature![lang]}</strong>: <span class="outcome">{outcomeName("not-checked", lang)}</span>
          <br /><small class="why">{t(UI.browserNoScript, lang)}</small>
        </p>
        <p><small>{t(UI.browserWhy, lang)}</small></p>
      </section>
      <section class="downloads">
        <h2>{t(T.downloads, lang)}</h2>
        <p>
          <a href={`/c/${props.id}/credential.jwt`} download={`${props.id}.jwt`}>.jwt</a>{" · "}
          <a href={`/c/${props.id}/credential.json`} download={`${props.id}.json`}>.json</a>{" · "}
          <a href={`/c/${props.id}.pdf?lang=${lang}`}>{t(UI.pdf, lang)}</a>
        </p>
        <figure class="qr">
          <img src={`/c/${props.id}/qr.svg`} alt={props.url} width="180" height="180" />
          <figcaption>{t(T.scan, lang)}<br /><code>{props.url}</code></figcaption>
        </figure>
      </section>
      {/* No wallet offer and no survey link here: the page is public, and both are one-time secrets of the participant. */}
    </Layout>
  );
}

export function CertificateNotFound(props: { lang: Lang; id: string }) {
  return (
    <Layout lang={props.lang} title={t(T.notFound, props.lang)} path={`/c/${props.id}`}>
      <section class="verdict bad"><h1>✘ {t(T.notFound, props.lang)}</h1></section>
      {/* A dead end helps no one holding a paper certificate: say where to go next (issue 16). */}
      <p>{fillTemplate(t(T.notFoundHelp, props.lang), { id: props.id })}</p>
      <ul>
        <li><a href={`/verify?lang=${props.lang}`} data-next="verify">{t(T.notFoundVerify, props.lang)}</a></li>
        <li><a href={`/registry?lang=${props.lang}`} data-next="registry">{t(T.notFoundRegistry, props.lang)}</a></li>
      </ul>
    </Layout>
  );
}

const MARKS: Record<string, string> = { passed: "✔", failed: "✘", "not-checked": "–" };

/** Each check with a plain-language outcome: green passed, red failed (and why), grey could not check. */
export function ChecksList(props: { checks: Check[]; lang: Lang }) {
  const { lang } = props;
  return (
    <ul class="check-list">
      {props.checks.map((c) => (
        <li class={`check ${c.outcome}`} data-check={c.check} data-outcome={c.outcome}>
          <span class="mark" aria-hidden="true">{MARKS[c.outcome] ?? "–"}</span> <strong>{CHECK_NAMES[c.check]![lang]}</strong>: <span class="outcome">{outcomeName(c.outcome, lang)}</span>
          <br /><small class="why">{checkDetail(c, lang)}</small>
        </li>
      ))}
    </ul>
  );
}
