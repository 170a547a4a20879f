/** 12.3: a participant list as a spreadsheet: the event's particulars, then a row per participant. */
import { academicHours } from "../../domain/time.js";
import { BK, REPORTS_T, T, t } from "../i18n.js";
import { eventFields, participantListFrame, roleName, type ParticipantListDocument } from "./participant-list.js";
import { addSheet, newWorkbook, workbookBytes, writeFields, writeTable, writeTitleBlock, type SheetValue } from "./xlsx.js";

export async function participantsXlsx(d: ParticipantListDocument): Promise<Uint8Array> {
  const { lang } = d;
  const frame = participantListFrame(d);
  const wb = await newWorkbook(frame);
  const ws = addSheet(wb, t(REPORTS_T.sheetParticipants, lang), frame);
  const hoursLabel = t(BK.hours, lang);
  // The hours as a number, the other particulars as printed.
  let row = writeFields(
    ws,
    writeTitleBlock(ws, frame),
    eventFields(d).map(([label, value]): [string, SheetValue, "hours"?] => (label === hoursLabel ? [label, academicHours(d.event.durationMinutes), "hours"] : [label, value])),
  );
  row = writeTable(
    ws,
    row,
    [
      { header: t(REPORTS_T.number, lang), width: 6, format: "count" },
      { header: t(T.licence, lang), width: 14 },
      { header: t(BK.name, lang), width: 36 },
      { header: t(T.bar, lang), width: 30 },
      { header: t(T.role, lang), width: 18 },
      { header: t(REPORTS_T.certificate, lang), width: 20 },
    ],
    d.participants.map((p, i) => [i + 1, p.licence, p.fullName, p.bar, roleName(p.role, lang), p.certificateId ?? t(REPORTS_T.notIssued, lang)]),
    { main: true, freeze: false },
  );
  if (d.participants.length === 0) ws.getCell(row - 1, 1).value = t(REPORTS_T.noParticipants, lang);
  return workbookBytes(wb);
}
