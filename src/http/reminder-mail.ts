/**
 * The reminder's message (issue 13, "Reminders"): the member's hours, the requirement, how many are missing (and
 * Foundations, 10.2, when that is missing), and a link to /me. In the language of the member's latest /me sign-in
 * (their own choice there), or Kazakh and Russian together when they never signed in, as certificate messages are.
 * The hours are those written with the reminder (src/compliance/reminders.ts), so a message re-sent after a crash
 * says what the first copy said.
 */
import type { MailMessage } from "../delivery/service.js";
import type { OutboxMessage } from "../domain/outbox.js";
import { fillTemplate } from "../lib/csv.js";
import type { Services } from "./context.js";
import { REMINDERS_T, type Lang } from "./i18n.js";

/** Hours as people read them: one decimal at most (10.6), no trailing ".0". */
const hoursText = (tenths: number) => String(tenths / 10);

export async function reminderMessage(services: Services, message: OutboxMessage, messageId: string): Promise<MailMessage> {
  if (!services.reminders) throw new Error("Reminders are not wired on this runtime.");
  const r = await services.reminders.get(message.id);
  if (!r) throw new Error(`No reminder ${message.id} for its outbox row.`);
  const langs: Lang[] = r.lang ? [r.lang] : ["kk", "ru"];
  const bar = await services.registry.bar(r.barId);
  const url = `${services.registry.publicUrl}/me`;
  const shortTenths = Math.max(0, r.requiredTenths - r.verifiedTenths);
  const values = (lang: Lang) => ({
    name: r.fullName, year: r.year, date: r.date, bar: bar?.names[lang] ?? r.barId,
    hours: hoursText(r.verifiedTenths), required: hoursText(r.requiredTenths), short: hoursText(shortTenths),
  });
  const block = (lang: Lang) => {
    const v = values(lang);
    const text = (key: keyof typeof REMINDERS_T) => fillTemplate(REMINDERS_T[key][lang], v);
    return [
      text("mailGreeting"),
      "",
      text("mailBody"),
      ...(shortTenths > 0 ? [text("mailShort")] : []),
      ...(r.foundationsMissing ? [text("mailFoundations")] : []),
      "",
      text("mailDeadline"),
      "",
      text("mailLink"),
      url,
      "",
      text("mailFooter"),
    ].join("\n");
  };
  return {
    to: message.toAddress!,
    subject: langs.map((l) => fillTemplate(REMINDERS_T.mailSubject[l], values(l))).join(" / "),
    text: langs.map(block).join("\n\n— — —\n\n"),
    messageId,
    languages: langs,
    attachments: [],
  };
}
