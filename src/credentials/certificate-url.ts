/**
 * The one parser of this service's certificate URLs (`{PUBLIC_URL}/c/{id}`): what the QR code carries, the
 * credential's `id`, and the space of ids only the service assigns. Every path that reads a certificate id out of
 * a URL or a credential comes here, so "is this one of ours, and which" has one answer.
 */

/** A certificate id as the service mints them (src/lib/ids.ts `newId`: Crockford base32). */
export const CERTIFICATE_ID_PATTERN = /^[0-9a-z]{1,40}$/;

export const certificateSpace = (publicUrl: string): string => `${publicUrl.replace(/\/+$/, "")}/c/`;

export const certificateUrlFor = (publicUrl: string, id: string): string => certificateSpace(publicUrl) + id;

/**
 * `undefined` when `value` is not in this service's certificate space; otherwise the certificate id it names, or
 * `null` when it is in the space but names no possible certificate (`/c/../x`, `/c/` + 500 characters). With
 * `allowSubpath`, the link forms people paste are read too (`/c/{id}/qr.png`, `/c/{id}?lang=kk`, `/c/{id}.pdf`).
 */
export function certificateIdIn(publicUrl: string, value: unknown, options: { allowSubpath?: boolean } = {}): string | null | undefined {
  if (typeof value !== "string") return undefined;
  const prefix = certificateSpace(publicUrl);
  const text = options.allowSubpath ? value.trim() : value;
  if (!text.startsWith(prefix)) return undefined;
  const rest = text.slice(prefix.length);
  const id = options.allowSubpath ? (rest.split(/[/?#.]/)[0] ?? "") : rest;
  return CERTIFICATE_ID_PATTERN.test(id) ? id : null;
}

/** The ids `newId(16)` mints for certificates, as printed on the paper certificate. */
const PRINTED_ID = /^[0-9a-z]{16}$/;

/**
 * What a person typed or pasted at /verify, read as a certificate link when it can be one (issue 16): the printed
 * number alone, the link without its `https://`, or the link broken by spaces or line ends (as copied from a PDF or a
 * chat). `undefined` when it is none of those: the text is then judged as a credential.
 */
export function certificateIdTyped(publicUrl: string, typed: string): string | undefined {
  const text = typed.replace(/\s+/g, "");
  if (PRINTED_ID.test(text.toLowerCase())) return text.toLowerCase();
  const space = certificateSpace(publicUrl);
  const bare = space.replace(/^https?:\/\//, "");
  const link = /^https?:\/\//i.test(text) ? text.replace(/^https?:\/\//i, (scheme) => scheme.toLowerCase()) : text.startsWith(bare) ? `${space.slice(0, space.length - bare.length)}${text}` : text;
  return certificateIdIn(publicUrl, link, { allowSubpath: true }) ?? undefined;
}
