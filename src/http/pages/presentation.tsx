/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** What the bar shows at its desk or sends by e-mail: the presentation request's QR code and link (2.2.4, 12.2). */
import { kzDateTime } from "../../domain/time.js";
import { t, WALLET_T, type Lang } from "../i18n.js";
import { Layout } from "./layout.js";

export function PresentationRequestPage(props: {
  lang: Lang;
  id: string;
  barName: string;
  year: number;
  link: string;
  expiresAt: string;
  state: "open" | "answered" | "expired";
}) {
  const { lang } = props;
  return (
    <Layout lang={lang} title={`${t(WALLET_T.presentTitle, lang)} — ${props.barName}`} path={`/presentations/${props.id}`}>
      <section class="presentation">
        <h1>{t(WALLET_T.presentTitle, lang)}</h1>
        <p data-field="bar">{props.barName}</p>
        <p>{t(WALLET_T.presentYear, lang)}: <strong data-field="year">{props.year}</strong></p>
        {props.state === "open" && (
          <figure class="qr">
            <img src={`/oid4vp/requests/${props.id}/qr.svg`} alt={t(WALLET_T.openInWallet, lang)} width="240" height="240" />
            <figcaption>
              {t(WALLET_T.presentScan, lang)}<br />
              <a href={props.link} data-field="link">{t(WALLET_T.openInWallet, lang)}</a><br />
              <small>{t(WALLET_T.requestExpires, lang)}: {kzDateTime(props.expiresAt)}</small>
            </figcaption>
          </figure>
        )}
        {props.state === "answered" && <p class="verdict ok" role="status">{t(WALLET_T.received, lang)}</p>}
        {props.state === "expired" && <p class="verdict bad" role="status">{t(WALLET_T.expired, lang)}</p>}
      </section>
    </Layout>
  );
}
