/**
 * What of a page a reader sees, and the English sentences left in it (issue 16: no English inside a Kazakh or
 * Russian page). A sentence is four or more Latin words in a row; names, ids, DIDs and URLs are single tokens
 * (almaty-city, did:web:…, /api/events/{id}/co-organisation), so they are not sentences.
 */

/** The page's main content as text, with the attributes people read or hear (placeholders, alt texts, labels). */
export function readableText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? html;
  const spoken = [...main.matchAll(/\s(?:placeholder|alt|aria-label|title)="([^"]*)"/g)].map((m) => m[1]);
  const text = main.replace(/<(script|style)[\s\S]*?<\/\1>/g, " ").replace(/<[^>]+>/g, " ");
  return [text, ...spoken].join(" \n ").replace(/&#39;|&quot;|&amp;/g, "'").replace(/[ \t]+/g, " ");
}

export function englishSentences(html: string, allowed: readonly string[] = []): string[] {
  // DIDs and URLs are one token each, however many dots and colons they hold.
  let text = readableText(html).replace(/\b(?:did:|https?:\/\/)[^\s"'<>]+/g, " ");
  for (const a of allowed) text = text.split(a).join(" ");
  return text.match(/\b[A-Za-z]{2,}(?:[ ,;:'()]+[A-Za-z]{2,}){3,}/g) ?? [];
}

/** A catalogue key or template slot that reached the page unfilled: `{hours}`, `ui.addToWallet`. */
export function untranslatedKeys(html: string): string[] {
  return readableText(html).match(/\{[a-zA-Z]+\}|\b[a-z]+\.[a-z]+[A-Z][a-zA-Z]+\b/g) ?? [];
}
