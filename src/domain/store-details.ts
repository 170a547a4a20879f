/**
 * The refusals the stores make themselves (concurrent writes, certified participants, NUL characters), in English
 * with `{name}` values; kk.ts and ru.ts translate each key. Here, not in src/storage, because the web layer's
 * catalogues read them and the web layer does not depend on the stores.
 */
export const STORAGE_DETAIL_TEMPLATES = {
  "storage-audit-contention": "Too many writes at once: nothing was stored. Try again.",
  "storage-participants-locked": "Participants who already hold a certificate cannot be removed or changed; revoke and reissue instead.",
  "storage-participants-raced": "Some participants were certified while the list was being replaced; nothing was changed. Try again.",
  "storage-certified-concurrently": "Some of these participants were certified concurrently; nothing was stored from this attempt.",
  "storage-nul-character": "A value contains a NUL character (U+0000), which no text may hold; nothing was stored.",
} as const;
