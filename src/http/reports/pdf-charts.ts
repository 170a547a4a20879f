/**
 * 3.2: a horizontal bar chart drawn in vector on an A4 report page — the PDF twin of the HTML page's SVG chart
 * (src/http/pages/bookkeeping.tsx): a label per bar (wrapped to two lines, then clipped with "…", never over the
 * bars), the bar to scale, and its value with the language's separators.
 */
import { rgb } from "pdf-lib";
import type { Lang } from "../i18n.js";
import { INK, type A4Document } from "../pdf-table.js";
import { decimalsOf, type ChartData } from "./analysis-summary.js";
import { formatNumber } from "./numbers.js";

const BAR = rgb(0.169, 0.424, 0.69); // #2b6cb0, the HTML charts' colour
const SIZE = 8.5;
const LINE = SIZE * 1.2;
const PAD = 3;
const BAR_HEIGHT = 10;
/** One label column for every chart of the document, so that their bars start on one line. */
const LABEL_SHARE = 0.42;

export function drawBarChart(doc: A4Document, chart: ChartData, lang: Lang): void {
  const labelWidth = doc.width * LABEL_SHARE;
  const decimals = decimalsOf(chart.value.format);
  const values = chart.items.map((i) => formatNumber(i.value, lang, decimals));
  const valueWidth = Math.max(24, ...values.map((v) => doc.measure(v, SIZE))) + 6;
  const barWidth = doc.width - labelWidth - valueWidth;
  const max = chart.max ?? Math.max(0, ...chart.items.map((i) => i.value));
  const rows = chart.items.map((item) => {
    const lines = doc.lines(item.label, SIZE, labelWidth - 8, 2);
    return { item, lines, height: Math.max(BAR_HEIGHT, lines.length * LINE) + 2 * PAD };
  });
  const height = rows.reduce((n, r) => n + r.height, 0) + 4;
  // The title and its bars on one page (a chart longer than a page starts on a fresh one).
  doc.keep(doc.lines(chart.title, 10.5, doc.width).length * 10.5 * 1.3 + 4 + height);
  doc.paragraph(chart.title, { size: 10.5, spaceAfter: 4 });
  doc.block(height, ({ page, x, top }) => {
    let y = top;
    rows.forEach(({ item, lines, height: rowHeight }, i) => {
      const middle = y - rowHeight / 2;
      lines.forEach((line, j) => {
        const baseline = middle + (lines.length * LINE) / 2 - (j + 1) * LINE + SIZE * 0.3;
        page.drawText(line, { x: x + labelWidth - 8 - doc.measure(line, SIZE), y: baseline, size: SIZE, font: doc.font, color: INK });
      });
      const w = max > 0 ? (Math.max(0, item.value) / max) * barWidth : 0;
      page.drawRectangle({ x: x + labelWidth, y: middle - BAR_HEIGHT / 2, width: Math.max(w, 0.75), height: BAR_HEIGHT, color: BAR });
      page.drawText(values[i]!, { x: x + labelWidth + w + 4, y: middle - SIZE * 0.35, size: SIZE, font: doc.font, color: INK });
      y -= rowHeight;
    });
  });
  doc.gap(8);
}
