/**
 * Canonical JSON: object members sorted by key (UTF-16 code units, as RFC 8785 sorts them), no white space, numbers
 * and strings as `JSON.stringify` writes them (for the finite numbers and plain data used here, what RFC 8785 writes),
 * members whose value is `undefined` left out. The same data always gives the same text, so a digest of the text
 * identifies the data (a closed year's snapshot, src/compliance/closing.ts).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError("canonical JSON holds finite numbers only");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const keys = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
}
