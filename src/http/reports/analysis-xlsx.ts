/**
 * 3.2: the annual analysis as a spreadsheet: the year's figures on one sheet, and each chart of the printed analysis
 * as a block of figures on another. exceljs writes no charts, so none is drawn here: the sheet says so, and a reader
 * inserts one from a block in two clicks.
 */
import { REPORTS_T, t } from "../i18n.js";
import { analysisCharts, analysisClosingNote, analysisFigures, analysisFrame, type AnalysisDocument } from "./analysis-summary.js";
import { addSheet, newWorkbook, workbookBytes, writeFields, writeTable, writeTitleBlock } from "./xlsx.js";

export async function analysisXlsx(d: AnalysisDocument): Promise<Uint8Array> {
  const { lang } = d;
  const frame = analysisFrame(d);
  const wb = await newWorkbook(frame);
  const summary = addSheet(wb, t(REPORTS_T.sheetSummary, lang), frame);
  const closing = analysisClosingNote(d);
  writeFields(summary, writeTitleBlock(summary, frame, closing ? [closing] : []), analysisFigures(d).map((f) => [f.label, f.value, f.format]));
  summary.getColumn(1).width = 44;
  summary.getColumn(2).width = 16;

  const data = addSheet(wb, t(REPORTS_T.sheetChartData, lang), frame);
  let row = writeTitleBlock(data, frame, [t(REPORTS_T.chartDataNote, lang)], { compact: true });
  for (const chart of analysisCharts(d)) {
    data.getCell(row, 1).value = chart.title;
    data.getCell(row, 1).font = { bold: true };
    row = writeTable(
      data,
      row + 1,
      [{ header: t(REPORTS_T.item, lang), width: 44 }, { header: chart.value.header, width: 16, format: chart.value.format }, ...chart.also.map((c) => ({ header: c.header, width: 16, format: c.format }))],
      chart.items.map((i) => [i.label, i.value, ...i.also]),
    );
  }
  return workbookBytes(wb);
}
