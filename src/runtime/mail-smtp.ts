/** The SMTP mail transport (Node): nodemailer, configured by SMTP_URL and MAIL_FROM. Only src/runtime knows it. */
import nodemailer from "nodemailer";
import { MailRefused, type MailMessage, type MailTransport } from "../delivery/service.js";

export function smtpTransport(smtpUrl: string, from: string): MailTransport & { close(): void } {
  // A small pool: the sender sends a few messages at once (src/delivery/service.ts), each on its own connection.
  const transporter = nodemailer.createTransport(smtpUrl.includes("?") || !/^smtps?:/.test(smtpUrl) ? smtpUrl : `${smtpUrl}?pool=true&maxConnections=8`);
  return {
    async send(m: MailMessage) {
      try {
        await transporter.sendMail({
          from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          messageId: m.messageId,
          headers: { "Content-Language": m.languages.join(", ") },
          attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength) })),
        });
      } catch (err) {
        const e = err as { responseCode?: number; response?: string; message?: string };
        const code = typeof e.responseCode === "number" ? e.responseCode : undefined;
        // 5xx is the server's final word (RFC 5321 §4.2.1); 4xx and lost connections are worth another try.
        throw new MailRefused(e.response ?? e.message ?? String(err), code !== undefined && code >= 500 && code < 600);
      }
    },
    close: () => transporter.close(),
  };
}
