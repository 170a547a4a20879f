/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** /verify: scan a QR code with the camera, paste a link or a JWT, or upload a .jwt/.json file. */
import type { VerificationResult } from "../../credentials/verify.js";
import { NUMBER_T, OFFLINE_T, T, t, UI, VERDICT_T, type Lang } from "../i18n.js";
import { kzDate } from "../../domain/time.js";
import { fillTemplate } from "../../lib/csv.js";
import { ChecksList } from "./certificate.js";
import { Layout } from "./layout.js";
import { formatNumber } from "../reports/numbers.js";
import { VerdictBanner, type Revocation } from "./verdict.js";

export function VerifyPage(props: { lang: Lang; error?: string; text?: string }) {
  const { lang } = props;
  return (
    <Layout lang={lang} title={t(UI.verifyTitle, lang)} path="/verify" scripts={["/js/scan.js", "/js/offline-verify.js"]}>
      <h1 id="verify-title">{t(UI.verifyTitle, lang)}</h1>
      <p id="verify-intro">{t(UI.verifyIntro, lang)}</p>
      {/* Issue 17: where offline-verify.js shows its verdict without a connection, with the words it needs. */}
      <div id="offline-verify" hidden {...offlineTexts(lang)}></div>
      {props.error && <p class="notice error" role="alert">{props.error}</p>}
      {/* The camera needs JavaScript; scan.js reveals this section and hides the notice. */}
      <section class="scan" id="scan" aria-labelledby="scan-title"
        data-t-looking={t(UI.scanLooking, lang)} data-t-no-camera={t(UI.scanNoCamera, lang)} data-t-found={t(UI.scanFound, lang)}>
        <h2 id="scan-title">{t(UI.scanTitle, lang)}</h2>
        <p class="needs-js">{t(UI.scanNeedsJs, lang)}</p>
        <div class="scan-ui" hidden>
          <button type="button" id="scan-start">{t(UI.scanStart, lang)}</button>
          <p id="scan-status" role="status" aria-live="polite"></p>
          <video id="scan-video" muted playsinline hidden></video>
        </div>
      </section>
      <form class="stack" method="post" action="/verify" enctype="multipart/form-data" id="verify-form">
        <label>
          {t(UI.pasteLabel, lang)}
          <textarea name="text" id="verify-text" rows={4} spellcheck={false} autocomplete="off">{props.text ?? ""}</textarea>
        </label>
        <label>
          {t(UI.fileLabel, lang)}
          <input type="file" name="file" accept=".jwt,.json,application/json,application/vc+jwt,text/plain" />
        </label>
        <p><button type="submit">{t(UI.verifyButton, lang)}</button></p>
      </form>
    </Layout>
  );
}

/**
 * Issue 17: every text public/js/offline-verify.js may show, in the page's language, as data-t-* attributes (the
 * script has no catalogue of its own): the banner's words as the server's banner says them, and the offline ones.
 */
function offlineTexts(lang: Lang): Record<string, string> {
  const texts: Record<string, string> = {
    genuine: t(T.genuine, lang),
    notGenuine: t(T.notGenuine, lang),
    participant: t(T.participant, lang),
    organiser: t(T.organiser, lang),
    topic: t(T.topic, lang),
    hours: t(T.hours, lang),
    revoked: t(VERDICT_T.revoked, lang),
    revokedNoDate: t(VERDICT_T.revokedNoDate, lang),
    suspended: t(VERDICT_T.suspended, lang),
    suspendedWhat: t(VERDICT_T.suspendedWhat, lang),
    expired: t(VERDICT_T.expired, lang),
    expiredOn: t(VERDICT_T.expiredOn, lang),
    expiredNoDate: t(VERDICT_T.expiredNoDate, lang),
    firstFailed: t(VERDICT_T.firstFailed, lang),
    unchecked: t(VERDICT_T.unchecked, lang),
    notChecked: t(VERDICT_T.notChecked, lang),
    uncheckedWhat: t(VERDICT_T.uncheckedWhat, lang),
  };
  for (const [key, text] of Object.entries(OFFLINE_T)) texts[key] = text[lang];
  return Object.fromEntries(Object.entries(texts).map(([key, text]) => [`data-t-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, text]));
}

/**
 * Issue 16: a certificate number that names more than one certificate (two ids share a prefix: about once in 30
 * years). Each is listed by its link and date of issue only; whose it is, the page it leads to says.
 */
export function VerifyNumberChoicePage(props: { lang: Lang; number: string; certificates: { id: string; url: string; issuedAt: string }[] }) {
  const { lang } = props;
  return (
    <Layout lang={lang} title={t(UI.verifyTitle, lang)} path="/verify">
      <h1>{t(UI.verifyTitle, lang)}</h1>
      <p role="status">{fillTemplate(t(NUMBER_T.several, lang), { number: props.number })}</p>
      <ul class="number-matches">
        {props.certificates.map((c) => (
          <li>
            <a href={`/c/${c.id}?lang=${lang}`} data-match={c.id}>{c.url}</a> — {fillTemplate(t(NUMBER_T.issuedOn, lang), { date: kzDate(c.issuedAt) })}
          </li>
        ))}
      </ul>
      <p><a href={`/verify?lang=${lang}`}>{t(UI.verifyAgain, lang)}</a></p>
    </Layout>
  );
}

/** The outcome of a pasted or uploaded credential that is not one of this service's certificate URLs. */
export function VerifyResultPage(props: { lang: Lang; result: VerificationResult; revocation?: Revocation | null }) {
  const { lang, result } = props;
  const s = result.summary;
  return (
    <Layout lang={lang} title={t(UI.verifyTitle, lang)} path="/verify">
      {/* The same banner as the certificate page (issue 16): a revocation of a certificate issued here says when and why. */}
      <VerdictBanner lang={lang} result={result} revocation={props.revocation ?? null} />
      {s && (
        <dl>
          <dt>{t(T.organiser, lang)}</dt><dd data-field="organiser">{s.issuer.name}</dd>
          <dt>{t(T.topic, lang)}</dt><dd data-field="topic">{s.topic}</dd>
          <dt>{t(T.hours, lang)}</dt><dd>{formatNumber(s.academicHours, lang, 1)}</dd>
          <dt>{t(T.participant, lang)}</dt><dd data-field="participant">{s.participant.name}</dd>
        </dl>
      )}
      <section class="checks">
        <h2>{t(T.checks, lang)}</h2>
        <ChecksList checks={result.checks} lang={lang} />
      </section>
      <p><a href={`/verify?lang=${lang}`}>{t(UI.verifyAgain, lang)}</a></p>
    </Layout>
  );
}
