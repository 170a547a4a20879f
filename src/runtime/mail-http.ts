/**
 * The HTTP mail API transport (Workers, and any runtime with fetch): one JSON POST per message to MAIL_API_URL with
 * `Authorization: Bearer MAIL_API_KEY`. The body is the shape Resend's `POST /emails` takes (from, to, subject, text,
 * headers, attachments with base64 content), which several services and relays accept; see docs/deploy.md.
 */
import { MailRefused, type MailMessage, type MailTransport } from "../delivery/service.js";

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function httpMailTransport(o: { url: string; apiKey: string; from: string; fetch?: typeof fetch }): MailTransport {
  const doFetch = o.fetch ?? fetch;
  return {
    async send(m: MailMessage) {
      let res: Response;
      try {
        res = await doFetch(o.url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${o.apiKey}` },
          body: JSON.stringify({
            from: o.from,
            to: [m.to],
            subject: m.subject,
            text: m.text,
            headers: { "Message-ID": m.messageId, "Content-Language": m.languages.join(", ") },
            attachments: m.attachments.map((a) => ({ filename: a.filename, content_type: a.contentType, content: base64(a.content) })),
          }),
        });
      } catch (err) {
        throw new MailRefused(`mail API unreachable: ${err instanceof Error ? err.message : String(err)}`, false);
      }
      const text = (await res.text().catch(() => "")).slice(0, 500);
      if (res.ok) return;
      // A 4xx says the request itself is wrong (bad address, bad key): retrying cannot help, except 408 and 429.
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
      throw new MailRefused(`${res.status} ${text}`.trim(), permanent);
    },
  };
}
