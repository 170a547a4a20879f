/** 12.3: a participant list as a printable A4 document: the event's particulars, then a row per participant. */
import { fillTemplate } from "../../lib/csv.js";
import { BK, REPORTS_T, T, t } from "../i18n.js";
import type { CertificateFonts } from "../pdf.js";
import { A4Document, MUTED } from "../pdf-table.js";
import { frameTitle, runningHead } from "./frame.js";
import { formatNumber } from "./numbers.js";
import { eventFields, participantListFrame, roleName, type ParticipantListDocument } from "./participant-list.js";

export async function participantsPdf(d: ParticipantListDocument, fonts: CertificateFonts): Promise<Uint8Array> {
  const { lang } = d;
  const frame = participantListFrame(d);
  const fields = eventFields(d);
  const doc = await A4Document.create({
    fonts,
    text: `${JSON.stringify(d)}${fields.flat().join("")}`,
    head: runningHead(frame),
    meta: { title: `${frameTitle(frame)} — ${d.event.topic}`, lang, author: d.organiser, createdAt: d.generatedAt },
  });
  doc.heading(frameTitle(frame));
  doc.paragraph(d.event.topic, { color: MUTED });
  doc.fields(fields);
  doc.gap(4);
  if (d.participants.length === 0) {
    doc.paragraph(t(REPORTS_T.noParticipants, lang));
  } else {
    doc.table(
      [
        { header: t(REPORTS_T.number, lang), width: 4, align: "right" },
        { header: t(T.licence, lang), width: 9 },
        { header: t(BK.name, lang), width: 24 },
        { header: t(T.bar, lang), width: 19 },
        { header: t(T.role, lang), width: 14 },
        { header: t(REPORTS_T.certificate, lang), width: 17 },
      ],
      d.participants.map((p, i) => [formatNumber(i + 1, lang), p.licence, p.fullName, p.bar, roleName(p.role, lang), p.certificateId ?? t(REPORTS_T.notIssued, lang)]),
      { footRows: [["", "", fillTemplate("{total}: {count}", { total: t(REPORTS_T.total, lang), count: formatNumber(d.participants.length, lang) }), "", "", ""]] },
    );
  }
  return doc.save();
}
