/**
 * Every failure the service reports has a stable machine code (like jose's ERR_* codes): clients switch on `code`,
 * people read the localised title. Codes are part of the public API: never rename one, only add. How a code travels
 * over HTTP (its status) is the web layer's business: src/http/problem.ts.
 */
export const ERROR_CODES = [
  // 400: the request is not understood
  "invalid_request",
  "invalid_json",
  "not_a_credential",
  // 401/403: who you are and what you may do
  "unauthenticated",
  "forbidden",
  // 404/405/409/413/415
  "not_found",
  "conflict",
  "idempotency_key_reused",
  "payload_too_large",
  "unsupported_media_type",
  // 429: a client address over its rate limit (src/domain/rate-limit.ts)
  "rate_limited",
  // 503: heavy work of this kind is already running and its line is full (src/lib/work-queue.ts); come back later
  "busy",
  // 422: understood, but the Procedure's rules refuse it
  "not_accredited",
  "out_of_scope",
  "no_active_key",
  "withdrawal_refused",
  "already_withdrawn",
  "already_revoked",
  "form_requires_centre",
  "participants_locked",
  "rule_violated",
  // A JSON-LD context or key URL the offline document loader does not hold (it never fetches from the network).
  "unknown_context",
  // A credential or presentation was understood and checked, and at least one check failed (W3C VC API verify).
  "verification_failed",
  // JSON-LD processing refused the document (a term no context defines, an invalid context): it cannot be signed.
  "jsonld_invalid",
  "internal",
  // bookkeeping (issue 6)
  "invalid_csv",
  "survey_already_answered",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The details of `busy` refusals (English; kk and ru in the catalogues' problemDetails). */
export const BUSY_DETAIL_TEMPLATES = {
  "imports-busy": "Other member imports are running on this server; nothing was stored. Send the file again in {seconds} s.",
} as const;

export interface FieldProblem {
  /** JSON pointer-ish path, e.g. `participants/3/licenceNumber`. */
  path: string;
  /** In English. */
  message: string;
  /** A stable code with the values its text names (CSV lines), so pages can show the message in their language. */
  code?: string;
  params?: Record<string, string | number>;
}

/** The values a `{name}` template names (a detail's or a field problem's). */
export type TextParams = Record<string, string | number>;

/** Puts the values into a `{name}` template; a placeholder without a value stays as it is. */
export function fillText(template: string, params: TextParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export interface SenimErrorOptions {
  problems?: FieldProblem[];
  extra?: Record<string, unknown>;
  /**
   * A stable key of the detail's text with the values it names, so pages and problem documents say it in the
   * reader's language (the catalogues' `problemDetails`, src/http/i18n); the English `detail` stays the fallback and
   * what logs show.
   */
  key?: string;
  params?: TextParams;
  /** Parts of the text that are texts of their own: a placeholder's name → the key of the text that fills it. */
  parts?: Record<string, string>;
}

export class SenimError extends Error {
  readonly code: ErrorCode;
  readonly problems: FieldProblem[];
  readonly extra: Record<string, unknown>;
  readonly key?: string;
  readonly params?: TextParams;
  readonly parts?: Record<string, string>;

  constructor(code: ErrorCode, detail: string, options: SenimErrorOptions = {}) {
    super(detail);
    this.name = "SenimError";
    this.code = code;
    this.problems = options.problems ?? [];
    this.extra = options.extra ?? {};
    if (options.key !== undefined) this.key = options.key;
    if (options.params !== undefined) this.params = options.params;
    if (options.parts !== undefined) this.parts = options.parts;
  }
}

/**
 * A refusal whose English detail is `templates[key]` with its values: the one way rules say a detail that pages
 * translate (the templates are the English catalogue's `problemDetails`, kk.ts and ru.ts translate each key).
 */
export function keyedError<K extends string>(
  code: ErrorCode,
  templates: Readonly<Record<K, string>>,
  key: K,
  params?: TextParams,
  options: Omit<SenimErrorOptions, "key" | "params"> = {},
): SenimError {
  return new SenimError(code, fillDetail(templates, key, params, options.parts), { ...options, key, ...(params ? { params } : {}) });
}

/** A detail's text from one language's templates: its parts put in first (they may name values), then the values. */
export function fillDetail(templates: Readonly<Record<string, string>>, key: string, params?: TextParams, parts?: Record<string, string>): string {
  let text = templates[key] ?? key;
  for (const [name, part] of Object.entries(parts ?? {})) text = text.split(`{${name}}`).join(templates[part] ?? part);
  return fillText(text, params);
}

export const isSenimError = (e: unknown): e is SenimError => e instanceof SenimError;
