/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** The page a QR code opens: what the certificate says, and every check of the signed credential with its outcome. */
import type { VerificationResult } from "../../credentials/verify.js";
import type { Bar, Vocabulary } from "../../registry/model.js";
import { CHECK_NAMES, checkDetail, NUMBER_T, outcomeName, T, t, UI, type Lang } from "../i18n.js";
import type { Check } from "../../credentials/verify.js";
import { Layout } from "./layout.js";
import { formatNumber } from "../reports/numbers.js";
import { VerdictBanner, verdictOf } from "./verdict.js";
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
  /** When the certificate was revoked (the stored row's revokedAt), for the banner; `null` when it stands. */
  revokedAt: string | null;
  /** Issue 16: its human number (`KZ-26-7F3K-Q9MR`), as printed on the paper certificate. */
  number: string;
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
  // Only a certificate that verifies as one is called genuine where it is shared, and offered to LinkedIn: a revoked
  // or failed one shared in a chat must not preview as genuine (issue 16).
  const genuine = verdictOf(result).state === "genuine" && result.profile === "certificate";
  const title = `${t(T.certificate, lang)} — ${s?.topic ?? props.id}`;
  return (
    <Layout lang={lang} title={title} path={`/c/${props.id}`} scripts={["/js/certificate.js", "/js/copy.js"]} head={<SharingMeta {...props} genuine={genuine} title={title} />}>
      {/* The banner is what a clerk reads (issue 16): its state, whose, how many hours, and for a revocation when and why. */}
      <VerdictBanner lang={lang} result={result} revocation={props.revokedAt ? { at: props.revokedAt, reason: props.revocationReason } : null} />
      {/* The number on the paper, right under the banner: what a clerk compares and types at /verify (issue 16). */}
      <p class="certificate-number">
        {t(NUMBER_T.number, lang)}: <strong data-certificate-number>{props.number}</strong>
      </p>
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
            <dt>{t(T.hours, lang)}</dt><dd data-field="hours">{formatNumber(s.academicHours, lang, 1)} <small>({t(T.hoursNote, lang)})</small></dd>
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
      <ShareSection {...props} genuine={genuine} />
      <section class="checks">
        <h2>{t(T.checks, lang)}</h2>
        <ChecksList checks={result.checks} lang={lang} />
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

type SharingProps = Parameters<typeof CertificatePage>[0] & { genuine: boolean };

/**
 * OpenGraph and Twitter card tags, so a shared link previews as whose certificate, on what, for how many hours. The
 * image is the QR code's PNG (absolute, as OpenGraph requires); the word "genuine" only for a genuine certificate.
 */
function SharingMeta(props: SharingProps & { title: string }) {
  const { lang } = props;
  const s = props.result.summary;
  const hours = s ? formatNumber(s.academicHours, lang, 1) : "";
  const ogTitle = s ? fillTemplate(t(NUMBER_T.ogTitle, lang), { participant: s.participant.name, topic: s.topic, hours }) : props.title;
  const description = props.genuine && s ? fillTemplate(t(NUMBER_T.ogGenuine, lang), { hours, organiser: s.issuer.name }) : t(NUMBER_T.ogOther, lang);
  // The sharing image (src/http/share-image.ts) in the page's language: a crawler sends no Accept-Language of its reader.
  const image = `${props.url}.png?lang=${lang}`;
  return (
    <>
      <meta name="description" content={description} />
      <meta property="og:type" content="website" />
      <meta property="og:site_name" content={t(T.siteName, lang)} />
      <meta property="og:title" content={ogTitle} />
      <meta property="og:description" content={description} />
      <meta property="og:url" content={props.url} />
      <meta property="og:image" content={image} />
      <meta property="og:image:type" content="image/png" />
      <meta property="og:image:width" content="1200" />
      <meta property="og:image:height" content="630" />
      <meta property="og:image:alt" content={props.url} />
      <meta property="og:locale" content={OG_LOCALES[lang]} />
      <meta name="twitter:card" content="summary_large_image" />
      <meta name="twitter:title" content={ogTitle} />
      <meta name="twitter:description" content={description} />
      <meta name="twitter:image" content={image} />
    </>
  );
}

const OG_LOCALES: Record<Lang, string> = { kk: "kk_KZ", ru: "ru_KZ", en: "en_US" };

/**
 * LinkedIn's "Add to profile" link for a certification (its documented `startTask=CERTIFICATION_NAME` form): the
 * topic as its name, the organiser, the month of issue in Kazakhstan, the page, and the human number as its id.
 */
export function linkedInUrl(o: { name: string; organisation: string; issued: string; url: string; number: string }): string {
  const date = kzDate(o.issued);
  const query = new URLSearchParams({
    startTask: "CERTIFICATION_NAME",
    name: o.name,
    organizationName: o.organisation,
    issueYear: date.slice(0, 4),
    issueMonth: String(Number(date.slice(5, 7))),
    certUrl: o.url,
    certId: o.number,
  });
  return `https://www.linkedin.com/profile/add?${query.toString()}`;
}

/**
 * The link with a copy button (public/js/copy.js, the consoles' one; without JavaScript the button stays hidden and the
 * link is selected by hand) and, if genuine, add to LinkedIn.
 */
function ShareSection(props: SharingProps) {
  const { lang } = props;
  const s = props.result.summary;
  return (
    <section class="share" aria-labelledby="share-title">
      <h2 id="share-title">{t(NUMBER_T.share, lang)}</h2>
      <p><code id="share-url">{props.url}</code></p>
      <p>
        <button type="button" hidden id="copy-link" data-copy="share-url" data-copied={t(NUMBER_T.copied, lang)} data-copy-failed={t(NUMBER_T.copyFailed, lang)}>
          {t(NUMBER_T.copyLink, lang)}
        </button>
        {" "}<span class="copy-status" role="status" aria-live="polite"></span>
      </p>
      {props.genuine && s && (
        <p>
          <a href={linkedInUrl({ name: s.topic, organisation: s.issuer.name, issued: s.validFrom, url: props.url, number: props.number })} rel="noopener noreferrer" target="_blank" data-share="linkedin">
            {t(NUMBER_T.linkedin, lang)}
          </a>
        </p>
      )}
      {/* The wallet offer itself is the holder's one-time secret: the public page only leads to the signed-in record. */}
      {props.genuine && (
        <p><a href={`/me?lang=${lang}#certificate-${props.id}`} data-share="wallet">{t(NUMBER_T.walletFromRecord, lang)}</a></p>
      )}
    </section>
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
