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
