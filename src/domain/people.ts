/**
 * Personal data as public pages may show it: never an e-mail, never a full licence number.
 */
export function maskLicence(licence: string): string {
  // Two digits help a person tell certificates apart; on a short number they would give away too much of it.
  const visible = licence.length > 4 ? 2 : 0;
  return "•".repeat(Math.max(licence.length - visible, 4)) + licence.slice(licence.length - visible);
}

/** Kazakh text in many sources uses the Latin schwa (U+0259/U+018F) for the Cyrillic (U+04D9/U+04D8); normalise it. */
export function normaliseKazakh(text: string): string {
  return text.replace(/\u0259/g, "\u04D9").replace(/\u018F/g, "\u04D8").normalize("NFC");
}

/** Licence numbers as bars write them vary in spaces and dashes; compare on digits and letters only. */
export function normaliseLicence(licence: string): string {
  return licence.replace(/[\s\-‐-―]/g, "").toUpperCase();
}
