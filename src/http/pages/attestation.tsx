/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** The page an annual attestation's QR code opens (12.1, 12.2): what it says, and every check of the signed credential. */
import { formatNumber } from "../reports/numbers.js";
import type { VerificationResult } from "../../credentials/verify.js";
import { kzDate } from "../../domain/time.js";
import type { Bar } from "../../registry/model.js";
import { ATTESTATION_T as A, t, T, UI, type Lang } from "../i18n.js";
import { ChecksList } from "./certificate.js";
import { Layout } from "./layout.js";

export function AttestationPage(props: { lang: Lang; id: string; url: string; result: VerificationResult; bars: Bar[]; revocationReason: string | null }) {
  const { lang, result } = props;
  const a = result.attestation;
  const barName = a ? (props.bars.find((b) => b.id === a.bar.id)?.names[lang] ?? a.bar.name) : "";
  return (
    <Layout lang={lang} title={`${t(A.title, lang)} — ${a ? `${barName}, ${a.year}` : props.id}`} path={`/a/${props.id}`}>
      <section class={result.verified ? "verdict ok" : "verdict bad"} role="status">
        <h1>{result.verified ? `✔ ${t(A.genuine, lang)}` : `✘ ${t(A.notGenuine, lang)}`}</h1>
      </section>
      {a && (
        <section class="attestation">
          <h2>{t(A.title, lang)}</h2>
          <p>{t(A.statement, lang)}</p>
          <dl>
            <dt>{t(A.bar, lang)}</dt><dd data-field="bar">{barName}</dd>
            <dt>{t(A.member, lang)}</dt><dd data-field="participant">{a.participant.name}</dd>
            {a.participant.licenceHint && (<><dt>{t(A.licence, lang)}</dt><dd data-field="licence">{a.participant.licenceHint}</dd></>)}
            <dt>{t(A.year, lang)}</dt><dd data-field="year">{a.year}</dd>
            <dt>{t(A.required, lang)}</dt><dd data-field="required">{formatNumber(a.requiredHours, lang, 1)}</dd>
            <dt>{t(A.verified, lang)}</dt><dd data-field="verified">{formatNumber(a.verifiedHours, lang, 1)} <small>({t(T.hoursNote, lang)})</small></dd>
            <dt>{t(A.closedOn, lang)}</dt><dd>{a.closedOn}</dd>
            <dt>{t(A.digest, lang)}</dt><dd><code>{a.closingDigest}</code></dd>
            <dt>{t(A.issued, lang)}</dt><dd>{kzDate(a.validFrom)}</dd>
          </dl>
        </section>
      )}
      <section class="checks">
        <h2>{t(T.checks, lang)}</h2>
        <ChecksList checks={result.checks} lang={lang} />
        {props.revocationReason && <p class="revoked">{t(A.revokedReason, lang)}: {props.revocationReason}</p>}
      </section>
      <section class="downloads">
        <h2>{t(A.downloads, lang)}</h2>
        <p><a href={`/a/${props.id}.jwt`} download={`${props.id}.jwt`}>.jwt</a>{" · "}<a href={`/a/${props.id}.pdf?lang=${lang}`}>{t(UI.pdf, lang)}</a></p>
        <figure class="qr">
          <img src={`/a/${props.id}/qr.svg`} alt={props.url} width="180" height="180" />
          <figcaption>{t(A.scan, lang)}<br /><code>{props.url}</code></figcaption>
        </figure>
      </section>
    </Layout>
  );
}

export function AttestationNotFound(props: { lang: Lang; id: string }) {
  return (
    <Layout lang={props.lang} title={t(A.notFound, props.lang)} path={`/a/${props.id}`}>
      <section class="verdict bad"><h1>✘ {t(A.notFound, props.lang)}</h1></section>
    </Layout>
  );
}
