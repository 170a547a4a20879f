/**
 * The refusals of the advocate's own side (/me: src/advocates/service.ts), in English with `{name}` values; kk.ts and
 * ru.ts translate each key. A file of its own so the catalogues need not load the service and the compliance report.
 */
export const ADVOCATE_DETAIL_TEMPLATES = {
  "advocate-sign-in-bar": "Check the sign-in form: bar.",
  "advocate-sign-in-licence": "Check the sign-in form: licence.",
  "advocate-sign-in-bar-licence": "Check the sign-in form: bar, licence.",
  "advocate-year-out-of-range": "The year is out of range (2000–2100).",
} as const;
