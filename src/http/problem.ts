/**
 * Every error leaves the service as an RFC 9457 problem document with a stable `code`, and its title, detail and
 * field problems in the caller's language (Accept-Language, as pages pick theirs; English when none is asked for).
 */
import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { keyedError, SenimError, isSenimError, type ErrorCode } from "../domain/errors.js";
import { NotACredential } from "../credentials/verify.js";
import { getCookie } from "hono/cookie";
import { detailText, ERROR_TITLES, LANG_COOKIE, LANGS, pickLang, problemText, requestedLang, type Lang } from "./i18n.js";
import { en } from "./i18n/en.js";

/** Each error code's HTTP status: the domain names what went wrong, this table says how HTTP spells it. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  // 400: the request is not understood
  invalid_request: 400,
  invalid_json: 400,
  not_a_credential: 400,
  // 401/403: who you are and what you may do
  unauthenticated: 401,
  forbidden: 403,
  // 404/405/409/413/415
  not_found: 404,
  conflict: 409,
  idempotency_key_reused: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  busy: 503,
  // 422: understood, but the Procedure's rules refuse it
  not_accredited: 422,
  out_of_scope: 422,
  no_active_key: 422,
  withdrawal_refused: 422,
  already_withdrawn: 409,
  already_revoked: 409,
  form_requires_centre: 422,
  participants_locked: 409,
  rule_violated: 422,
  // A JSON-LD context or key URL the offline document loader does not hold (it never fetches from the network).
  unknown_context: 422,
  // A credential or presentation was understood and checked, and at least one check failed (W3C VC API verify).
  verification_failed: 422,
  // JSON-LD processing refused the document (a term no context defines, an invalid context): it cannot be signed.
  jsonld_invalid: 422,
  internal: 500,
  // bookkeeping (issue 6)
  invalid_csv: 422,
  survey_already_answered: 409,
};

export const httpStatusOf = (err: SenimError): number => ERROR_STATUS[err.code];

/**
 * The language of a problem's detail and field problems: the caller's, when it asked for one Senim speaks (`?lang=`,
 * the remembered choice, Accept-Language); otherwise English, the API's language, whatever the title's default.
 */
function detailLang(c: Context, lang: Lang): Lang {
  if (requestedLang(c) || getCookie(c, LANG_COOKIE)) return lang;
  const header = (c.req.header("accept-language") ?? "").slice(0, 2048).toLowerCase();
  const asked = header.split(",").slice(0, 20).some((part) => (LANGS as readonly string[]).includes(part.trim().split(/[;-]/)[0] ?? ""));
  return asked ? lang : "en";
}

export function problemResponse(c: Context, err: SenimError): Response {
  const lang = pickLang(c);
  const textLang = detailLang(c, lang);
  const status = httpStatusOf(err);
  const body = {
    type: `urn:senim:problem:${err.code}`,
    title: ERROR_TITLES[err.code][lang],
    status,
    code: err.code,
    detail: detailText(err, textLang),
    ...(err.problems.length > 0 ? { errors: err.problems.map((p) => (p.code ? { ...p, message: problemText(p, textLang).text } : p)) } : {}),
    ...err.extra,
  };
  const headers: Record<string, string> = { "Content-Type": "application/problem+json; charset=UTF-8", "Content-Language": lang };
  if (status === 401) headers["WWW-Authenticate"] = 'Bearer realm="senim"';
  // A refusal that says when to come back says it to programs too (RFC 9110 §10.2.3).
  if (err.code === "busy" && typeof err.params?.seconds === "number") headers["Retry-After"] = String(err.params.seconds);
  return new Response(JSON.stringify(body), { status, headers });
}

/** The one place that turns a thrown error into a response (like Hono's own onError advice). */
export function toSenimError(err: unknown): SenimError {
  if (isSenimError(err)) return err;
  if (err instanceof NotACredential) return new SenimError("not_a_credential", err.message, err.key ? { key: err.key, ...(err.params ? { params: err.params } : {}) } : {});
  if (err instanceof HTTPException) {
    if (err.status === 413) return detailError("payload_too_large", "request-too-large");
    if (err.status === 400) return detailError("invalid_json", "request-json-invalid");
    if (err.status === 401) return detailError("unauthenticated", "request-unauthenticated");
    if (err.status === 415) return new SenimError("unsupported_media_type", err.message);
  }
  return detailError("internal", "internal-error");
}

/** A refusal of the web layer itself, its detail one of the catalogues' `problemDetails` (English from en.ts). */
export const detailError = (code: ErrorCode, key: keyof typeof en.problemDetails, params?: Record<string, string | number>, options?: Parameters<typeof keyedError>[4]): SenimError =>
  keyedError(code, en.problemDetails, key, params, options);

/**
 * For the parts used by browsers (the consoles, /me): a refusal thrown before a page could handle it (CSRF, another
 * site, a body too large) is shown as that part's own page, with its 4xx status; a 500 stays the problem document.
 */
export function refusalsAsPages(page: (c: Context, e: SenimError) => Parameters<Context["html"]>[0]): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!c.error) return;
    const e = toSenimError(c.error);
    const status = httpStatusOf(e);
    if (status >= 500) return;
    // The page is built first: building it may read the response in hand (the language cookie set on it).
    const body = page(c, e);
    c.res = undefined;
    c.res = await c.html(body, status as 400);
  };
}
