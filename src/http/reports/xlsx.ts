/**
 * The spreadsheet of a tabled report (exceljs): a title block saying whose report, what, which year, final or
 * provisional and when it was generated, then a table whose header row is frozen, filterable and printed atop every
 * page, on A4. Numbers are real numeric cells with a number format (src/http/reports/numbers.ts), never text, so the
 * reader's spreadsheet sums and sorts them and shows them with its own locale's separators.
 *
 * exceljs draws no charts: the analysis' charts travel as their figures on a sheet of their own (analysis-xlsx.ts).
 * It is loaded on the first spreadsheet asked for, not at start: a report is rare beside a verification. On Workers
 * the bundler takes its browser build (package.json `browser`), which needs no Node module.
 */
import type { Workbook, Worksheet } from "exceljs";
import { fillTemplate } from "../../lib/csv.js";
import { REPORTS_T, t } from "../i18n.js";
import { closingMark, finalMark, frameTitle, generatedLine, type ReportFrame } from "./frame.js";
import { XLSX_NUMBER_FORMATS } from "./numbers.js";

export type SheetValue = string | number | Date | null;

export interface SheetColumn {
  header: string;
  /** In characters. */
  width: number;
  /** A numeric column's format; `date` for a calendar date; none for text. */
  format?: keyof typeof XLSX_NUMBER_FORMATS | "date";
}

type ExcelJs = typeof import("exceljs");
let exceljs: Promise<ExcelJs> | undefined;
// Node imports the CommonJS package as one `default` export (the bundled browser build has its names as well); its
// types know only the names.
const loadExcelJs = () => (exceljs ??= import("exceljs").then((m) => (m as { default?: ExcelJs }).default ?? m));

export async function newWorkbook(frame: ReportFrame): Promise<Workbook> {
  const ExcelJS = await loadExcelJs();
  const wb = new ExcelJS.Workbook();
  wb.creator = "Senim";
  wb.lastModifiedBy = "Senim";
  wb.title = frameTitle(frame);
  wb.company = frame.owner;
  wb.created = new Date(frame.generatedAt);
  wb.modified = new Date(frame.generatedAt);
  return wb;
}

/** Characters a sheet's name may not hold, and its length limit (Excel's). */
const sheetName = (name: string) => name.replace(/[\\/?*[\]:]/g, " ").slice(0, 31).trim() || "Sheet";
/** In a print header or footer `&` starts a code: a name's own `&` is doubled. */
const printText = (text: string) => text.replace(/&/g, "&&");

/** A sheet printed on A4, as wide as one page, with the report's head and page n of N on every printed page. */
export function addSheet(wb: Workbook, name: string, frame: ReportFrame, o: { landscape?: boolean } = {}): Worksheet {
  const ws = wb.addWorksheet(sheetName(name), {
    pageSetup: {
      paperSize: 9, // A4 (exceljs' PaperSize.A4, a const enum isolated modules cannot read)
      orientation: o.landscape ? "landscape" : "portrait",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
    },
  });
  const page = fillTemplate(t(REPORTS_T.page, frame.lang), { page: "&P", pages: "&N" });
  const closing = closingMark(frame);
  ws.headerFooter.oddHeader = `&L${printText(frame.owner)}${closing ? `&C${printText(closing)}` : ""}&R${printText(frameTitle(frame))}`;
  ws.headerFooter.oddFooter = `&L${printText(generatedLine(frame))}&R${page}`;
  return ws;
}

/**
 * The title block (title, owner, final or provisional, closed or live, generated at, then `lines`); returns the next
 * free row.
 * `compact`: two lines only, above a table whose frozen header should leave the screen to the rows.
 */
export function writeTitleBlock(ws: Worksheet, frame: ReportFrame, lines: string[] = [], o: { compact?: boolean } = {}): number {
  const marks = [finalMark(frame), closingMark(frame)].filter((m): m is string => m !== undefined);
  const rows = o.compact
    ? [[frameTitle(frame), frame.owner, ...marks].join(" · "), generatedLine(frame), ...lines]
    : [frameTitle(frame), frame.owner, ...marks, generatedLine(frame), ...lines];
  rows.forEach((text, i) => {
    const cell = ws.getCell(i + 1, 1);
    cell.value = text;
    if (i === 0) cell.font = { bold: true, size: o.compact ? 12 : 14 };
  });
  return rows.length + 2;
}

/** Label–value rows from `row` on (values numeric where they are numbers); returns the next free row. */
export function writeFields(ws: Worksheet, row: number, fields: [string, SheetValue, SheetColumn["format"]?][]): number {
  for (const [label, value, format] of fields) {
    ws.getCell(row, 1).value = label;
    ws.getCell(row, 1).font = { bold: true };
    const cell = ws.getCell(row, 2);
    cell.value = value;
    if (format) cell.numFmt = format === "date" ? "yyyy-mm-dd" : XLSX_NUMBER_FORMATS[format];
    else cell.alignment = { wrapText: true, vertical: "top" };
    row++;
  }
  return row + 1;
}

/**
 * The table from `row` on: its header row (bold, on a band), then a row per entry and the `footRows` (totals) in
 * bold. The sheet's main table (`main`) has filters and its header row printed atop every page, and frozen below
 * the title unless `freeze` is false (a header far down would freeze half the screen); a sheet has one such.
 * Returns the next free row.
 */
export function writeTable(ws: Worksheet, row: number, columns: SheetColumn[], rows: SheetValue[][], o: { footRows?: SheetValue[][]; main?: boolean; freeze?: boolean } = {}): number {
  const header = ws.getRow(row);
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.alignment = { wrapText: true, vertical: "top" };
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE3E8EF" } };
    cell.border = { bottom: { style: "thin" } };
    const column = ws.getColumn(i + 1);
    column.width = Math.max(column.width ?? 0, c.width);
  });
  const headerRow = row;
  const put = (values: SheetValue[], bold: boolean) => {
    row++;
    const r = ws.getRow(row);
    columns.forEach((c, i) => {
      const cell = r.getCell(i + 1);
      cell.value = values[i] ?? null;
      if (c.format) cell.numFmt = c.format === "date" ? "yyyy-mm-dd" : XLSX_NUMBER_FORMATS[c.format];
      if (bold) cell.font = { bold: true };
      if (!c.format) cell.alignment = { wrapText: true, vertical: "top" };
    });
  };
  for (const values of rows) put(values, false);
  if (o.main && rows.length > 0) ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row, column: columns.length } };
  for (const values of o.footRows ?? []) put(values, true);
  if (o.main) {
    if (o.freeze !== false) ws.views = [{ state: "frozen", xSplit: 0, ySplit: headerRow }];
    ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
  }
  return row + 2;
}

/** A calendar date `YYYY-MM-DD` as a date cell's value (midnight UTC: the serial Excel shows as that very date). */
export const dateValue = (date: string): Date => new Date(`${date}T00:00:00Z`);

export async function workbookBytes(wb: Workbook): Promise<Uint8Array> {
  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
