/** did:web identifiers for parties whose keys the service hosts (did:web method spec, §3.2). */

/** `https://senim.kz/parties/abc` → `did:web:senim.kz:parties:abc`; a port is percent-encoded (`localhost%3A8787`). */
export function didWebFor(publicUrl: string, ...path: string[]): string {
  const url = new URL(publicUrl);
  const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
  const base = url.pathname.split("/").filter(Boolean);
  return ["did:web", host, ...base, ...path].map((s, i) => (i < 2 ? s : encodeURIComponent(s))).join(":");
}

/** The party id inside one of our own party DIDs, or `undefined`. */
export function partyIdFromDid(publicUrl: string, did: string): string | undefined {
  const prefix = didWebFor(publicUrl, "parties") + ":";
  if (!did.startsWith(prefix)) return undefined;
  const id = did.slice(prefix.length);
  return /^[0-9a-z]{1,40}$/.test(id) ? id : undefined;
}
