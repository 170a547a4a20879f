/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * Where a browser lands when there is nothing to show: an unknown address, an unknown certificate, an error of ours.
 * Never a dead end (issue 16): each says what happened in the page's language and where to go next.
 */
import { T, t, type Lang } from "../i18n.js";
import { Layout } from "./layout.js";
import { fillTemplate } from "../../lib/csv.js";

function WhereNext(props: { lang: Lang }) {
  const { lang } = props;
  return (
    <ul>
      <li><a href={`/verify?lang=${lang}`} data-next="verify">{t(T.notFoundVerify, lang)}</a></li>
      <li><a href={`/registry?lang=${lang}`} data-next="registry">{t(T.notFoundRegistry, lang)}</a></li>
      <li><a href={`/?lang=${lang}`} data-next="home">{t(T.home, lang)}</a></li>
    </ul>
  );
}

/** `/c/{id}` of no certificate: the number may be mistyped, so the way to /verify comes first. */
export function CertificateNotFound(props: { lang: Lang; id: string }) {
  return (
    <Layout lang={props.lang} title={t(T.notFound, props.lang)} path={`/c/${props.id}`}>
      <section class="verdict bad"><h1>✘ {t(T.notFound, props.lang)}</h1></section>
      <p>{fillTemplate(t(T.notFoundHelp, props.lang), { id: props.id })}</p>
      <WhereNext lang={props.lang} />
    </Layout>
  );
}

/** A page that says what happened and where to go next, nothing more. */
function Signpost(props: { lang: Lang; path: string; title: string; help: string }) {
  return (
    <Layout lang={props.lang} title={props.title} path={props.path}>
      <h1>{props.title}</h1>
      <p>{props.help}</p>
      <WhereNext lang={props.lang} />
    </Layout>
  );
}

/** A browser's request for an address the service does not have (an API client gets the problem document). */
export const PageNotFound = (props: { lang: Lang; path: string }) => <Signpost {...props} title={t(T.pageNotFound, props.lang)} help={t(T.pageNotFoundHelp, props.lang)} />;

/** A browser's request that failed on our side: no details (they go to the log), only what to do. */
export const ServerErrorPage = (props: { lang: Lang; path: string }) => <Signpost {...props} title={t(T.serverError, props.lang)} help={t(T.serverErrorHelp, props.lang)} />;
