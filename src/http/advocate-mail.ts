/**
 * The sign-in code's message (issue 13, `/me`): Kazakh and Russian, or English alone when the advocate asked in
 * English. The code is derived from the outbox row's id (AdvocateService.codeFor); the database never holds it.
 */
import type { MailMessage } from "../delivery/service.js";
import type { OutboxMessage } from "../domain/outbox.js";
import { fillTemplate } from "../lib/csv.js";
import type { Services } from "./context.js";
import { ME_T, type Lang } from "./i18n.js";

export async function advocateCodeMessage(services: Services, message: OutboxMessage, messageId: string): Promise<MailMessage> {
  if (!services.advocates) throw new Error("Advocate sign-in is not wired on this runtime.");
  const code = await services.advocates.codeFor(message.id);
  const langs: Lang[] = message.lang === "en" ? ["en"] : ["kk", "ru"];
  const url = `${services.registry.publicUrl}/me`;
  const block = (lang: Lang) => [fillTemplate(ME_T.mailBody[lang], { code }), "", ME_T.mailLink[lang], url, "", ME_T.mailIgnore[lang]].join("\n");
  return {
    to: message.toAddress!,
    subject: langs.map((l) => fillTemplate(ME_T.mailSubject[l], { code })).join(" / "),
    text: langs.map(block).join("\n\n— — —\n\n"),
    messageId,
    languages: langs,
    attachments: [],
  };
}
