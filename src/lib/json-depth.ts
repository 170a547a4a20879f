/** Deepest JSON nesting a credential may have; a real one nests about six levels. */
export const MAX_CREDENTIAL_JSON_DEPTH = 32;

/**
 * Nesting depth without recursion, so hostile input cannot exhaust the stack; stops counting past `limit`. Used by
 * POST /api/verify and by presentations (uploaded .json certificates).
 */
export function exceedsJsonDepth(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (d > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}
