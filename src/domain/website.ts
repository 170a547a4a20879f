/**
 * A provider's website is shown on public pages as a link a visitor may follow, so it must be a web page: an absolute
 * `https:` or `http:` URL with a host. Any other scheme (`javascript:`, `data:`, `vbscript:`, `file:` …) would run or
 * show content in the visitor's browser under the registry's own page, or point nowhere a visitor can check.
 */
export const WEBSITE_MAX_LENGTH = 500;

/** Printable ASCII only: the URL parser quietly drops tabs and newlines (`java\nscript:`), so none may be there. */
const PRINTABLE = /^[\x21-\x7e]+$/;

export function isWebsiteUrl(value: unknown): value is string {
  if (typeof value !== "string" || value.length > WEBSITE_MAX_LENGTH || !PRINTABLE.test(value)) return false;
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}
