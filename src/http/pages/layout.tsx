import type { Child } from "hono/jsx";
import { LANGS, T, t, type Lang } from "../i18n.js";

export function Layout(props: { lang: Lang; title: string; path: string; children: Child }) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <link rel="stylesheet" href="/styles.css" />
      </head>
      <body>
        <header class="top">
          <a class="brand" href={`/registry?lang=${props.lang}`}>{t(T.siteName, props.lang)}</a>
          <nav class="langs" aria-label="Language / Тіл / Язык">
            {LANGS.map((l) => (
              <a href={`${props.path}?lang=${l}`} aria-current={l === props.lang ? "true" : undefined} hreflang={l}>
                {l === "kk" ? "Қазақша" : l === "ru" ? "Русский" : "English"}
              </a>
            ))}
          </nav>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}
