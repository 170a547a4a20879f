/**
 * A console's search as LIKE patterns every dialect reads alike. SQLite's LIKE folds ASCII case only and
 * PostgreSQL's folds none, so "құрманова" must still find "Құрманова" with one statement that uses no dialect's
 * own operator (ILIKE, COLLATE NOCASE): the text as typed, in lower and upper case, capitalised word by word (a name)
 * and as a sentence (a topic). Mixed case inside a word ("ҚЫЛМЫСТЫҚ процесс" for "қылмыстық процесс") is not found.
 * `%`, `_` and `\` typed by the user are matched literally (the statements say `escape '\'`).
 */
export function anyCasePatterns(search: string | undefined): string[] {
  const text = (search ?? "").trim();
  if (text === "") return [];
  const capitalised = text.toLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_, sep: string, letter: string) => sep + letter.toUpperCase());
  const sentence = text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
  return [...new Set([text, text.toLowerCase(), text.toUpperCase(), capitalised, sentence])].map((v) => `%${v.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
}
