/** Checks of settings that every runtime (Node, Workers) reads from its environment; no node:* here. */

export function assertPublicUrl(text: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`PUBLIC_URL is not a URL: ${JSON.stringify(text)}`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search || url.hash || url.username || url.password) {
    throw new Error("PUBLIC_URL must be a plain http(s) URL without query, fragment or credentials, e.g. https://senim.example.kz");
  }
}

export function assertAdminToken(token: string): void {
  if (token.length < 32 || !/^[\x21-\x7e]+$/.test(token)) {
    throw new Error("SENIM_ADMIN_TOKEN must be at least 32 visible ASCII characters (e.g. 32 random bytes, base64url).");
  }
}
