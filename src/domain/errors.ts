/**
 * Every failure the service reports has a stable machine code (like jose's ERR_* codes): clients switch on `code`,
 * people read the localised title. Codes are part of the public API: never rename one, only add.
 */
export const ERROR_STATUS = {
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
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldProblem {
  /** JSON pointer-ish path, e.g. `participants/3/licenceNumber`. */
  path: string;
  /** In English. */
  message: string;
  /** A stable code with the values its text names (CSV lines), so pages can show the message in their language. */
  code?: string;
  params?: Record<string, string | number>;
}

export class SenimError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly problems: FieldProblem[];
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode, detail: string, options: { problems?: FieldProblem[]; extra?: Record<string, unknown> } = {}) {
    super(detail);
    this.name = "SenimError";
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.problems = options.problems ?? [];
    this.extra = options.extra ?? {};
  }
}

export const isSenimError = (e: unknown): e is SenimError => e instanceof SenimError;
