/**
 * The certificate's message (issue 13): Kazakh and Russian (English alone when the participant's language is `en`),
 * with the organiser's registered name, topic and hours, the certificate's link, its PDF attached, and the
 * participant's survey link (7.5). Built here, beside the pages, because it is presentation: texts from the i18n
 * catalogues and the printable certificate of src/http/pdf.ts, drawn from the verified signed credential as
 * GET /c/{id}.pdf draws it.
 */
import type { MailMessage, MessageComposer } from "../delivery/service.js";
import { fillTemplate } from "../lib/csv.js";
import type { Services } from "./context.js";
import { DELIVERY_T, type Lang } from "./i18n.js";
import type { CertificateFonts } from "./pdf.js";
import { printableCertificate } from "./printable-certificate.js";
import { advocateCodeMessage } from "./advocate-mail.js";
import { reminderMessage } from "./reminder-mail.js";

export function certificateMessageComposer(services: Services, loadFonts: () => Promise<CertificateFonts>): MessageComposer {
  const { issuance } = services;
  return async ({ message, messageId, surveyUrl }): Promise<MailMessage> => {
    // The outbox's other kinds name no certificate: a reminder (migration 0012) and an advocate's sign-in code (0011).
    if (message.kind === "reminder") return reminderMessage(services, message, messageId);
    if (message.kind === "advocate_code" || message.certificateId === null) return advocateCodeMessage(services, message, messageId);
    const stored = await issuance.requireCertificate(message.certificateId);
    const langs: Lang[] = message.lang === "en" ? ["en"] : ["kk", "ru"];
    // The attachment in the message's first language: Kazakh (the state language) or English.
    const { pdf, summary: s } = await printableCertificate(services, stored, { lang: langs[0]!, surveyUrl, fonts: await loadFonts() });
    const url = issuance.certificateUrl(stored.id);
    const values = { name: s.participant.name, organiser: s.issuer.name, topic: s.topic, hours: String(s.academicHours) };
    const block = (lang: Lang) =>
      [
        fillTemplate(DELIVERY_T.mailGreeting[lang], values),
        "",
        fillTemplate(DELIVERY_T.mailBody[lang], values),
        "",
        DELIVERY_T.mailLink[lang],
        url,
        "",
        DELIVERY_T.mailPdf[lang],
        ...(surveyUrl ? ["", DELIVERY_T.mailSurvey[lang], surveyUrl] : []),
        "",
        DELIVERY_T.mailFooter[lang],
      ].join("\n");
    return {
      to: message.toAddress!,
      subject: langs.map((l) => fillTemplate(DELIVERY_T.mailSubject[l], values)).join(" / "),
      text: langs.map(block).join("\n\n— — —\n\n"),
      messageId,
      languages: langs,
      attachments: [{ filename: `${stored.id}.pdf`, contentType: "application/pdf", content: pdf }],
    };
  };
}
