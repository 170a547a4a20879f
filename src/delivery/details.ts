/**
 * The refusals of sending certificates' messages, in English with `{name}` values; kk.ts and ru.ts translate each key.
 * A file of its own so the catalogues need not load the delivery service.
 */
export const DELIVERY_DETAIL_TEMPLATES = {
  "delivery-message-unknown": "No message for certificate {id} of this event.",
} as const;
