/**
 * Numbers as a presidium reads them in its language: Kazakh and Russian group thousands with a narrow no-break space
 * (U+202F) and put a comma before the decimals (1 234,5); English groups with a comma and uses a point (1,234.5).
 * The printed reports (PDF) use this; spreadsheets keep real numbers and say only the number format (below), which
 * the reader's spreadsheet program shows with the separators of its own locale.
 */
import type { Lang } from "../i18n.js";

const SEPARATORS: Record<Lang, { group: string; decimal: string }> = {
  kk: { group: "\u202f", decimal: "," },
  ru: { group: "\u202f", decimal: "," },
  en: { group: ",", decimal: "." },
};

/** `value` rounded to `decimals` places, with its language's thousands and decimal separators; "—" for none. */
export function formatNumber(value: number | null | undefined, lang: Lang, decimals = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const { group, decimal } = SEPARATORS[lang];
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole, fraction] = fixed.split(".") as [string, string | undefined];
  let grouped = "";
  for (let i = 0; i < whole.length; i++) {
    if (i > 0 && (whole.length - i) % 3 === 0) grouped += group;
    grouped += whole[i];
  }
  // -0.04 rounds to "0.0": no minus sign on a zero.
  const negative = value < 0 && /[1-9]/.test(fixed);
  return `${negative ? "-" : ""}${grouped}${fraction === undefined ? "" : decimal + fraction}`;
}

/**
 * Spreadsheet number formats (Excel's codes, where `,` and `.` stand for the reader's own group and decimal signs):
 * whole counts, and academic hours with the one decimal they are kept to (10.6).
 */
export const XLSX_NUMBER_FORMATS = { count: "#,##0", hours: "#,##0.0", rating: "0.0" } as const;
