/** Errors of the OAuth-family protocols (RFC 6749 §5.2 and the error responses of OpenID4VCI and OpenID4VP), not RFC 9457 problems. */
import { Oauth2ServerErrorResponseError } from "@openid4vc/oauth2";

/** An OAuth-style error as the spec words it: `{error, error_description}` with its HTTP status. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
  get body() {
    return { error: this.error, error_description: asciiDescription(this.message) };
  }
}

/**
 * RFC 6749 §5.2: `error_description` is printable ASCII without `"` and `\` (%x20-21 / %x23-5B / %x5D-7E). Library
 * messages arrive with newlines, bullets and `✖` marks: they become spaces and plain punctuation, never dropped text.
 */
export function asciiDescription(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/["\u201c\u201d]/g, "'")
    .replace(/\\/g, "/")
    .replace(/[^\x20-\x7e]+/g, " ")
    .replace(/ {2,}/g, " ")
    .trim()
    .slice(0, 1_000);
}

/** A library error as an {@link OAuthError}; anything else is rethrown. */
export function asOAuthError(e: unknown): OAuthError {
  if (e instanceof OAuthError) return e;
  if (e instanceof Oauth2ServerErrorResponseError) {
    return new OAuthError(e.status ?? 400, e.errorResponse.error, e.errorResponse.error_description ?? e.message);
  }
  throw e;
}
