/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import { LANGS, T, t, UI, type Lang } from "../i18n.js";

/**
 * Every page's frame: the language switch (remembered by a cookie, see pickLang), the main navigation and a skip link.
 * Scripts are Senim's own files under /js, loaded deferred; pages work without them except the camera. `head` adds a
 * page's own tags (the certificate page's sharing previews).
 */
export function Layout(props: { lang: Lang; title: string; path: string; children: Child; scripts?: string[]; nav?: Child; head?: Child }) {
  const { lang } = props;
  const sep = props.path.includes("?") ? "&" : "?";
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <link rel="stylesheet" href="/styles.css" />
        {/* Every page's icon (public/favicon.svg); /favicon.ico redirects to it for browsers that ask by that name. */}
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {props.head}
        {(props.scripts ?? []).map((src) => <script src={src} defer></script>)}
      </head>
      <body>
        <a class="skip" href="#main">{t(UI.skip, lang)}</a>
        <header class="top">
          <a class="brand" href={`/registry?lang=${lang}`}>{t(T.siteName, lang)}</a>
          <nav class="main-nav" aria-label={t(UI.mainNav, lang)}>
            <a href="/registry">{t(UI.navRegistry, lang)}</a>
            <a href="/events">{t(UI.navEvents, lang)}</a>
            <a href="/verify">{t(UI.navVerify, lang)}</a>
            <a href="/console">{t(UI.navConsole, lang)}</a>
            {props.nav}
          </nav>
          <nav class="langs" aria-label="Тіл / Язык / Language">
            {LANGS.map((l) => (
              <a href={`${props.path}${sep}lang=${l}`} aria-current={l === lang ? "true" : undefined} hreflang={l} lang={l} data-lang={l}>
                {l === "kk" ? "Қазақша" : l === "ru" ? "Русский" : "English"}
              </a>
            ))}
          </nav>
        </header>
        <main id="main" tabindex={-1}>{props.children}</main>
      </body>
    </html>
  );
}
