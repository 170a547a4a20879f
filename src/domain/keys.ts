/** A signing key's life: active from `validFrom`; after rotation, retired at `validUntil` (exclusive). */
export interface KeyWindow {
  validFrom: string;
  validUntil: string | null;
}

/** Whether a key could sign at instant `at`: a retired key still verifies what it signed while it was valid. */
export function keyValidAt(key: KeyWindow, at: string): boolean {
  const t = Date.parse(at);
  return t >= Date.parse(key.validFrom) && (key.validUntil === null || t < Date.parse(key.validUntil));
}

/**
 * When a key rotated at `now` stops being valid: the end of that second. Instants are whole seconds (`validFrom` of a
 * credential included), so a key retired exactly at `now` would not cover a certificate it signed earlier in the
 * same second, and that genuine certificate would fail its key check. For that one second the old and the new key
 * are both valid; both are the party's own.
 */
export function retirementInstant(now: string): string {
  return new Date(Date.parse(now) + 1000).toISOString().replace(".000Z", "Z");
}

/** The key that signs at `at`: of the keys valid then, the one not yet retired, else the one retired last. */
export function signingKeyAt<K extends KeyWindow>(keys: readonly K[], at: string): K | undefined {
  const valid = keys.filter((k) => keyValidAt(k, at));
  return valid.find((k) => k.validUntil === null) ?? valid.sort((a, b) => Date.parse(b.validUntil!) - Date.parse(a.validUntil!))[0];
}
