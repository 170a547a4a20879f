/** Every error leaves the service as an RFC 9457 problem document with a stable `code` and a localised title. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { SenimError, isSenimError } from "../domain/errors.js";
import { NotACredential } from "../credentials/verify.js";
import { ERROR_TITLES, pickLang } from "./i18n.js";

export function problemResponse(c: Context, err: SenimError): Response {
  const lang = pickLang(c);
  const body = {
    type: `urn:senim:problem:${err.code}`,
    title: ERROR_TITLES[err.code][lang],
    status: err.status,
    code: err.code,
    detail: err.message,
    ...(err.problems.length > 0 ? { errors: err.problems } : {}),
    ...err.extra,
  };
  const headers: Record<string, string> = { "Content-Type": "application/problem+json; charset=UTF-8", "Content-Language": lang };
  if (err.status === 401) headers["WWW-Authenticate"] = 'Bearer realm="senim"';
  return new Response(JSON.stringify(body), { status: err.status, headers });
}

/** The one place that turns a thrown error into a response (like Hono's own onError advice). */
export function toSenimError(err: unknown): SenimError {
  if (isSenimError(err)) return err;
  if (err instanceof NotACredential) return new SenimError("not_a_credential", err.message);
  if (err instanceof HTTPException) {
    if (err.status === 413) return new SenimError("payload_too_large", "The request body is larger than this endpoint accepts.");
    if (err.status === 400) return new SenimError("invalid_json", "The request body is not valid JSON.");
    if (err.status === 401) return new SenimError("unauthenticated", "Send a valid API key as Authorization: Bearer <token>.");
    if (err.status === 415) return new SenimError("unsupported_media_type", err.message);
  }
  return new SenimError("internal", "Something went wrong on our side; nothing was stored half-way.");
}
